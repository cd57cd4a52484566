package io.shaver.data;

import static org.apache.spark.sql.functions.col;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads Parquet input with Spark. A row's position in its file is Spark's
 * {@code _metadata.row_index}, so row keys do not depend on partitioning. Every selected
 * column is cast to a string and decoded like a text column; a null value is a missing value.
 */
final class ParquetInput {

  private ParquetInput() {
  }

  /**
   * Parses the rows of {@code files}.
   *
   * @param columns the columns handed to the decoder, in its column order
   * @throws InputDataException if a column is missing; the message lists the file's columns
   */
  static JavaRDD<Row> read(SparkSession spark, InputFiles files, List<String> columns,
      ColumnDecoder decoder, ParsedRows rows) {
    String[] paths = files.paths().stream().map(Path::toString).toArray(String[]::new);
    Dataset<Row> table = spark.read().parquet(paths);
    List<String> available = Arrays.asList(table.columns());
    for (String column : columns) {
      if (!available.contains(column)) {
        throw new InputDataException("Column '" + column + "' not found in the Parquet input "
            + String.join(", ", paths) + "; its columns are " + available
            + ". Check data.label and the feature column keys.");
      }
    }
    List<Column> selected = new ArrayList<>();
    for (String column : columns) {
      selected.add(col("`" + column + "`").cast("string"));
    }
    selected.add(col("_metadata.file_path"));
    selected.add(col("_metadata.row_index"));

    Map<String, Integer> indexes = new HashMap<>();
    for (int i = 0; i < files.size(); i++) {
      indexes.put(files.path(i).toUri().getPath(), i);
    }
    int width = columns.size();
    return table.select(selected.toArray(new Column[0])).javaRDD()
        .mapPartitions(input -> new DecodingIterator(input, width, indexes, decoder, rows));
  }

  /** Decodes Spark rows of string columns followed by file path and row index. */
  private static final class DecodingIterator implements Iterator<Row> {
    private final Iterator<Row> input;
    private final int width;
    private final Map<String, Integer> indexes;
    private final ColumnDecoder decoder;
    private final ParsedRows rows;

    DecodingIterator(Iterator<Row> input, int width, Map<String, Integer> indexes,
        ColumnDecoder decoder, ParsedRows rows) {
      this.input = input;
      this.width = width;
      this.indexes = indexes;
      this.decoder = decoder;
      this.rows = rows;
    }

    @Override
    public boolean hasNext() {
      return input.hasNext();
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Row row = input.next();
      String[] columns = new String[width];
      for (int i = 0; i < width; i++) {
        columns[i] = row.isNullAt(i) ? null : row.getString(i);
      }
      String file = row.getString(width);
      Integer fileIndex = indexes.get(URI.create(file).getPath());
      if (fileIndex == null) {
        throw new IllegalStateException("Parquet row from unknown file " + file);
      }
      long rowKey = RowKeys.of(fileIndex, row.getLong(width + 1));
      DecodedRow decoded = new DecodedRow();
      decoder.decode(columns, decoded, false);
      if (decoded.status == null) {
        return rows.valid(rowKey, decoded);
      }
      DecodedRow explained = new DecodedRow();
      decoder.decode(columns, explained, true);
      return rows.rejected(rowKey, decoded.status, String.join(",", Arrays.asList(columns)),
          explained.detail);
    }
  }
}
