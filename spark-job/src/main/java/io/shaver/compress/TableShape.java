package io.shaver.compress;

/**
 * Size of one embedding table: n rows of d dimensions in m fields.
 *
 * @param rows n, the number of rows over all fields, OOV slots included
 * @param dimension d, the embedding size
 * @param fields m, the number of feature fields
 */
public record TableShape(int rows, int dimension, int fields) {

  /**
   * Largest n·d supported: flat indices are Java array indices and {@link Ranking} packs them
   * into 31 bits.
   */
  public static final long MAX_PARAMETERS = Integer.MAX_VALUE - 8L;

  /** Largest d supported: the artifact stores column indices as int16. */
  public static final int MAX_DIMENSION = 32768;

  /** Largest d whose column indices fit in one unsigned byte. */
  public static final int MAX_BYTE_INDEXED_DIMENSION = 256;

  public TableShape {
    if (rows < 1) {
      throw new IllegalArgumentException("rows must be at least 1, got " + rows);
    }
    if (dimension < 1 || dimension > MAX_DIMENSION) {
      throw new IllegalArgumentException("dimension must be in [1, " + MAX_DIMENSION + "], got "
          + dimension);
    }
    if (fields < 1 || fields > rows) {
      throw new IllegalArgumentException("fields must be in [1, rows = " + rows + "], got "
          + fields);
    }
    if ((long) rows * dimension > MAX_PARAMETERS) {
      throw new IllegalArgumentException("rows x dimension = " + (long) rows * dimension
          + " exceeds the supported maximum of " + MAX_PARAMETERS + " parameters");
    }
  }

  /** n·d, the number of scalar parameters (the players of the Shapley game). */
  public long parameters() {
    return (long) rows * dimension;
  }

  /** Bytes of the dense float32 table, n·d·4. */
  public long denseBytes() {
    return parameters() * Float.BYTES;
  }

  /** Bytes per CSR column index: 1 (uint8) when d is at most 256, else 2 (int16). */
  public int columnIndexBytes() {
    return dimension <= MAX_BYTE_INDEXED_DIMENSION ? 1 : 2;
  }
}
