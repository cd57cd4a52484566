package io.shaver.model;

import java.nio.FloatBuffer;

/**
 * Incremental DeepFM forward.
 *
 * <p>Per replaced coordinate: the FM sums are updated in {@code O(1)} (one per-dimension sum
 * and the sum of squares, both in double), the first dense layer's pre-activation by one
 * weight row times the delta; the later layers are recomputed as GEMMs over the batch when
 * logits are requested.
 */
final class DeepFmForward extends AbstractForward {

  private final DeepFm model;
  private final double[] linear;
  private final double[] sums;
  private final double[] squares;
  private final RowBuffer[] mlpBuffers;

  DeepFmForward(DeepFm model, int capacity) {
    super(model.config(), model.firstLayer, capacity);
    this.model = model;
    this.linear = new double[capacity];
    this.sums = new double[capacity * dim];
    this.squares = new double[capacity];
    this.mlpBuffers = model.mlp.newBuffers(capacity);
  }

  @Override
  protected void onReset() {
    for (int b = 0; b < batch; b++) {
      double first = model.bias;
      for (int f = 0; f < fieldCount; f++) {
        first += model.firstOrder[ids[b * fieldCount + f]];
      }
      linear[b] = first;
      double square = 0;
      int sumBase = b * dim;
      for (int j = 0; j < dim; j++) {
        sums[sumBase + j] = 0;
      }
      int base = b * inputSize;
      for (int c = 0; c < inputSize; c++) {
        double value = x[base + c];
        sums[sumBase + c % dim] += value;
        square += value * value;
      }
      squares[b] = square;
    }
  }

  @Override
  protected void onReplace(int b, int c, float old, float updated) {
    sums[b * dim + c % dim] += (double) updated - old;
    squares[b] += (double) updated * updated - (double) old * old;
  }

  @Override
  protected void compute(float[] out) {
    first.copySegment(0, mlpBuffers[0], model.mlp.reluAfter(0));
    model.mlp.forward(mlpBuffers, mlpBuffers[0], batch, 1);
    FloatBuffer deep = mlpBuffers[mlpBuffers.length - 1].floats();
    for (int b = 0; b < batch; b++) {
      double squareOfSum = 0;
      for (int j = 0; j < dim; j++) {
        double sum = sums[b * dim + j];
        squareOfSum += sum * sum;
      }
      double fm = 0.5 * (squareOfSum - squares[b]);
      out[b] = (float) (linear[b] + fm + deep.get(b));
    }
  }

  @Override
  protected void closeBuffers() {
    for (RowBuffer buffer : mlpBuffers) {
      buffer.close();
    }
  }
}
