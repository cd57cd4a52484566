package io.shaver.shapley;

/**
 * Values that absent coordinates take, one per sample coordinate {@code f * d + j}. The value
 * depends on the field and dimension only, never on the row, so a sample with every
 * coordinate absent has the same input embeddings as any other such sample.
 */
public final class Placeholder {
  private final PlaceholderKind kind;
  private final float[] values;

  private Placeholder(PlaceholderKind kind, float[] values) {
    this.kind = kind;
    this.values = values;
  }

  /** Returns the zero placeholder for {@code m * d} coordinates. */
  public static Placeholder zero(TableLayout layout) {
    return new Placeholder(PlaceholderKind.ZERO, new float[layout.coordinates()]);
  }

  /** Returns the codebook placeholder: coordinate (f, j) takes C[f, j]. */
  public static Placeholder codebook(Codebook codebook) {
    return new Placeholder(PlaceholderKind.CODEBOOK, codebook.values());
  }

  /**
   * Returns the placeholder of a kind.
   *
   * @param codebook required for {@link PlaceholderKind#CODEBOOK}, ignored for ZERO
   * @throws IllegalArgumentException if CODEBOOK is requested without a codebook, or the
   *     codebook's shape differs from the layout's
   */
  public static Placeholder of(PlaceholderKind kind, TableLayout layout, Codebook codebook) {
    if (kind == PlaceholderKind.ZERO) {
      return zero(layout);
    }
    if (codebook == null) {
      throw new IllegalArgumentException("placeholder CODEBOOK requires a codebook, got null");
    }
    if (codebook.fields() != layout.fields() || codebook.dimension() != layout.dimension()) {
      throw new IllegalArgumentException("codebook shape " + codebook.fields() + "x"
          + codebook.dimension() + " differs from the table's " + layout.fields() + "x"
          + layout.dimension());
    }
    return codebook(codebook);
  }

  public PlaceholderKind kind() {
    return kind;
  }

  /** Returns the value of coordinate {@code f * d + j}. */
  public float value(int coordinate) {
    return values[coordinate];
  }

  /** Returns the number of coordinates, m * d. */
  public int coordinates() {
    return values.length;
  }

  /** Fills {@code out[offset .. offset + m * d)} with every coordinate's placeholder. */
  public void fill(float[] out, int offset) {
    System.arraycopy(values, 0, out, offset, values.length);
  }

  @Override
  public String toString() {
    return "Placeholder{" + kind + ", " + values.length + " coordinates}";
  }
}
