package io.shaver.compress;

/**
 * The embedding table of one budget: the kept entries in CSR form (row pointers, column indices,
 * values) and, for every pruned entry, its placeholder.
 *
 * <p>The embedding as served is E[r, j] where (r, j) is kept and the placeholder
 * C[field(r), j] (or 0) where it is pruned. A kept value that is exactly 0.0 stays a kept entry
 * and is served as 0.0, not as the placeholder. Rows whose d entries are all pruned are listed
 * by {@link #prunedRows()}; {@link #rowRemap()} gives a compact row numbering for serving stacks
 * that drop such rows.
 *
 * <p>Immutable after {@link #build}; the kept values are copied out of the table.
 */
public final class PrunedTable {

  private final EmbeddingTable table;
  private final int[] rowPointers;
  private final short[] columns;
  private final float[] values;

  private PrunedTable(EmbeddingTable table, int[] rowPointers, short[] columns, float[] values) {
    this.table = table;
    this.rowPointers = rowPointers;
    this.columns = columns;
    this.values = values;
  }

  /**
   * Builds the CSR form of the entries that {@code mask} keeps, row by row, columns ascending.
   *
   * @throws IllegalArgumentException when the mask does not cover this table's n·d parameters
   */
  public static PrunedTable build(EmbeddingTable table, PruneMask mask) {
    TableShape shape = table.shape();
    if (mask.size() != shape.parameters()) {
      throw new IllegalArgumentException("the mask covers " + mask.size()
          + " parameters, the table has " + shape.parameters());
    }
    int rows = shape.rows();
    int dimension = shape.dimension();
    int kept = mask.size() - mask.prunedCount();
    int[] rowPointers = new int[rows + 1];
    short[] columns = new short[kept];
    float[] values = new float[kept];
    float[] source = table.valuesArray();

    int entry = 0;
    for (int row = 0; row < rows; row++) {
      int base = row * dimension;
      for (int dim = 0; dim < dimension; dim++) {
        if (!mask.isPruned(base + dim)) {
          columns[entry] = (short) dim;
          values[entry] = source[base + dim];
          entry++;
        }
      }
      rowPointers[row + 1] = entry;
    }
    return new PrunedTable(table, rowPointers, columns, values);
  }

  public EmbeddingTable table() {
    return table;
  }

  public int keptCount() {
    return values.length;
  }

  public long prunedCount() {
    return table.shape().parameters() - values.length;
  }

  /** First kept entry of {@code row}; the row's entries are [keptStart(row), keptEnd(row)). */
  public int keptStart(int row) {
    return rowPointers[row];
  }

  public int keptEnd(int row) {
    return rowPointers[row + 1];
  }

  /** Returns the dimension j of kept entry {@code entry}. */
  public int column(int entry) {
    return columns[entry];
  }

  /** Returns the trained value E[r, j] of kept entry {@code entry}. */
  public float keptValue(int entry) {
    return values[entry];
  }

  /** Returns the global row of kept entry {@code entry}, by binary search of the row pointers. */
  public int rowOf(int entry) {
    if (entry < 0 || entry >= values.length) {
      throw new IndexOutOfBoundsException("kept entry " + entry + " is outside [0, "
          + values.length + ")");
    }
    // The last row r with rowPointers[r] <= entry; empty rows before it share its pointer.
    int low = 0;
    int high = table.shape().rows() - 1;
    while (low < high) {
      int middle = (low + high + 1) >>> 1;
      if (rowPointers[middle] <= entry) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return low;
  }

  /** Returns the global rows whose d entries are all pruned, ascending. */
  public int[] prunedRows() {
    int rows = table.shape().rows();
    int count = 0;
    for (int row = 0; row < rows; row++) {
      if (rowPointers[row] == rowPointers[row + 1]) {
        count++;
      }
    }
    int[] pruned = new int[count];
    int next = 0;
    for (int row = 0; row < rows; row++) {
      if (rowPointers[row] == rowPointers[row + 1]) {
        pruned[next++] = row;
      }
    }
    return pruned;
  }

  /**
   * Returns, for every global row, its index among the rows that keep at least one entry, or -1
   * for a fully pruned row (which a serving stack that drops rows serves from the codebook).
   */
  public int[] rowRemap() {
    int rows = table.shape().rows();
    int[] remap = new int[rows];
    int next = 0;
    for (int row = 0; row < rows; row++) {
      remap[row] = rowPointers[row] == rowPointers[row + 1] ? -1 : next++;
    }
    return remap;
  }

  /** Writes row {@code row} as served into {@code out} (length at least d). */
  public void servedRow(int row, float[] out) {
    int dimension = table.shape().dimension();
    int field = table.layout().fieldOf(row);
    for (int dim = 0; dim < dimension; dim++) {
      out[dim] = table.codebookValue(field, dim);
    }
    for (int entry = rowPointers[row]; entry < rowPointers[row + 1]; entry++) {
      out[columns[entry]] = values[entry];
    }
  }

  /** Returns the served value of parameter (row, dim). */
  public float served(int row, int dim) {
    for (int entry = rowPointers[row]; entry < rowPointers[row + 1]; entry++) {
      if (columns[entry] == dim) {
        return values[entry];
      }
    }
    return table.codebookValue(table.layout().fieldOf(row), dim);
  }

  int[] rowPointersArray() {
    return rowPointers;
  }

  short[] columnsArray() {
    return columns;
  }

  float[] valuesArray() {
    return values;
  }
}
