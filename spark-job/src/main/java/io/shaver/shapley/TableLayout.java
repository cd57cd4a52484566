package io.shaver.shapley;

import io.shaver.model.ModelConfig;
import java.util.Arrays;

/**
 * Shape of a shared embedding table: field sizes (each including its out-of-vocabulary row),
 * field offsets and the embedding dimension. Parameter (row r, dimension j) has flat index
 * {@code r * d + j}; coordinate {@code f * d + j} of a sample is dimension j of field f.
 */
public final class TableLayout {
  private final int[] fieldSizes;
  private final long[] offsets;
  private final int dimension;
  private final long rows;

  private TableLayout(int[] fieldSizes, int dimension) {
    this.fieldSizes = fieldSizes.clone();
    this.dimension = dimension;
    this.offsets = new long[fieldSizes.length + 1];
    for (int f = 0; f < fieldSizes.length; f++) {
      offsets[f + 1] = offsets[f] + fieldSizes[f];
    }
    this.rows = offsets[fieldSizes.length];
  }

  /**
   * Creates a layout.
   *
   * @param fieldSizes rows per field, each >= 1, at least one field
   * @param dimension embedding dimension d >= 1
   * @throws IllegalArgumentException on an empty field list, a field of size < 1, d < 1, or a
   *     table whose last row id does not fit in an int
   */
  public static TableLayout of(int[] fieldSizes, int dimension) {
    if (fieldSizes.length == 0) {
      throw new IllegalArgumentException("fieldSizes must name at least one field");
    }
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be >= 1, got " + dimension);
    }
    long total = 0;
    for (int f = 0; f < fieldSizes.length; f++) {
      if (fieldSizes[f] < 1) {
        throw new IllegalArgumentException(
            "fieldSizes[" + f + "] must be >= 1, got " + fieldSizes[f]);
      }
      total += fieldSizes[f];
    }
    if (total > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("table rows must fit in an int id, got " + total);
    }
    return new TableLayout(fieldSizes, dimension);
  }

  /** Returns the layout of a model's embedding table. */
  public static TableLayout of(ModelConfig config) {
    return of(config.fieldSizes(), config.embeddingDim());
  }

  /** Returns the number of fields m. */
  public int fields() {
    return fieldSizes.length;
  }

  /** Returns the embedding dimension d. */
  public int dimension() {
    return dimension;
  }

  /** Returns the coordinates per sample, m * d. */
  public int coordinates() {
    return fieldSizes.length * dimension;
  }

  /** Returns the number of rows n. */
  public long rows() {
    return rows;
  }

  /** Returns the number of scalar parameters n * d. */
  public long parameters() {
    return rows * dimension;
  }

  /** Returns the rows of field {@code f}. */
  public int fieldSize(int f) {
    return fieldSizes[f];
  }

  /** Returns the global id of the first row of field {@code f}. */
  public long offset(int f) {
    return offsets[f];
  }

  /** Returns a copy of the field sizes. */
  public int[] fieldSizes() {
    return fieldSizes.clone();
  }

  /** Returns the field that global row id {@code row} belongs to. */
  public int fieldOfRow(long row) {
    if (row < 0 || row >= rows) {
      throw new IllegalArgumentException("row must be in [0, " + rows + "), got " + row);
    }
    int index = Arrays.binarySearch(offsets, row);
    return index >= 0 ? index : -index - 2;
  }

  @Override
  public String toString() {
    return "TableLayout{fields=" + fields() + ", rows=" + rows + ", dimension=" + dimension + "}";
  }
}
