package io.shaver.report;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log10;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.shaver.model.ModelConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The distribution of phi per field, for the report's box plot: a seeded sample of log10|phi| of
 * each field's non-zero phi, plus exact counts of all and of zero phi per field.
 *
 * <p>The field of a parameter comes from its {@code global_id} and the model's field offsets, so
 * the {@code field} column of {@code shapley/} is not needed. Parameters without a row in
 * {@code shapley/} (phi = 0 by convention) are not counted.
 *
 * @param log10AbsPhi per field name, in model order: the sampled log10|phi| values (non-zero phi
 *     only; empty when the field has none)
 * @param counts per field name: rows in {@code shapley/}
 * @param zeros per field name: rows with phi exactly 0
 */
public record FieldPhiSample(Map<String, double[]> log10AbsPhi, Map<String, Long> counts,
    Map<String, Long> zeros) {

  /** Target number of values sampled per field. */
  public static final int DEFAULT_SAMPLE_SIZE = 2000;

  /**
   * Reads {@code shapley/} and samples up to about {@code sampleSize} non-zero phi per field
   * with Spark's {@code sampleBy}, which draws each row independently, so a field may get a few
   * more or fewer than the target. The same seed and input partitions give the same sample.
   */
  public static FieldPhiSample read(SparkSession spark, Path shapley, ModelConfig config,
      int sampleSize, long seed) {
    Dataset<Row> phi = spark.read().parquet(shapley.toString())
        .select(fieldIndex(config).as("field_index"), col("phi").cast("double").as("phi"));
    Map<Integer, Long> counts = new HashMap<>();
    Map<Integer, Long> zeros = new HashMap<>();
    for (Row row : phi.groupBy("field_index")
        .agg(count(lit(1)), sum(when(col("phi").equalTo(0), 1).otherwise(0)))
        .collectAsList()) {
      counts.put(row.getInt(0), row.getLong(1));
      zeros.put(row.getInt(0), row.getLong(2));
    }

    Map<Integer, Double> fractions = new HashMap<>();
    for (int f = 0; f < config.fieldCount(); f++) {
      long nonZero = counts.getOrDefault(f, 0L) - zeros.getOrDefault(f, 0L);
      fractions.put(f, nonZero == 0 ? 0.0 : Math.min(1.0, (double) sampleSize / nonZero));
    }
    Map<Integer, List<Double>> samples = new HashMap<>();
    Dataset<Row> nonZero = phi.where(col("phi").notEqual(0))
        .select(col("field_index"), log10(abs(col("phi"))).as("log10_abs_phi"));
    for (Row row : nonZero.stat().sampleBy("field_index", fractions, seed).collectAsList()) {
      samples.computeIfAbsent(row.getInt(0), key -> new ArrayList<>()).add(row.getDouble(1));
    }

    Map<String, double[]> byName = new LinkedHashMap<>();
    Map<String, Long> countsByName = new LinkedHashMap<>();
    Map<String, Long> zerosByName = new LinkedHashMap<>();
    for (int f = 0; f < config.fieldCount(); f++) {
      String name = config.fieldNames().get(f);
      byName.put(name, samples.getOrDefault(f, List.of()).stream()
          .mapToDouble(Double::doubleValue).toArray());
      countsByName.put(name, counts.getOrDefault(f, 0L));
      zerosByName.put(name, zeros.getOrDefault(f, 0L));
    }
    return new FieldPhiSample(byName, countsByName, zerosByName);
  }

  /** Returns the field index of {@code global_id}: the last f with offset(f) <= global_id. */
  private static Column fieldIndex(ModelConfig config) {
    Column globalId = col("global_id").cast("long");
    Column index = lit(config.fieldCount() - 1);
    for (int f = config.fieldCount() - 2; f >= 0; f--) {
      index = when(globalId.lt(config.offset(f + 1)), f).otherwise(index);
    }
    return index;
  }
}
