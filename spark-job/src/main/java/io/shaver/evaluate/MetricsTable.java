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
 * Reads and writes {@code metrics/}: one Parquet row per evaluated variant, with provenance.
 *
 * <p>Columns: method (string), budget (string), sparsity (double), kept (long), bytes (long),
 * auc, logloss, kl, delta_auc (double). The unpruned model's row has method {@code unpruned}
 * and budget {@code none}. Rows are written in evaluation order: unpruned first, then each
 * method's budgets in sweep order.
 */
public final class MetricsTable {

  public static final StructType SCHEMA = new StructType()
      .add("method", DataTypes.StringType, false)
      .add("budget", DataTypes.StringType, false)
      .add("sparsity", DataTypes.DoubleType, false)
      .add("kept", DataTypes.LongType, false)
      .add("bytes", DataTypes.LongType, false)
      .add("auc", DataTypes.DoubleType, false)
      .add("logloss", DataTypes.DoubleType, false)
      .add("kl", DataTypes.DoubleType, false)
      .add("delta_auc", DataTypes.DoubleType, false);

  private MetricsTable() {
  }

  /** Writes {@code rows} to {@code target} atomically as one Parquet file. */
  public static void write(List<MetricsRow> rows, Path target, Provenance provenance,
      Configuration hadoopConf) {
    List<Row> sparkRows = new ArrayList<>();
    for (MetricsRow row : rows) {
      sparkRows.add(RowFactory.create(row.method(), row.budget(), row.sparsity(), row.kept(),
          row.bytes(), row.auc(), row.logloss(), row.kl(), row.deltaAuc()));
    }
    ParquetTables.writeLocal(sparkRows, SCHEMA, target, provenance, hadoopConf);
  }

  /** Reads every row of a {@code metrics/} directory, in file order. */
  public static List<MetricsRow> read(SparkSession spark, Path directory) {
    List<MetricsRow> rows = new ArrayList<>();
    for (Row row : spark.read().parquet(directory.toString()).select("method", "budget",
        "sparsity", "kept", "bytes", "auc", "logloss", "kl", "delta_auc").collectAsList()) {
      rows.add(new MetricsRow(row.getString(0), row.getString(1), row.getDouble(2),
          row.getLong(3), row.getLong(4), row.getDouble(5), row.getDouble(6), row.getDouble(7),
          row.getDouble(8)));
    }
    return rows;
  }
}
