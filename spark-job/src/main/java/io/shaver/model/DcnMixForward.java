package io.shaver.model;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Incremental DCN-Mix forward.
 *
 * <p>Layer 0 reads {@code x0} through {@code V_i^T x0} and the gates {@code x0 . G_i}; those
 * products are updated per replaced coordinate by one row of {@code V_i} and {@code G_i}. Every
 * later product depends on {@code x0} and {@code x_l} non-linearly, so the rest of the cross
 * network and the MLP are recomputed as GEMMs over the batch when logits are requested.
 */
final class DcnMixForward extends AbstractForward {

  private final DcnMix model;
  private final int experts;
  private final RowBuffer[] projected;
  private final RowBuffer[] mixed;
  private final RowBuffer[] gate;
  private final RowBuffer gateSum;
  private final RowBuffer[] cross;
  private final RowBuffer[] mlpBuffers;

  DcnMixForward(DcnMix model, int capacity) {
    super(model.config(), model.firstLayer, capacity);
    this.model = model;
    this.experts = config.experts();
    int rank = config.rank();
    projected = new RowBuffer[experts];
    mixed = new RowBuffer[experts];
    gate = new RowBuffer[experts];
    for (int i = 0; i < experts; i++) {
      projected[i] = new RowBuffer(capacity, rank);
      mixed[i] = new RowBuffer(capacity, rank);
      gate[i] = new RowBuffer(capacity, 1);
    }
    gateSum = new RowBuffer(capacity, 1);
    cross = new RowBuffer[] {new RowBuffer(capacity, inputSize), new RowBuffer(capacity, inputSize)};
    mlpBuffers = model.mlp.newBuffers(capacity);
  }

  @Override
  protected void compute(float[] out) {
    INDArray input = x0.rows(batch);
    INDArray current = input;
    for (int l = 0; l < config.crossLayers(); l++) {
      INDArray next = cross[l % 2].rows(batch);
      crossLayer(l, input, current, next);
      current = next;
    }
    model.mlp.forward(mlpBuffers, current, batch, 0);
    FloatBuffer logits = mlpBuffers[mlpBuffers.length - 1].floats();
    for (int b = 0; b < batch; b++) {
      out[b] = logits.get(b);
    }
  }

  /** Computes {@code next = x0 ⊙ (sum_i g_i U_i tanh(C_i tanh(V_i^T x_l)) + (sum_i g_i) b_l) + x_l}. */
  private void crossLayer(int l, INDArray input, INDArray current, INDArray next) {
    INDArray sum = gateSum.rows(batch);
    for (int i = 0; i < experts; i++) {
      INDArray p = projected[i].rows(batch);
      INDArray g = gate[i].rows(batch);
      if (l == 0) {
        first.copySegment(i, projected[i], false);
        copyGate(i);
      } else {
        Nd4j.gemm(current, model.v[l][i], p, false, false, 1.0, 0.0);
        Nd4j.gemm(current, model.gates[i], g, false, false, 1.0, 0.0);
      }
      Transforms.tanh(p, false);
      INDArray q = mixed[i].rows(batch);
      Nd4j.gemm(p, model.c[l][i], q, false, false, 1.0, 0.0);
      Transforms.tanh(q, false);
      q.muliColumnVector(g);
      Nd4j.gemm(q, model.u[l][i], next, false, false, 1.0, i == 0 ? 0.0 : 1.0);
      if (i == 0) {
        sum.assign(g);
      } else {
        sum.addi(g);
      }
    }
    Nd4j.gemm(sum, model.bias[l], next, false, false, 1.0, 1.0);
    next.muli(input);
    next.addi(current);
  }

  private void copyGate(int expert) {
    FloatBuffer target = gate[expert].floats();
    int start = firstLayerGateStart();
    for (int b = 0; b < batch; b++) {
      target.put(b, (float) first.get(b, start + expert));
    }
  }

  private int firstLayerGateStart() {
    return model.firstLayer.segmentStart(experts);
  }

  @Override
  protected void closeBuffers() {
    for (int i = 0; i < experts; i++) {
      projected[i].close();
      mixed[i].close();
      gate[i].close();
    }
    gateSum.close();
    cross[0].close();
    cross[1].close();
    for (RowBuffer buffer : mlpBuffers) {
      buffer.close();
    }
  }
}
