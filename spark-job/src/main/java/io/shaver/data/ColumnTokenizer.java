package io.shaver.data;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes raw columns into a label and one token per field: integer fields through
 * {@link IntegerBinning}, categorical fields as their raw text. An empty or missing value is
 * the token {@value IntegerBinning#MISSING} in both kinds, so a categorical value that is
 * literally "NULL" shares the missing value's token.
 */
final class ColumnTokenizer implements ColumnDecoder {

  private static final long serialVersionUID = 1L;

  /** Rule that turns the label column into 0 or 1. */
  enum LabelRule {
    /** The value must be 0 or 1 (also written 0.0 or 1.0). */
    BINARY,
    /** The value is a click count of at least 0; the label is 1 when it is at least 1. */
    COUNT
  }

  private final int columnCount;
  private final String[] columnNames;
  private final int labelColumn;
  private final LabelRule labelRule;
  private final int[] featureColumns;
  private final FieldKind[] kinds;

  /**
   * @param columnNames names of all source columns, used in messages
   * @param checkColumnCount whether a row must have exactly {@code columnNames.length} columns
   */
  ColumnTokenizer(String[] columnNames, boolean checkColumnCount, int labelColumn,
      LabelRule labelRule, int[] featureColumns, FieldKind[] kinds) {
    if (featureColumns.length != kinds.length) {
      throw new IllegalArgumentException("one kind per feature column expected");
    }
    this.columnNames = columnNames.clone();
    this.columnCount = checkColumnCount ? columnNames.length : -1;
    this.labelColumn = labelColumn;
    this.labelRule = labelRule;
    this.featureColumns = featureColumns.clone();
    this.kinds = kinds.clone();
  }

  @Override
  public List<FieldSpec> fields() {
    List<FieldSpec> fields = new ArrayList<>();
    for (int i = 0; i < featureColumns.length; i++) {
      fields.add(new FieldSpec(columnNames[featureColumns[i]], kinds[i]));
    }
    return fields;
  }

  @Override
  public void decode(String[] columns, DecodedRow out, boolean explain) {
    if (columnCount >= 0 && columns.length != columnCount) {
      out.reject(RowStatus.WRONG_COLUMN_COUNT, explain,
          "expected " + columnCount + " columns, got " + columns.length);
      return;
    }
    int label = NumberParsing.parseLabel(columns[labelColumn], labelRule == LabelRule.COUNT);
    if (label < 0) {
      out.reject(RowStatus.INVALID_LABEL, explain, "label column '" + columnNames[labelColumn]
          + "' is " + quote(columns[labelColumn]) + ", expected "
          + (labelRule == LabelRule.BINARY ? "0 or 1" : "a click count of at least 0"));
      return;
    }
    String[] tokens = new String[featureColumns.length];
    for (int i = 0; i < featureColumns.length; i++) {
      String value = columns[featureColumns[i]];
      if (value == null || value.isEmpty()) {
        tokens[i] = IntegerBinning.MISSING;
      } else if (kinds[i] == FieldKind.INTEGER) {
        Long number = NumberParsing.parseWholeNumber(value);
        if (number == null) {
          out.reject(RowStatus.INVALID_INTEGER, explain, "integer column '"
              + columnNames[featureColumns[i]] + "' is " + quote(value) + ", not a whole number");
          return;
        }
        tokens[i] = IntegerBinning.token(number);
      } else {
        tokens[i] = value;
      }
    }
    out.label = label;
    out.tokens = tokens;
  }

  static String quote(String value) {
    if (value == null) {
      return "missing";
    }
    String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
    return "'" + shown + "'";
  }
}
