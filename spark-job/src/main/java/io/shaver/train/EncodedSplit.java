package io.shaver.train;

import io.shaver.model.ModelConfig;

/**
 * One split of encoded samples held in memory: global row ids, sample-major
 * ({@code ids[s * m + f]} is field {@code f} of sample {@code s}), and labels (above 0.5 is a
 * click).
 *
 * <p>Memory: {@code 4 * m} bytes of ids plus 4 bytes of label per sample, e.g. 41M Criteo
 * training rows with 39 fields take about 6.6 GB. The arrays are shared, not copied.
 */
public record EncodedSplit(int[] ids, float[] labels, int fieldCount) {

  /**
   * Creates a split.
   *
   * @throws IllegalArgumentException if {@code ids.length != labels.length * fieldCount}
   */
  public EncodedSplit {
    if (fieldCount < 1 || (long) labels.length * fieldCount != ids.length) {
      throw new IllegalArgumentException("Invalid encoded split: " + ids.length + " ids for "
          + labels.length + " labels and " + fieldCount + " fields; expected labels x fields ids");
    }
  }

  /** Creates a split from integer labels (0 or 1). */
  public static EncodedSplit ofIntLabels(int[] ids, int[] labels, int fieldCount) {
    float[] values = new float[labels.length];
    for (int i = 0; i < labels.length; i++) {
      values[i] = labels[i];
    }
    return new EncodedSplit(ids, values, fieldCount);
  }

  public int size() {
    return labels.length;
  }

  /**
   * Checks that the split fits the model: same field count, every id inside its field's rows.
   *
   * @throws IllegalArgumentException naming the first bad sample, field and id
   */
  public void validate(ModelConfig config, String name) {
    if (fieldCount != config.fieldCount()) {
      throw new IllegalArgumentException("Invalid " + name + " split: " + fieldCount
          + " fields per sample, but model.json has " + config.fieldCount());
    }
    for (int s = 0; s < labels.length; s++) {
      for (int f = 0; f < fieldCount; f++) {
        int id = ids[s * fieldCount + f];
        int first = config.offset(f);
        if (id < first || id >= first + config.fieldSize(f)) {
          throw new IllegalArgumentException("Invalid " + name + " split: sample " + s
              + " has global id " + id + " in field " + f + " ('" + config.fieldNames().get(f)
              + "'), expected " + first + " to " + (first + config.fieldSize(f) - 1)
              + "; ids must include the field offset");
        }
      }
    }
  }
}
