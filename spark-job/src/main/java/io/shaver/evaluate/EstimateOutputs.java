package io.shaver.evaluate;

import static org.apache.spark.sql.functions.col;

import io.shaver.model.ModelConfig;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * Reads the estimate stage's outputs into dense driver-side arrays: phi from {@code shapley/}
 * (or {@code shapley-zero/}) and the codebook from {@code codebook/}.
 *
 * <p>{@code shapley/} columns used: {@code global_id}, {@code dimension}, {@code phi}; a
 * parameter without a row reads as phi = 0, the value of a parameter no sample touched.
 * {@code codebook/} columns: {@code field} (the field name, or its index), {@code dimension},
 * {@code value}; every field and dimension must be present.
 *
 * <p>NOTE: rows stream to the driver through {@code toLocalIterator}, one partition at a time;
 * for 10^8 parameters this is the slowest step of the stage input.
 */
public final class EstimateOutputs {

  private EstimateOutputs() {
  }

  /**
   * Returns phi as an n·d array, flat index r·d + j.
   *
   * @throws IllegalArgumentException naming the row when an index is out of range, a parameter
   *     appears twice, or phi is not finite
   */
  public static double[] readPhi(SparkSession spark, Path directory, ModelConfig config) {
    int d = config.embeddingDim();
    long parameters = (long) config.rowCount() * d;
    double[] phi = new double[Math.toIntExact(parameters)];
    boolean[] seen = new boolean[phi.length];
    Dataset<Row> rows = spark.read().parquet(directory.toString()).select(
        col("global_id").cast("long"), col("dimension").cast("int"), col("phi").cast("double"));
    Iterator<Row> iterator = rows.toLocalIterator();
    while (iterator.hasNext()) {
      Row row = iterator.next();
      long globalId = row.getLong(0);
      int dimension = row.getInt(1);
      double value = row.getDouble(2);
      if (globalId < 0 || globalId >= config.rowCount() || dimension < 0 || dimension >= d) {
        throw new IllegalArgumentException("Invalid row in " + directory + ": global_id "
            + globalId + ", dimension " + dimension + " is outside the model's table (n = "
            + config.rowCount() + ", d = " + d + ")");
      }
      int flat = (int) (globalId * d + dimension);
      if (seen[flat]) {
        throw new IllegalArgumentException("Invalid " + directory + ": global_id " + globalId
            + ", dimension " + dimension + " appears twice");
      }
      if (!Double.isFinite(value)) {
        throw new IllegalArgumentException("Invalid " + directory + ": phi of global_id "
            + globalId + ", dimension " + dimension + " is " + value);
      }
      seen[flat] = true;
      phi[flat] = value;
    }
    return phi;
  }

  /**
   * Returns the codebook as an m·d array, field-major.
   *
   * @throws IllegalArgumentException when a field is unknown, an entry repeats or is missing
   */
  public static float[] readCodebook(SparkSession spark, Path directory, ModelConfig config) {
    int m = config.fieldCount();
    int d = config.embeddingDim();
    Dataset<Row> table = spark.read().parquet(directory.toString());
    DataType fieldType = table.schema().apply("field").dataType();
    List<Row> rows = table.select(col("field"), col("dimension").cast("int"),
        col("value").cast("float")).collectAsList();
    float[] codebook = new float[m * d];
    boolean[] seen = new boolean[m * d];
    for (Row row : rows) {
      int field = fieldIndex(row, fieldType, config, directory);
      int dimension = row.getInt(1);
      if (dimension < 0 || dimension >= d) {
        throw new IllegalArgumentException("Invalid " + directory + ": dimension " + dimension
            + " of field " + field + " is outside [0, " + d + ")");
      }
      int index = field * d + dimension;
      if (seen[index]) {
        throw new IllegalArgumentException("Invalid " + directory + ": field " + field
            + ", dimension " + dimension + " appears twice");
      }
      seen[index] = true;
      codebook[index] = row.getFloat(2);
    }
    for (int index = 0; index < seen.length; index++) {
      if (!seen[index]) {
        throw new IllegalArgumentException("Invalid " + directory + ": no value for field '"
            + config.fieldNames().get(index / d) + "', dimension " + index % d
            + "; the codebook must cover every field and dimension of the model");
      }
    }
    return codebook;
  }

  private static int fieldIndex(Row row, DataType type, ModelConfig config, Path directory) {
    if (type.equals(DataTypes.StringType)) {
      int index = config.fieldNames().indexOf(row.getString(0));
      if (index < 0) {
        throw new IllegalArgumentException("Invalid " + directory + ": field '"
            + row.getString(0) + "' is not a field of the model; known: "
            + config.fieldNames());
      }
      return index;
    }
    long index = ((Number) row.get(0)).longValue();
    if (index < 0 || index >= config.fieldCount()) {
      throw new IllegalArgumentException("Invalid " + directory + ": field index " + index
          + " is outside [0, " + config.fieldCount() + ")");
    }
    return (int) index;
  }

  /** Returns whether {@code values} contains a non-zero entry; used to flag an empty estimate. */
  static boolean anyNonZero(double[] values) {
    return Arrays.stream(values).anyMatch(value -> value != 0);
  }
}
