package io.shaver.data;

import java.util.List;

/**
 * Per-field sizes and offsets and per-row tokens and train+val counts: the contents of
 * {@code prepared/fields} and {@code prepared/vocabulary}.
 */
public interface VocabularyTable {

  List<FieldSpec> fields();

  default int fieldCount() {
    return fields().size();
  }

  /** Rows of field f, OOV slot included. */
  int size(int field);

  /** Global id of field f's first row: the sum of the sizes of the fields before it. */
  int offset(int field);

  /** Sum of all field sizes. */
  int totalSize();

  /** Local id of field f's OOV slot: its last row. */
  default int oovLocalId(int field) {
    return size(field) - 1;
  }

  /** Token of a row, or null for the OOV slot (and for ids without a known token). */
  String tokenOrNull(int field, int localId);

  /** Occurrences of a row in the train and val splits. */
  long trainValCount(int field, int localId);

  /** Global ids of the OOV slots, one per field. */
  default int[] oovGlobalIds() {
    int[] ids = new int[fieldCount()];
    for (int f = 0; f < ids.length; f++) {
      ids[f] = offset(f) + oovLocalId(f);
    }
    return ids;
  }
}
