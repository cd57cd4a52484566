package io.shaver.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaver.output.ParquetTables;
import io.shaver.shapley.Estimate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The rows of a {@code shapley/} output, read back in part-file order. */
record ShapleyTable(List<Row> rows, int dimension) {

  /** Reads {@code shapley/} under {@code run}, part files in name order. */
  static ShapleyTable read(SparkSession spark, Path run, int dimension) {
    List<Row> rows = new ArrayList<>();
    org.apache.hadoop.fs.Path directory =
        new org.apache.hadoop.fs.Path(run.resolve(ShapleyOutputs.SHAPLEY).toString());
    for (org.apache.hadoop.fs.Path part : ParquetTables.partFiles(directory,
        spark.sparkContext().hadoopConfiguration())) {
      rows.addAll(spark.read().parquet(part.toString()).collectAsList());
    }
    return new ShapleyTable(rows, dimension);
  }

  Row row(long parameter) {
    return rows.get((int) parameter);
  }

  double phi(long parameter) {
    return row(parameter).getDouble(row(parameter).fieldIndex("phi"));
  }

  double stderr(long parameter) {
    return row(parameter).getDouble(row(parameter).fieldIndex("stderr"));
  }

  long occurrences(long parameter) {
    return row(parameter).getLong(row(parameter).fieldIndex("occurrences"));
  }

  /** Asserts one row per parameter, sorted by (global_id, dimension). */
  void assertComplete(long parameters) {
    assertEquals(parameters, rows.size(), "rows in shapley/");
    for (int p = 0; p < rows.size(); p++) {
      Row row = rows.get(p);
      assertEquals(p / dimension, row.getLong(row.fieldIndex("global_id")), "global_id of row " + p);
      assertEquals(p % dimension, row.getInt(row.fieldIndex("dimension")), "dimension of row " + p);
    }
  }

  /** Asserts phi and stderr within {@code tolerance} relative and equal occurrences. */
  void assertMatches(Estimate expected, double tolerance) {
    for (int p = 0; p < rows.size(); p++) {
      double phi = expected.phi(p);
      assertEquals(phi, phi(p), tolerance * Math.abs(phi), "phi of parameter " + p);
      double se = expected.standardError(p);
      assertEquals(se, stderr(p), tolerance * se, "stderr of parameter " + p);
      assertEquals(expected.occurrences(p), occurrences(p), "occurrences of parameter " + p);
    }
  }

  /** Asserts phi and stderr within {@code tolerance} relative of another table's. */
  void assertMatches(ShapleyTable expected, double tolerance) {
    assertEquals(expected.rows.size(), rows.size(), "rows");
    for (int p = 0; p < rows.size(); p++) {
      double phi = expected.phi(p);
      assertEquals(phi, phi(p), tolerance * Math.abs(phi), "phi of parameter " + p);
      double se = expected.stderr(p);
      assertEquals(se, stderr(p), tolerance * se, "stderr of parameter " + p);
      assertEquals(expected.occurrences(p), occurrences(p), "occurrences of parameter " + p);
    }
    assertTrue(rows.stream().anyMatch(row -> row.getDouble(row.fieldIndex("phi")) != 0.0),
        "some phi is non-zero");
  }
}
