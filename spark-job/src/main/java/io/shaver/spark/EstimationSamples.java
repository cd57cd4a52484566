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
 * row key, cut into walk batches and spread over the walk partitions, packed into
 * {@link SampleBlock}s and cached in memory and on disk for every pass.
 *
 * <p>Batches are canonical: the rows are sorted by row key and batch b contains rows
 * {@code [b * B, (b + 1) * B)} of that order, B being the batch size. Batch b goes to
 * partition {@code b mod partitions} and is walked whole by one task. The models compute in
 * float, and a sample's float rounding can depend on which samples share its batch, so fixing
 * the batches makes phi independent of the partition count and the executors up to the order
 * of the (compensated) double sums. A single-JVM estimator that walks the same rows in row-key
 * order with the same batch size makes the same batches.
 *
 * <p>Cost: one sort of the estimation data by row key and one count per partition (for the
 * row index), once per run; a recomputed partition gets the same batches.
 */
final class EstimationSamples {

  private EstimationSamples() {
  }

  /**
   * Returns the walk partitions, cached but not computed yet.
   *
   * @param rows (label, ids, row_key) rows of the prepared splits; row keys must be unique
   * @param partitions walk partitions, or 0 for the larger of Spark's default parallelism and
   *     the input's partition count
   * @param batchSize samples per walk batch
   */
  static JavaRDD<SampleBlock> build(Dataset<Row> rows, TableLayout layout, RowSampler sampler,
      int partitions, int batchSize) {
    JavaRDD<Row> input = rows.javaRDD();
    int count = partitions > 0 ? partitions
        : Math.max(input.context().defaultParallelism(), input.getNumPartitions());
    int[] fieldSizes = layout.fieldSizes();
    int dimension = layout.dimension();
    return input
        .filter(row -> sampler.keeps(row.getLong(2)))
        .mapToPair(row -> {
          EncodedRow encoded = toEncodedRow(row);
          return new Tuple2<>(encoded.key(), encoded);
        })
        .sortByKey(true, count)
        .values()
        .zipWithIndex()
        .mapToPair(indexed -> new Tuple2<>(indexed._2() / batchSize, indexed._1()))
        .partitionBy(new BatchPartitioner(count))
        .mapPartitions(part ->
            SampleBlock.pack(part, TableLayout.of(fieldSizes, dimension), batchSize))
        .persist(StorageLevel.MEMORY_AND_DISK());
  }

  private static EncodedRow toEncodedRow(Row row) {
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
    return new EncodedRow(key, label, ids);
  }
}
