package io.shaver.compress;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Names and row ranges of the feature fields of one shared embedding table.
 *
 * <p>Field f owns global rows [offset(f), offset(f + 1)). Every field has at least one row (its
 * OOV slot), so offsets strictly increase from 0 to n.
 */
public final class FieldLayout {

  private final List<String> names;
  private final int[] offsets;

  private FieldLayout(List<String> names, int[] offsets) {
    this.names = names;
    this.offsets = offsets;
  }

  /**
   * Builds a layout from field names and their exclusive prefix sums of sizes.
   *
   * @param names m field names, distinct and not blank
   * @param offsets m + 1 row offsets: 0, then strictly increasing, the last equal to n
   */
  public static FieldLayout of(List<String> names, int[] offsets) {
    Objects.requireNonNull(names, "names");
    Objects.requireNonNull(offsets, "offsets");
    if (names.isEmpty()) {
      throw new IllegalArgumentException("a field layout needs at least one field");
    }
    if (offsets.length != names.size() + 1) {
      throw new IllegalArgumentException("field offsets must have m + 1 = " + (names.size() + 1)
          + " entries, got " + offsets.length);
    }
    if (offsets[0] != 0) {
      throw new IllegalArgumentException("the first field offset must be 0, got " + offsets[0]);
    }
    for (int f = 0; f < names.size(); f++) {
      String name = names.get(f);
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("field " + f + " has an empty name");
      }
      if (offsets[f + 1] <= offsets[f]) {
        throw new IllegalArgumentException("field '" + name + "' has no rows: offsets " + offsets[f]
            + " and " + offsets[f + 1] + " must strictly increase");
      }
      if (names.indexOf(name) != f) {
        throw new IllegalArgumentException("field name '" + name + "' appears twice");
      }
    }
    return new FieldLayout(List.copyOf(names), offsets.clone());
  }

  /** Builds a layout from field sizes (rows per field, OOV slot included). */
  public static FieldLayout fromSizes(List<String> names, int[] sizes) {
    if (sizes.length != names.size()) {
      throw new IllegalArgumentException("expected " + names.size() + " field sizes, got "
          + sizes.length);
    }
    int[] offsets = new int[sizes.length + 1];
    for (int f = 0; f < sizes.length; f++) {
      if (sizes[f] < 1) {
        throw new IllegalArgumentException("field '" + names.get(f) + "' has size " + sizes[f]
            + "; every field needs at least its OOV row");
      }
      long next = (long) offsets[f] + sizes[f];
      if (next > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("the field sizes sum to more than "
            + Integer.MAX_VALUE + " rows");
      }
      offsets[f + 1] = (int) next;
    }
    return of(names, offsets);
  }

  /** m, the number of fields. */
  public int fields() {
    return names.size();
  }

  /** n, the total number of rows. */
  public int rows() {
    return offsets[offsets.length - 1];
  }

  public String name(int field) {
    return names.get(field);
  }

  public List<String> names() {
    return names;
  }

  /** First global row of {@code field}; {@code offset(fields())} is n. */
  public int offset(int field) {
    return offsets[field];
  }

  /** Returns a copy of the m + 1 offsets. */
  public int[] offsets() {
    return offsets.clone();
  }

  /** Returns the field that owns global row {@code row}, by binary search. */
  public int fieldOf(int row) {
    if (row < 0 || row >= rows()) {
      throw new IndexOutOfBoundsException("row " + row + " is outside [0, " + rows() + ")");
    }
    int found = Arrays.binarySearch(offsets, row);
    if (found >= 0) {
      // Offsets strictly increase, so an exact hit is the first row of that field.
      return found;
    }
    return -found - 2;
  }
}
