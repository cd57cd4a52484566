package io.shaver.spark;

import io.shaver.output.ParquetTables;
import io.shaver.output.Provenance;
import io.shaver.shapley.Codebook;
import io.shaver.shapley.ShapleyAccumulator;
import io.shaver.shapley.TableLayout;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the estimate stage's outputs: {@code codebook/} (field, dimension, value) and
 * {@code shapley/} with one row for every one of the n * d parameters, sorted by global id
 * and dimension: (global_id, field, token, dimension, phi, stderr, occurrences).
 *
 * <p>phi = sum / samples and stderr = sqrt(max(0, sum_of_squares / samples - phi^2) / samples)
 * come from the core accumulator's formulas. A parameter that no sample touched gets phi 0,
 * stderr 0 and occurrences 0. Tokens come from {@code prepared/vocabulary}; a row the
 * vocabulary lacks gets a null token.
 */
final class ShapleyOutputs {

  static final String SHAPLEY = "shapley";
  static final String CODEBOOK = "codebook";

  static final StructType CODEBOOK_SCHEMA = new StructType()
      .add("field", DataTypes.StringType, false)
      .add("dimension", DataTypes.IntegerType, false)
      .add("value", DataTypes.FloatType, false);

  static final StructType SHAPLEY_SCHEMA = new StructType()
      .add("global_id", DataTypes.LongType, false)
      .add("field", DataTypes.StringType, false)
      .add("token", DataTypes.StringType, true)
      .add("dimension", DataTypes.IntegerType, false)
      .add("phi", DataTypes.DoubleType, false)
      .add("stderr", DataTypes.DoubleType, false)
      .add("occurrences", DataTypes.LongType, false);

  private static final StructType PARAMETER_SCHEMA = new StructType()
      .add("global_id", DataTypes.LongType, false)
      .add("field", DataTypes.StringType, false)
      .add("dimension", DataTypes.IntegerType, false)
      .add("phi", DataTypes.DoubleType, false)
      .add("stderr", DataTypes.DoubleType, false)
      .add("occurrences", DataTypes.LongType, false);

  private static final Logger LOG = LoggerFactory.getLogger(ShapleyOutputs.class);

  private ShapleyOutputs() {
  }

  /** Writes {@code codebook/}: m * d rows (field name, dimension, C[f, j]). */
  static Path writeCodebook(SparkSession spark, Path run, Codebook codebook,
      List<String> fieldNames, Provenance provenance) {
    List<Row> rows = new ArrayList<>();
    for (int f = 0; f < codebook.fields(); f++) {
      for (int j = 0; j < codebook.dimension(); j++) {
        rows.add(RowFactory.create(fieldNames.get(f), j, codebook.value(f, j)));
      }
    }
    Path target = new Path(run, CODEBOOK);
    ParquetTables.writeLocal(rows, CODEBOOK_SCHEMA, target, provenance,
        spark.sparkContext().hadoopConfiguration());
    LOG.info("Wrote codebook {}: {} fields x {} dimensions", target, codebook.fields(),
        codebook.dimension());
    return target;
  }

  /**
   * Writes {@code shapley/} from the statistics in checkpoint directory {@code checkpoint}.
   *
   * @param samples samples processed over all passes, the divisor of phi
   * @throws IllegalStateException if the row count is not n * d, which means the vocabulary
   *     lists a global id twice
   */
  static Path writeShapley(SparkSession spark, Path run, Path checkpoint, long samples,
      TableLayout layout, List<String> fieldNames, Dataset<Row> tokens, Provenance provenance) {
    return writeShapleyTo(spark, new Path(run, SHAPLEY), checkpoint, samples, layout,
        fieldNames, tokens, provenance);
  }

  /** Writes the Shapley table to {@code target} from the totals of {@code checkpoint}. */
  static Path writeShapleyTo(SparkSession spark, Path target, Path checkpoint, long samples,
      TableLayout layout, List<String> fieldNames, Dataset<Row> tokens, Provenance provenance) {
    long parameters = layout.parameters();
    Dataset<Row> statistics = spark.read().schema(Checkpoints.SCHEMA).parquet(checkpoint.toString());
    Dataset<Row> all = spark.range(0, parameters).toDF("parameter");
    Dataset<Row> joined = all.join(statistics, all.col("parameter")
            .equalTo(statistics.col("parameter")), "left_outer")
        .select(all.col("parameter"), statistics.col("sum"), statistics.col("sum_of_squares"),
            statistics.col("occurrences"));
    Dataset<Row> perParameter = joined.mapPartitions(
        new ToShapleyRows(samples, layout.fieldSizes(), layout.dimension(),
            fieldNames.toArray(new String[0])), Encoders.row(PARAMETER_SCHEMA));
    Dataset<Row> rows = perParameter
        .join(tokens, perParameter.col("global_id").equalTo(tokens.col("global_id")),
            "left_outer")
        .select(perParameter.col("global_id"), perParameter.col("field"), tokens.col("token"),
            perParameter.col("dimension"), perParameter.col("phi"), perParameter.col("stderr"),
            perParameter.col("occurrences"))
        .orderBy(functions.col("global_id"), functions.col("dimension"));
    long written = ParquetTables.write(spark.createDataFrame(rows.javaRDD(), SHAPLEY_SCHEMA),
        target, provenance);
    if (written != parameters) {
      throw new IllegalStateException("Wrote " + written + " Shapley rows, expected n * d = "
          + parameters + "; prepared/vocabulary must list each global_id at most once");
    }
    LOG.info("Wrote {}: {} parameters", target, written);
    return target;
  }

  /** Turns (parameter, sum, sum_of_squares, occurrences) rows into per-parameter results. */
  private static final class ToShapleyRows implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final long samples;
    private final int[] fieldSizes;
    private final int dimension;
    private final String[] fieldNames;

    ToShapleyRows(long samples, int[] fieldSizes, int dimension, String[] fieldNames) {
      this.samples = samples;
      this.fieldSizes = fieldSizes;
      this.dimension = dimension;
      this.fieldNames = fieldNames;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
      TableLayout layout = TableLayout.of(fieldSizes, dimension);
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return input.hasNext();
        }

        @Override
        public Row next() {
          Row row = input.next();
          long parameter = row.getLong(0);
          long globalId = parameter / dimension;
          int j = (int) (parameter % dimension);
          String field = fieldNames[layout.fieldOfRow(globalId)];
          if (row.isNullAt(1)) {
            return RowFactory.create(globalId, field, j, 0.0, 0.0, 0L);
          }
          double sum = row.getDouble(1);
          double sumOfSquares = row.getDouble(2);
          return RowFactory.create(globalId, field, j, ShapleyAccumulator.phi(sum, samples),
              ShapleyAccumulator.standardError(sum, sumOfSquares, samples), row.getLong(3));
        }
      };
    }
  }
}
