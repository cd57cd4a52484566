package io.shaver.shapley;

/**
 * Field-aware codebook of Shaver (Tran et al., "On-device Content-based Recommendation with
 * Single-shot Embedding Pruning: A Cooperative Game Perspective", WWW 2025): for field f and
 * dimension j, C[f, j] = sum over the field's rows r of cnt[r] * E[r, j], divided by the sum
 * of cnt[r]. Counts are occurrences of each global row id in the train and validation splits.
 *
 * <p>The frequency-weighted mean is the constant that minimises the expected squared gap to
 * the looked-up value of that coordinate under the empirical feature distribution. A field
 * whose counts are all 0 falls back to the plain mean of its rows, so the codebook is always
 * finite. Sums are taken in double and stored as float.
 */
public final class Codebook {
  private final int fields;
  private final int dimension;
  private final float[] values;

  private Codebook(int fields, int dimension, float[] values) {
    this.fields = fields;
    this.dimension = dimension;
    this.values = values;
  }

  /**
   * Computes the codebook of a table.
   *
   * @param layout field sizes and dimension of the table
   * @param table embedding table, {@code n * d} floats, row-major
   * @param counts occurrences per global row id, length n, each >= 0
   * @throws IllegalArgumentException on a length mismatch or a negative count
   */
  public static Codebook compute(TableLayout layout, float[] table, long[] counts) {
    int d = layout.dimension();
    if (table.length != layout.parameters()) {
      throw new IllegalArgumentException(
          "table length must be n * d = " + layout.parameters() + ", got " + table.length);
    }
    if (counts.length != layout.rows()) {
      throw new IllegalArgumentException(
          "counts length must be n = " + layout.rows() + ", got " + counts.length);
    }
    float[] values = new float[layout.coordinates()];
    double[] weighted = new double[d];
    for (int f = 0; f < layout.fields(); f++) {
      int first = (int) layout.offset(f);
      int last = first + layout.fieldSize(f);
      long total = 0;
      for (int r = first; r < last; r++) {
        if (counts[r] < 0) {
          throw new IllegalArgumentException("counts[" + r + "] must be >= 0, got " + counts[r]);
        }
        total += counts[r];
      }
      java.util.Arrays.fill(weighted, 0.0);
      for (int r = first; r < last; r++) {
        // A field never counted (total 0) weighs each row 1: the plain mean.
        double weight = total == 0 ? 1.0 : counts[r];
        for (int j = 0; j < d; j++) {
          weighted[j] += weight * table[r * d + j];
        }
      }
      double divisor = total == 0 ? layout.fieldSize(f) : total;
      for (int j = 0; j < d; j++) {
        values[f * d + j] = (float) (weighted[j] / divisor);
      }
    }
    return new Codebook(layout.fields(), d, values);
  }

  /**
   * Wraps given codebook values, {@code m * d} floats with value (f, j) at {@code f * d + j}.
   *
   * @throws IllegalArgumentException if the length is not {@code fields * dimension}
   */
  public static Codebook of(int fields, int dimension, float[] values) {
    if (values.length != (long) fields * dimension) {
      throw new IllegalArgumentException("codebook values must have m * d = "
          + ((long) fields * dimension) + " entries, got " + values.length);
    }
    return new Codebook(fields, dimension, values.clone());
  }

  /** Returns C[f, j]. */
  public float value(int field, int dimensionIndex) {
    return values[field * dimension + dimensionIndex];
  }

  /** Returns a copy of the values, {@code m * d}, value (f, j) at {@code f * d + j}. */
  public float[] values() {
    return values.clone();
  }

  public int fields() {
    return fields;
  }

  public int dimension() {
    return dimension;
  }
}
