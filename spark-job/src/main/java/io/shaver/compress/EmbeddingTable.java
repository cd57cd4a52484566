package io.shaver.compress;

import java.util.Objects;

/**
 * A trained embedding table with its field layout, placeholder codebook and optional row tokens:
 * the input of pruning.
 *
 * <p>The table E is n×d float32, row-major: parameter (r, j) has flat index r·d + j. The
 * codebook C is m×d, row-major; a pruned parameter (r, j) is served as C[field(r), j]. With
 * {@link PlaceholderKind#ZERO} the codebook is all zeros.
 *
 * <p>The arrays are shared, not copied, because real tables hold up to about 10^8 values.
 * Callers must not modify them after construction. Construction checks that every value is
 * finite, in one pass over the table.
 */
public final class EmbeddingTable {

  private final TableShape shape;
  private final FieldLayout layout;
  private final float[] values;
  private final float[] codebook;
  private final PlaceholderKind placeholder;
  private final String[] tokens;

  private EmbeddingTable(FieldLayout layout, int dimension, float[] values, float[] codebook,
      PlaceholderKind placeholder, String[] tokens) {
    this.layout = Objects.requireNonNull(layout, "layout");
    this.shape = new TableShape(layout.rows(), dimension, layout.fields());
    this.values = Objects.requireNonNull(values, "values");
    this.codebook = Objects.requireNonNull(codebook, "codebook");
    this.placeholder = Objects.requireNonNull(placeholder, "placeholder");
    this.tokens = tokens;
    checkLength("table values", values.length, shape.parameters());
    checkLength("codebook values", codebook.length, (long) shape.fields() * dimension);
    if (tokens != null) {
      checkLength("row tokens", tokens.length, shape.rows());
    }
    checkFinite("table", values);
    checkFinite("codebook", codebook);
  }

  /**
   * Creates a table whose pruned parameters read as 0.
   *
   * @param tokens the token of each global row, or null; entries may be null
   */
  public static EmbeddingTable withZeroPlaceholder(FieldLayout layout, int dimension,
      float[] values, String[] tokens) {
    return new EmbeddingTable(layout, dimension, values,
        new float[layout.fields() * dimension], PlaceholderKind.ZERO, tokens);
  }

  /**
   * Creates a table whose pruned parameters read as their field's codebook value.
   *
   * @param codebook m×d row-major field-aware codebook
   * @param tokens the token of each global row, or null; entries may be null
   */
  public static EmbeddingTable withCodebook(FieldLayout layout, int dimension, float[] values,
      float[] codebook, String[] tokens) {
    return new EmbeddingTable(layout, dimension, values, codebook, PlaceholderKind.CODEBOOK,
        tokens);
  }

  private static void checkLength(String what, long actual, long expected) {
    if (actual != expected) {
      throw new IllegalArgumentException("expected " + expected + " " + what + ", got " + actual);
    }
  }

  private static void checkFinite(String what, float[] array) {
    for (int i = 0; i < array.length; i++) {
      if (!Float.isFinite(array[i])) {
        throw new IllegalArgumentException(what + " value at flat index " + i + " is "
            + array[i] + "; every value must be finite");
      }
    }
  }

  public TableShape shape() {
    return shape;
  }

  public FieldLayout layout() {
    return layout;
  }

  public PlaceholderKind placeholderKind() {
    return placeholder;
  }

  /** Returns E[r, j] at flat index r·d + j. */
  public float value(int flatIndex) {
    return values[flatIndex];
  }

  /** Returns C[f, j]. */
  public float codebookValue(int field, int dim) {
    return codebook[field * shape.dimension() + dim];
  }

  /** Returns the token of global row {@code row}, or null when tokens are unknown. */
  public String token(int row) {
    return tokens == null ? null : tokens[row];
  }

  /** Returns the shared table array, read-only by contract. */
  float[] valuesArray() {
    return values;
  }

  /** Returns the shared codebook array, read-only by contract. */
  float[] codebookArray() {
    return codebook;
  }
}
