package io.shaver.prepare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shaver.data.PreparedTables;
import io.shaver.testing.SharedSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;

/** Reads a prepare output directory back for assertions. */
final class PreparedOutput {

  private final String prepared;

  PreparedOutput(String runOutput) {
    this.prepared = runOutput + "/" + PreparedTables.DIRECTORY;
  }

  String path(String table) {
    return prepared + "/" + table;
  }

  /** Fields table rows in field order: field, field_index, kind, size, offset. */
  List<Row> fields() {
    return SharedSpark.get().read().parquet(path(PreparedTables.FIELDS))
        .orderBy("field_index").collectAsList();
  }

  /** Vocabulary rows in global id order. */
  List<Row> vocabulary() {
    return SharedSpark.get().read().parquet(path(PreparedTables.VOCABULARY))
        .orderBy("global_id").collectAsList();
  }

  /** Split rows in file order, then row order within each file. */
  List<Row> split(String name) {
    List<Row> rows = new ArrayList<>();
    for (String file : partFiles(name)) {
      rows.addAll(SharedSpark.get().read().parquet(file).collectAsList());
    }
    return rows;
  }

  /** Part files of a split in name order. */
  List<String> partFiles(String name) {
    String directory = path(name);
    if (directory.startsWith("hdfs:")) {
      return io.shaver.output.ParquetTables.partFiles(new org.apache.hadoop.fs.Path(directory),
          SharedSpark.get().sparkContext().hadoopConfiguration()).stream()
          .map(Object::toString).toList();
    }
    try (Stream<Path> files = Files.list(Path.of(directory))) {
      return files.map(Path::toString).filter(f -> f.endsWith(".parquet")).sorted().toList();
    } catch (IOException e) {
      throw new AssertionError("Cannot list " + directory, e);
    }
  }

  JsonNode report() throws IOException {
    return new ObjectMapper().readTree(Files.readString(Path.of(path(PreparedTables.REPORT))));
  }
}
