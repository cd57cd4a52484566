package io.shaver.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * Parses one line of delimited text into a {@link ParsedRows} row.
 *
 * <p>A trailing carriage return and, on a file's first line, a UTF-8 byte order mark are
 * stripped. An empty line is skipped and counted. Columns are split on the delimiter keeping
 * trailing empty columns, with no quoting. The first line of a file is a header when
 * {@link HeaderMode} requires it: {@code REQUIRED} expects the header text of the first input file
 * on every file and stops the stage on a different one, {@code DETECT} treats the first line
 * as a header only when it equals the expected text (Avazu files with and without a header).
 */
final class TextLineParser implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Whether the first line of each file is a header. */
  enum HeaderMode {
    NONE,
    DETECT,
    REQUIRED
  }

  private final char delimiter;
  private final HeaderMode headerMode;
  private final String header;
  private final ColumnDecoder decoder;
  private final ParsedRows rows;

  TextLineParser(char delimiter, HeaderMode headerMode, String header, ColumnDecoder decoder,
      ParsedRows rows) {
    this.delimiter = delimiter;
    this.headerMode = headerMode;
    this.header = header;
    this.decoder = decoder;
    this.rows = rows;
  }

  ColumnDecoder decoder() {
    return decoder;
  }

  /** Parses the line that starts at byte {@code offset} of file {@code fileIndex}. */
  Row parse(int fileIndex, long offset, String line) {
    long rowKey = RowKeys.of(fileIndex, offset);
    String text = clean(line, offset);
    if (text.isEmpty()) {
      return rows.skipped(rowKey, RowStatus.EMPTY_LINE);
    }
    if (offset == 0 && headerMode != HeaderMode.NONE) {
      if (text.equals(header)) {
        return rows.skipped(rowKey, RowStatus.HEADER);
      }
      if (headerMode == HeaderMode.REQUIRED) {
        return rows.rejected(rowKey, RowStatus.HEADER_MISMATCH, text,
            "the header differs from the first input file's header "
                + ColumnTokenizer.quote(header));
      }
    }
    String[] columns = split(text, delimiter);
    DecodedRow decoded = new DecodedRow();
    decoder.decode(columns, decoded, false);
    if (decoded.status == null) {
      return rows.valid(rowKey, decoded);
    }
    DecodedRow explained = new DecodedRow();
    decoder.decode(columns, explained, true);
    return rows.rejected(rowKey, decoded.status, text, explained.detail);
  }

  static String clean(String line, long offset) {
    String text = line;
    if (offset == 0 && !text.isEmpty() && text.charAt(0) == '\uFEFF') {
      text = text.substring(1);
    }
    if (!text.isEmpty() && text.charAt(text.length() - 1) == '\r') {
      text = text.substring(0, text.length() - 1);
    }
    return text;
  }

  /** Splits on {@code delimiter}, keeping empty columns, also trailing ones. */
  static String[] split(String text, char delimiter) {
    int count = 1;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == delimiter) {
        count++;
      }
    }
    String[] columns = new String[count];
    int start = 0;
    int column = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == delimiter) {
        columns[column++] = text.substring(start, i);
        start = i + 1;
      }
    }
    columns[column] = text.substring(start);
    return columns;
  }

  /** Returns the column names of a header line. */
  static List<String> headerColumns(String header, char delimiter) {
    return new ArrayList<>(List.of(split(header, delimiter)));
  }
}
