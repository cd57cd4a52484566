package io.shaver.spark;

import io.shaver.shapley.TableLayout;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Builds the estimation data once per run: the chosen prepared splits, optionally sampled by
 * row key, hash-partitioned by row key into the walk partitions and packed into
 * {@link SampleBlock}s, cached in memory and on disk for every pass.
 *
 * <p>The partition of a row depends only on its key, so a lost partition is recomputed with
 * the same rows. Which partition a row lands in does not change phi beyond float rounding,
 * because each sample's permutations are keyed by (seed, pass, row key).
 */
final class EstimationSamples {

  private EstimationSamples() {
  }

  /**
   * Returns the walk partitions, cached but not computed yet.
   *
   * @param rows (label, ids, row_key) rows of the prepared splits
   * @param partitions walk partitions, or 0 for the larger of Spark's default parallelism and
   *     the input's partition count
   */
  static JavaRDD<SampleBlock> build(Dataset<Row> rows, TableLayout layout, RowSampler sampler,
      int partitions) {
    JavaRDD<Row> input = rows.javaRDD();
    int count = partitions > 0 ? partitions
        : Math.max(input.context().defaultParallelism(), input.getNumPartitions());
    int[] fieldSizes = layout.fieldSizes();
    int dimension = layout.dimension();
    return input
        .filter(row -> sampler.keeps(row.getLong(2)))
        .mapToPair(EstimationSamples::toEncodedRow)
        .partitionBy(new RowKeyPartitioner(count))
        .mapPartitions(part -> SampleBlock.pack(part, TableLayout.of(fieldSizes, dimension)))
        .persist(StorageLevel.MEMORY_AND_DISK());
  }

  private static Tuple2<Long, EncodedRow> toEncodedRow(Row row) {
    long key = row.getLong(2);
    if (row.isNullAt(0) || row.isNullAt(1)) {
      throw new IllegalArgumentException("Prepared row with row_key " + key
          + " has a null label or null ids");
    }
    int label = ((Number) row.get(0)).intValue();
    if (label != 0 && label != 1) {
      throw new IllegalArgumentException("Prepared row with row_key " + key + " has label "
          + label + ", expected 0 or 1");
    }
    List<Object> values = row.getList(1);
    int[] ids = new int[values.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = ((Number) values.get(i)).intValue();
    }
    return new Tuple2<>(key, new EncodedRow(label, ids));
  }
}
