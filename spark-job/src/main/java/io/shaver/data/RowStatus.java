package io.shaver.data;

import java.util.Locale;

/**
 * Reason why an input line did not become an encoded row.
 *
 * <p>Empty lines and headers are skipped and counted. Rejections count against the error
 * budget. Fatal problems stop the stage at once, whatever the budget.
 */
public enum RowStatus {
  EMPTY_LINE(Kind.SKIPPED),
  HEADER(Kind.SKIPPED),
  WRONG_COLUMN_COUNT(Kind.REJECTED),
  INVALID_LABEL(Kind.REJECTED),
  INVALID_INTEGER(Kind.REJECTED),
  INVALID_ID(Kind.REJECTED),
  /** An encoded id outside its field's range: the field sizes or the data are wrong. */
  ID_OUT_OF_RANGE(Kind.FATAL),
  /** A file whose header line differs from the first file's: the columns would be misread. */
  HEADER_MISMATCH(Kind.FATAL);

  /** Effect of a status on the stage: skipped, rejected within the budget, or fatal. */
  public enum Kind {
    SKIPPED,
    REJECTED,
    FATAL
  }

  private final Kind kind;

  RowStatus(Kind kind) {
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /** Name used in the status column and in report.json, for example {@code invalid_label}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a {@link #code()}. */
  public static RowStatus fromCode(String code) {
    return valueOf(code.toUpperCase(Locale.ROOT));
  }
}
