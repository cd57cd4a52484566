package io.shaver.shapley;

/**
 * In-memory encoded data for estimation: per sample one global row id per field, a label and
 * a stable key. The key selects the sample's permutations, so it must not change between runs
 * that should agree (a row number in the encoded split serves). Arrays are not copied and must
 * not change while an estimator reads them.
 */
public final class EncodedSamples {
  private final int fields;
  private final int[] ids;
  private final float[] labels;
  private final long[] keys;

  private EncodedSamples(int fields, int[] ids, float[] labels, long[] keys) {
    this.fields = fields;
    this.ids = ids;
    this.labels = labels;
    this.keys = keys;
  }

  /**
   * Wraps encoded samples.
   *
   * @param fields m >= 1
   * @param ids global row ids, sample-major, {@code samples * m}
   * @param labels one label in [0, 1] per sample
   * @param keys one key per sample
   * @throws IllegalArgumentException on a length mismatch or a label outside [0, 1]
   */
  public static EncodedSamples of(int fields, int[] ids, float[] labels, long[] keys) {
    if (fields < 1) {
      throw new IllegalArgumentException("fields must be >= 1, got " + fields);
    }
    if (ids.length != (long) labels.length * fields) {
      throw new IllegalArgumentException("ids length must be samples * fields = "
          + ((long) labels.length * fields) + ", got " + ids.length);
    }
    if (keys.length != labels.length) {
      throw new IllegalArgumentException(
          "keys length must equal the " + labels.length + " labels, got " + keys.length);
    }
    for (int i = 0; i < labels.length; i++) {
      if (!(labels[i] >= 0f && labels[i] <= 1f)) {
        throw new IllegalArgumentException(
            "labels[" + i + "] must be in [0, 1], got " + labels[i]);
      }
    }
    return new EncodedSamples(fields, ids, labels, keys);
  }

  /**
   * Wraps samples keyed by their position 0 .. samples - 1.
   *
   * @see #of(int, int[], float[], long[])
   */
  public static EncodedSamples of(int fields, int[] ids, float[] labels) {
    long[] keys = new long[labels.length];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = i;
    }
    return of(fields, ids, labels, keys);
  }

  /**
   * Checks that every id of field f lies in that field's rows of the layout.
   *
   * @throws IllegalArgumentException naming the first sample, field and id out of range
   */
  public void validate(TableLayout layout) {
    if (layout.fields() != fields) {
      throw new IllegalArgumentException(
          "samples have " + fields + " fields but the table has " + layout.fields());
    }
    for (int f = 0; f < fields; f++) {
      long first = layout.offset(f);
      long end = first + layout.fieldSize(f);
      for (int b = 0; b < labels.length; b++) {
        int id = ids[b * fields + f];
        if (id < first || id >= end) {
          throw new IllegalArgumentException("sample " + b + " field " + f + ": id " + id
              + " is outside the field's rows [" + first + ", " + end + ")");
        }
      }
    }
  }

  public int fields() {
    return fields;
  }

  public int size() {
    return labels.length;
  }

  /** Returns the global row id of field {@code f} of sample {@code b}. */
  public int id(int b, int f) {
    return ids[b * fields + f];
  }

  public float label(int b) {
    return labels[b];
  }

  public long key(int b) {
    return keys[b];
  }

  /** Copies the ids of samples {@code [from, from + count)} into {@code out[0 ..)}. */
  void copyIds(int from, int count, int[] out) {
    System.arraycopy(ids, from * fields, out, 0, count * fields);
  }
}
