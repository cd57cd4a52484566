package io.shaver.evaluate;

import io.shaver.output.ParquetTables;
import io.shaver.output.Provenance;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Reads and writes {@code pruned-by-field/}: per pruning method, budget and field, the field's
 * parameter count and how many of them the budget prunes.
 *
 * <p>Columns: method, budget, field (name), field_index (int), parameters, pruned (long),
 * pruned_share (double).
 */
public final class FieldShareTable {

  public static final StructType SCHEMA = new StructType()
      .add("method", DataTypes.StringType, false)
      .add("budget", DataTypes.StringType, false)
      .add("field", DataTypes.StringType, false)
      .add("field_index", DataTypes.IntegerType, false)
      .add("parameters", DataTypes.LongType, false)
      .add("pruned", DataTypes.LongType, false)
      .add("pruned_share", DataTypes.DoubleType, false);

  private FieldShareTable() {
  }

  /** Writes {@code rows} to {@code target} atomically as one Parquet file. */
  public static void write(List<FieldShareRow> rows, Path target, Provenance provenance,
      Configuration hadoopConf) {
    List<Row> sparkRows = new ArrayList<>();
    for (FieldShareRow row : rows) {
      sparkRows.add(RowFactory.create(row.method(), row.budget(), row.field(), row.fieldIndex(),
          row.parameters(), row.pruned(), row.share()));
    }
    ParquetTables.writeLocal(sparkRows, SCHEMA, target, provenance, hadoopConf);
  }

  /** Reads every row of a {@code pruned-by-field/} directory, in file order. */
  public static List<FieldShareRow> read(SparkSession spark, Path directory) {
    List<FieldShareRow> rows = new ArrayList<>();
    for (Row row : spark.read().parquet(directory.toString()).select("method", "budget",
        "field_index", "field", "parameters", "pruned").collectAsList()) {
      rows.add(new FieldShareRow(row.getString(0), row.getString(1), row.getInt(2),
          row.getString(3), row.getLong(4), row.getLong(5)));
    }
    return rows;
  }
}
