package io.shaver.model;

import java.nio.FloatBuffer;

/**
 * Incremental DCNv2 forward.
 *
 * <p>{@code W_0 x0 + b_0} of the first cross layer (and, in the parallel structure, the MLP's
 * first pre-activation) is updated per replaced coordinate by one weight column times the
 * delta; the later cross layers, the MLP and the last layer are recomputed as GEMMs over the
 * batch when logits are requested.
 */
final class DcnV2Forward extends AbstractForward {

  private final DcnV2 model;
  private final RowBuffer[] cross;
  private final RowBuffer product;
  private final RowBuffer[] mlpBuffers;
  private final RowBuffer output;

  DcnV2Forward(DcnV2 model, int capacity) {
    super(model.config(), model.firstLayer, capacity);
    this.model = model;
    cross = new RowBuffer[] {new RowBuffer(capacity, inputSize), new RowBuffer(capacity, inputSize)};
    product = new RowBuffer(capacity, inputSize);
    mlpBuffers = model.mlp.newBuffers(capacity);
    output = new RowBuffer(capacity, 1);
  }

  @Override
  protected void compute(float[] out) {
    RowBuffer current = x0;
    for (int l = 0; l < model.crossLayers.length; l++) {
      RowBuffer next = cross[l % 2];
      float[] bias;
      if (l == 0) {
        // The first-layer state already includes b_0.
        first.copySegment(0, product, false);
        bias = null;
      } else {
        model.crossLayers[l].multiply(current, product, batch);
        bias = model.crossLayers[l].bias;
      }
      combine(current, bias, next);
      current = next;
    }
    if (model.parallel) {
      RowBuffer deep = x0;
      if (!model.mlp.isEmpty()) {
        first.copySegment(1, mlpBuffers[0], true);
        deep = model.mlp.forward(mlpBuffers, mlpBuffers[0], batch, 1);
      }
      model.last.apply(current, output, batch, false);
      Kernels.matVec(deep.floats(), batch, model.lastDeep.weightT, 0f, output.floats(), true,
          false);
    } else {
      RowBuffer deep = model.mlp.forward(mlpBuffers, current, batch, 0);
      model.last.apply(deep, output, batch, false);
    }
    FloatBuffer values = output.floats();
    for (int b = 0; b < batch; b++) {
      out[b] = values.get(b);
    }
  }

  /** Writes {@code next = x_l + x0 ⊙ (product + bias)}; a null bias means zero. */
  private void combine(RowBuffer current, float[] bias, RowBuffer next) {
    FloatBuffer input = x0.floats();
    FloatBuffer previous = current.floats();
    FloatBuffer z = product.floats();
    FloatBuffer target = next.floats();
    for (int b = 0; b < batch; b++) {
      int base = b * inputSize;
      for (int k = 0; k < inputSize; k++) {
        int i = base + k;
        float shifted = bias == null ? z.get(i) : z.get(i) + bias[k];
        target.put(i, previous.get(i) + input.get(i) * shifted);
      }
    }
  }

  @Override
  protected void closeBuffers() {
    cross[0].close();
    cross[1].close();
    product.close();
    output.close();
    for (RowBuffer buffer : mlpBuffers) {
      buffer.close();
    }
  }
}
