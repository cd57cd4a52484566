package io.shaver.model;

import java.nio.FloatBuffer;

/**
 * Pre-activations of a {@link FirstLayer} for one batch, kept in double and updated column by
 * column as input coordinates change.
 *
 * <p>Double accumulation keeps a long chain of updates (one per Shapley step) within float
 * rounding of a fresh float GEMM, instead of drifting with the number of steps.
 */
final class FirstLayerState {

  private final FirstLayer layer;
  private final int width;
  private final double[] preActivation;
  private final RowBuffer scratch;
  private int batch;

  FirstLayerState(FirstLayer layer, int capacity) {
    this.layer = layer;
    this.width = layer.width();
    this.preActivation = new double[capacity * width];
    this.scratch = new RowBuffer(capacity, width);
  }

  /** Computes the pre-activations of the first {@code batch} rows of {@code x0} with one GEMM. */
  void reset(RowBuffer x0, int batch) {
    this.batch = batch;
    layer.combined.apply(x0, scratch, batch, false);
    FloatBuffer floats = scratch.floats();
    int count = batch * width;
    for (int i = 0; i < count; i++) {
      preActivation[i] = floats.get(i);
    }
  }

  /** Adds {@code delta} times input coordinate {@code c}'s weights to sample {@code b}. */
  void add(int b, int c, double delta) {
    float[] weightT = layer.combined.weightT;
    int row = c * width;
    int base = b * width;
    for (int k = 0; k < width; k++) {
      preActivation[base + k] += delta * weightT[row + k];
    }
  }

  /** Returns the pre-activation of output {@code k} of sample {@code b}. */
  double get(int b, int k) {
    return preActivation[b * width + k];
  }

  /**
   * Writes segment {@code segment} of every sample of the batch into the first rows of
   * {@code target} (which must be as wide as the segment), applying ReLU if asked.
   */
  void copySegment(int segment, RowBuffer target, boolean relu) {
    int start = layer.segmentStart(segment);
    int segmentWidth = layer.segmentWidth(segment);
    FloatBuffer out = target.floats();
    for (int b = 0; b < batch; b++) {
      int from = b * width + start;
      int to = b * segmentWidth;
      for (int k = 0; k < segmentWidth; k++) {
        float value = (float) preActivation[from + k];
        out.put(to + k, relu && value < 0f ? 0f : value);
      }
    }
  }

  /** Writes every pre-activation of the batch, rounded to float, into {@code target}. */
  void copyAll(RowBuffer target) {
    FloatBuffer out = target.floats();
    int count = batch * width;
    for (int i = 0; i < count; i++) {
      out.put(i, (float) preActivation[i]);
    }
  }

  void close() {
    scratch.close();
  }
}
