package io.shaver.data;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts parsed rows by {@link RowStatus} and enforces the error budget.
 *
 * <p>Rules: any fatal row stops the stage. Rejected rows are skipped while they are at most
 * {@code errorBudget} times the rows read (valid plus rejected; empty lines and headers do not
 * count); past that the stage stops. Either way the first {@value #EXAMPLES} bad rows, in row
 * key order (file order, then position), are logged or put into the message with their file,
 * line and reason. No valid row at all is an error too.
 */
public final class InputQuality {

  static final int EXAMPLES = 5;

  private static final Logger LOG = LoggerFactory.getLogger(InputQuality.class);

  private final long valid;
  private final Map<RowStatus, Long> counts;

  private InputQuality(long valid, Map<RowStatus, Long> counts) {
    this.valid = valid;
    this.counts = counts;
  }

  /** Counts the statuses of {@code parsed} (one Spark job). */
  public static InputQuality count(Dataset<Row> parsed) {
    long valid = 0;
    Map<RowStatus, Long> counts = new EnumMap<>(RowStatus.class);
    for (RowStatus status : RowStatus.values()) {
      counts.put(status, 0L);
    }
    for (Row row : parsed.groupBy("status").count().collectAsList()) {
      if (row.isNullAt(0)) {
        valid = row.getLong(1);
      } else {
        counts.put(RowStatus.fromCode(row.getString(0)), row.getLong(1));
      }
    }
    return new InputQuality(valid, counts);
  }

  /**
   * Checks the budget and logs the first bad rows.
   *
   * @throws InputDataException on a fatal row, on rejections past the budget, or on an input
   *     without valid rows
   */
  public void check(Dataset<Row> parsed, double errorBudget, JavaSparkContext context,
      InputFiles files, boolean text) {
    long fatal = total(RowStatus.Kind.FATAL);
    if (fatal > 0) {
      List<String> examples = examples(parsed, RowStatus.Kind.FATAL, context, files, text);
      throw new InputDataException("Invalid input: " + fatal + " row(s) cannot be read as"
          + " configured. First:\n  " + String.join("\n  ", examples));
    }
    long rejected = rejected();
    if (rejected > 0) {
      List<String> examples = examples(parsed, RowStatus.Kind.REJECTED, context, files, text);
      if (rejected > errorBudget * rowsRead()) {
        throw new InputDataException(String.format(Locale.ROOT,
            "Too many malformed rows: %d of %d rows read (%.4f %%) are invalid, more than the"
                + " error budget of %.4f %% (data.error_budget). Rejected by reason: %s. First"
                + " bad rows:%n  %s%nFix the input or raise data.error_budget.",
            rejected, rowsRead(), 100.0 * rejected / rowsRead(), 100.0 * errorBudget,
            rejectedByReason(), String.join("\n  ", examples)));
      }
      LOG.warn("Skipped {} malformed rows of {} (within the error budget {}): {}. First:\n  {}",
          rejected, rowsRead(), errorBudget, rejectedByReason(),
          String.join("\n  ", examples));
    }
    if (valid == 0) {
      throw new InputDataException("The input has no valid rows (" + files.size()
          + " file(s), " + files.totalBytes() + " bytes, " + count(RowStatus.EMPTY_LINE)
          + " empty lines, " + count(RowStatus.HEADER) + " header lines): " + files.paths()
          + ". Check data.path and data.format.");
    }
  }

  private List<String> examples(Dataset<Row> parsed, RowStatus.Kind kind,
      JavaSparkContext context, InputFiles files, boolean text) {
    List<String> codes = new ArrayList<>();
    for (RowStatus status : RowStatus.values()) {
      if (status.kind() == kind) {
        codes.add(status.code());
      }
    }
    List<Row> rows = parsed.where(col("status").isin(codes.toArray()))
        .orderBy("row_key").limit(EXAMPLES)
        .select("row_key", "status", "detail", "text").collectAsList();
    List<Long> keys = rows.stream().map(row -> row.getLong(0)).toList();
    List<String> places = RowLocator.describe(context, files, text, keys);
    List<String> examples = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      examples.add(places.get(i) + " (" + row.getString(1) + ": " + row.getString(2) + "): "
          + ColumnTokenizer.quote(row.getString(3)));
    }
    return examples;
  }

  private long total(RowStatus.Kind kind) {
    long total = 0;
    for (Map.Entry<RowStatus, Long> entry : counts.entrySet()) {
      if (entry.getKey().kind() == kind) {
        total += entry.getValue();
      }
    }
    return total;
  }

  /** Returns the number of valid rows. */
  public long valid() {
    return valid;
  }

  /** Returns the number of rejected rows (malformed and skipped within the budget). */
  public long rejected() {
    return total(RowStatus.Kind.REJECTED);
  }

  /** Returns the data rows read: valid plus rejected (empty lines and headers excluded). */
  public long rowsRead() {
    return valid + rejected() + total(RowStatus.Kind.FATAL);
  }

  /** Returns all lines (or Parquet rows) read, empty lines and headers included. */
  public long linesRead() {
    return rowsRead() + total(RowStatus.Kind.SKIPPED);
  }

  public long count(RowStatus status) {
    return counts.get(status);
  }

  /** Returns the rejected rows per reason code, every rejection reason listed. */
  public Map<String, Long> rejectedByReason() {
    Map<String, Long> byReason = new java.util.LinkedHashMap<>();
    for (RowStatus status : RowStatus.values()) {
      if (status.kind() == RowStatus.Kind.REJECTED) {
        byReason.put(status.code(), counts.get(status));
      }
    }
    return byReason;
  }
}
