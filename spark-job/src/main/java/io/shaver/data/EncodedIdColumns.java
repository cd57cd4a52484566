package io.shaver.data;

import io.shaver.config.IdKind;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the columns of pre-encoded input: a 0/1 label and one integer id per field, local
 * (0 to size - 1) or global (offset to offset + size - 1) as the config declares. The decoded
 * ids are always global.
 *
 * <p>A value that is not a whole number rejects the row ({@link RowStatus#INVALID_ID}, counted
 * against the error budget). A whole number outside the field's range is
 * {@link RowStatus#ID_OUT_OF_RANGE}, which stops the stage: it means the declared field sizes
 * do not match the data.
 */
final class EncodedIdColumns implements ColumnDecoder {

  private static final long serialVersionUID = 1L;

  private final int columnCount;
  private final String[] columnNames;
  private final int labelColumn;
  private final int[] idColumns;
  private final int[] sizes;
  private final int[] offsets;
  private final IdKind idKind;

  EncodedIdColumns(String[] columnNames, boolean checkColumnCount, int labelColumn,
      int[] idColumns, int[] sizes, IdKind idKind) {
    this.columnNames = columnNames.clone();
    this.columnCount = checkColumnCount ? columnNames.length : -1;
    this.labelColumn = labelColumn;
    this.idColumns = idColumns.clone();
    this.sizes = sizes.clone();
    this.offsets = new int[sizes.length];
    for (int i = 1; i < sizes.length; i++) {
      offsets[i] = offsets[i - 1] + sizes[i - 1];
    }
    this.idKind = idKind;
  }

  @Override
  public List<FieldSpec> fields() {
    List<FieldSpec> fields = new ArrayList<>();
    for (int column : idColumns) {
      fields.add(new FieldSpec(columnNames[column], FieldKind.CATEGORICAL));
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
    int label = NumberParsing.parseLabel(columns[labelColumn], false);
    if (label < 0) {
      out.reject(RowStatus.INVALID_LABEL, explain, "label column '" + columnNames[labelColumn]
          + "' is " + ColumnTokenizer.quote(columns[labelColumn]) + ", expected 0 or 1");
      return;
    }
    int[] ids = new int[idColumns.length];
    for (int f = 0; f < idColumns.length; f++) {
      String value = columns[idColumns[f]];
      Long id = value == null ? null : NumberParsing.parseWholeNumber(value);
      if (id == null) {
        out.reject(RowStatus.INVALID_ID, explain, "field '" + columnNames[idColumns[f]]
            + "' has id " + ColumnTokenizer.quote(value) + ", not a whole number");
        return;
      }
      long low = idKind == IdKind.LOCAL ? 0 : offsets[f];
      long high = low + sizes[f];
      if (id < low || id >= high) {
        out.reject(RowStatus.ID_OUT_OF_RANGE, explain, "field '" + columnNames[idColumns[f]]
            + "' has " + idKind.configName() + " id " + id + ", outside [" + low + ", " + high
            + ") for its size " + sizes[f]);
        return;
      }
      ids[f] = (int) (id - low) + offsets[f];
    }
    out.label = label;
    out.ids = ids;
  }
}
