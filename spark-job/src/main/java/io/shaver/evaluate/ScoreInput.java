package io.shaver.evaluate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.shaver.data.InputDataException;
import io.shaver.model.ModelConfig;
import io.shaver.spark.PreparedData;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The rows that the {@code score} command scores: a prepared split of a run directory, or an
 * encoded Parquet table with the columns of a prepared split.
 *
 * <p>Columns: {@code row_key} (long or int, required), {@code ids} (array of int or long, one
 * global id per field in the model's field order, required) and {@code label} (int, long or double,
 * optional; read as int and null where absent). Other columns are ignored.
 *
 * @param table the Parquet table that was read
 * @param rows the rows with columns {@code row_key} (long), {@code label} (int, nullable) and
 *     {@code ids}
 */
record ScoreInput(Path table, Dataset<Row> rows) {

  /**
   * Opens {@code data}: when it contains {@code prepared/}, its split {@code split}, after
   * checking that {@code prepared/fields} matches the model; otherwise {@code data} itself.
   * Then checks the first row's id count against the model's field count, so that a model and
   * data with different fields fail before any output is written.
   *
   * @throws InputDataException when the table is missing, lacks a required column, or
   *     does not fit the model's fields
   */
  static ScoreInput open(SparkSession spark, Path data, String split, ModelConfig model,
      Path modelDirectory) throws IOException {
    FileSystem fs = data.getFileSystem(spark.sparkContext().hadoopConfiguration());
    Path table = data;
    if (fs.exists(new Path(data, "prepared"))) {
      checkPreparedFields(PreparedData.open(spark, data), model, modelDirectory, data);
      table = new Path(data, "prepared/" + split);
    }
    if (!fs.exists(table)) {
      throw new InputDataException("Score input not found: " + table
          + (table.equals(data) ? "" : " (no split '" + split + "' under prepared/)"));
    }
    Dataset<Row> raw = spark.read().parquet(table.toString());
    StructType schema = raw.schema();
    requireColumn(schema, table, "row_key", DataTypes.LongType, DataTypes.IntegerType);
    requireColumn(schema, table, "ids", DataTypes.createArrayType(DataTypes.IntegerType),
        DataTypes.createArrayType(DataTypes.LongType));
    // Long ids (pyarrow's default for Python ints) are narrowed here, so an id beyond the int
    // range fails the cast, and every other id is range-checked per field while scoring.
    Dataset<Row> rows = raw.select(col("row_key").cast("long").as("row_key"),
        hasColumn(schema, "label") ? col("label").cast("int").as("label")
            : lit(null).cast("int").as("label"),
        col("ids").cast("array<int>").as("ids"));
    checkFirstRow(rows, table, model, modelDirectory);
    return new ScoreInput(table, rows);
  }

  private static void checkPreparedFields(PreparedData prepared, ModelConfig model,
      Path modelDirectory, Path run) {
    if (!Arrays.equals(prepared.fieldSizes(), model.fieldSizes())) {
      throw new InputDataException("The model at " + modelDirectory + " does not fit the"
          + " prepared data of " + run + ": the model has " + model.fieldCount()
          + " fields with sizes " + Arrays.toString(model.fieldSizes()) + " "
          + model.fieldNames() + ", prepared/fields has " + prepared.fieldNames().size()
          + " fields with sizes " + Arrays.toString(prepared.fieldSizes()) + " "
          + prepared.fieldNames() + ". Prepare the data with the encoding the model was"
          + " trained on (data.format: encoded with the model's field_sizes).");
    }
  }

  private static void checkFirstRow(Dataset<Row> rows, Path table, ModelConfig model,
      Path modelDirectory) {
    List<Row> first = rows.limit(1).collectAsList();
    if (first.isEmpty()) {
      throw new InputDataException("Score input " + table + " has no rows");
    }
    List<Integer> ids = first.get(0).getList(2);
    if (ids == null || ids.size() != model.fieldCount()) {
      throw new InputDataException(fieldCountMessage(model, modelDirectory, table,
          first.get(0).getLong(0), ids == null ? 0 : ids.size()));
    }
  }

  /** Returns the message for a row whose id count differs from the model's field count. */
  static String fieldCountMessage(ModelConfig model, Object modelDirectory, Object table,
      long rowKey, int idCount) {
    return "Field count mismatch: the model at " + modelDirectory + " has "
        + model.fieldCount() + " fields " + model.fieldNames() + " (model.json field_sizes "
        + Arrays.toString(model.fieldSizes()) + "), but row_key " + rowKey + " of " + table
        + " has " + idCount + " ids. Score data encoded for this model (one global id per"
        + " field, in model.json's field order), or pass the model directory that was trained"
        + " on this data.";
  }

  private static boolean hasColumn(StructType schema, String name) {
    return Arrays.asList(schema.fieldNames()).contains(name);
  }

  private static void requireColumn(StructType schema, Path table, String name,
      DataType... accepted) {
    if (!hasColumn(schema, name)) {
      throw new InputDataException("Score input " + table + " has no column '" + name
          + "'; expected row_key (long), ids (array of int or long global ids, one per field) and"
          + " optionally label, found " + Arrays.toString(schema.fieldNames()));
    }
    DataType type = schema.apply(name).dataType();
    for (DataType candidate : accepted) {
      if (sameType(candidate, type)) {
        return;
      }
    }
    throw new InputDataException("Score input " + table + ": column '" + name
        + "' has type " + type.simpleString() + ", expected " + describe(accepted));
  }

  private static String describe(DataType... types) {
    StringBuilder text = new StringBuilder(types[0].simpleString());
    for (int i = 1; i < types.length; i++) {
      text.append(" or ").append(types[i].simpleString());
    }
    return text.toString();
  }

  private static boolean sameType(DataType expected, DataType actual) {
    if (expected instanceof ArrayType a && actual instanceof ArrayType b) {
      return a.elementType().equals(b.elementType());
    }
    return expected.equals(actual);
  }
}
