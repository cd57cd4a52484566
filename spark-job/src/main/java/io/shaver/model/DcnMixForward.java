package io.shaver.model;

import java.nio.FloatBuffer;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Incremental DCN-Mix forward.
 *
 * <p>Layer 0 reads {@code x0} through {@code V_i^T x0} and the gates {@code x0 . G_i}; those
 * products are updated per replaced coordinate by one row of {@code V_i} and {@code G_i}. Every
 * later product depends on {@code x0} and {@code x_l} non-linearly, so the rest of the cross
 * network and the MLP are recomputed as GEMMs over the batch when logits are requested.
 *
 * <p>Per cross layer: one GEMM for all projections and gates, one {@code r x r} GEMM per
 * expert, one GEMM that sums the experts' up-projections, and fused loops for the rest.
 */
final class DcnMixForward extends AbstractForward {

  private final DcnMix model;
  private final int experts;
  private final int rank;
  private final RowBuffer projected;
  private final RowBuffer[] low;
  private final RowBuffer[] mixed;
  private final RowBuffer gatedAll;
  private final RowBuffer expanded;
  private final float[] gate;
  private final float[] gateSum;
  private final RowBuffer[] cross;
  private final RowBuffer[] mlpBuffers;

  DcnMixForward(DcnMix model, int capacity) {
    super(model.config(), model.firstLayer, capacity);
    this.model = model;
    this.experts = config.experts();
    this.rank = config.rank();
    projected = new RowBuffer(capacity, experts * rank + experts);
    low = new RowBuffer[experts];
    mixed = new RowBuffer[experts];
    for (int i = 0; i < experts; i++) {
      low[i] = new RowBuffer(capacity, rank);
      mixed[i] = new RowBuffer(capacity, rank);
    }
    gatedAll = new RowBuffer(capacity, experts * rank);
    expanded = new RowBuffer(capacity, inputSize);
    gate = new float[capacity * experts];
    gateSum = new float[capacity];
    cross = new RowBuffer[] {new RowBuffer(capacity, inputSize), new RowBuffer(capacity, inputSize)};
    mlpBuffers = model.mlp.newBuffers(capacity);
  }

  @Override
  protected void compute(float[] out) {
    RowBuffer current = x0;
    for (int l = 0; l < config.crossLayers(); l++) {
      RowBuffer next = cross[l % 2];
      if (l == 0) {
        first.copyAll(projected);
      } else {
        model.projection[l].multiply(current, projected, batch);
      }
      crossLayer(l, current, next);
      current = next;
    }
    RowBuffer logits = model.mlp.forward(mlpBuffers, current, batch, 0);
    FloatBuffer values = logits.floats();
    for (int b = 0; b < batch; b++) {
      out[b] = values.get(b);
    }
  }

  /**
   * Computes {@code next = x0 ⊙ (sum_i g_i U_i tanh(C_i tanh(V_i^T x_l)) + (sum_i g_i) b_l)
   * + x_l} from the projections and gates in {@code projected}.
   */
  private void crossLayer(int l, RowBuffer current, RowBuffer next) {
    splitProjections();
    for (int i = 0; i < experts; i++) {
      Nd4j.gemm(low[i].rows(batch), model.mix[l][i], mixed[i].rows(batch), false, false, 1.0,
          0.0);
    }
    gateExperts();
    Nd4j.gemm(gatedAll.rows(batch), model.expand[l], expanded.rows(batch), false, false, 1.0,
        0.0);
    FloatBuffer sum = expanded.floats();
    FloatBuffer input = x0.floats();
    FloatBuffer previous = current.floats();
    FloatBuffer target = next.floats();
    float[] bias = model.bias[l];
    for (int b = 0; b < batch; b++) {
      int base = b * inputSize;
      float gates = gateSum[b];
      for (int k = 0; k < inputSize; k++) {
        int i = base + k;
        target.put(i, input.get(i) * (sum.get(i) + gates * bias[k]) + previous.get(i));
      }
    }
  }

  /** Writes {@code tanh} of each expert's projection into {@code low[i]} and keeps the gates. */
  private void splitProjections() {
    FloatBuffer source = projected.floats();
    int width = experts * rank + experts;
    for (int i = 0; i < experts; i++) {
      FloatBuffer target = low[i].floats();
      for (int b = 0; b < batch; b++) {
        int from = b * width + i * rank;
        int to = b * rank;
        for (int k = 0; k < rank; k++) {
          target.put(to + k, Kernels.tanh(source.get(from + k)));
        }
      }
    }
    for (int b = 0; b < batch; b++) {
      float total = 0;
      for (int i = 0; i < experts; i++) {
        float g = source.get(b * width + experts * rank + i);
        gate[b * experts + i] = g;
        total += g;
      }
      gateSum[b] = total;
    }
  }

  /** Writes {@code g_i * tanh(mixed_i)} of every expert side by side into {@code gatedAll}. */
  private void gateExperts() {
    FloatBuffer target = gatedAll.floats();
    int width = experts * rank;
    for (int i = 0; i < experts; i++) {
      FloatBuffer source = mixed[i].floats();
      for (int b = 0; b < batch; b++) {
        float g = gate[b * experts + i];
        int from = b * rank;
        int to = b * width + i * rank;
        for (int k = 0; k < rank; k++) {
          target.put(to + k, g * Kernels.tanh(source.get(from + k)));
        }
      }
    }
  }

  @Override
  protected void closeBuffers() {
    projected.close();
    for (int i = 0; i < experts; i++) {
      low[i].close();
      mixed[i].close();
    }
    gatedAll.close();
    expanded.close();
    cross[0].close();
    cross[1].close();
    for (RowBuffer buffer : mlpBuffers) {
      buffer.close();
    }
  }
}
