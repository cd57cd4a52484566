package io.shaver.model;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
    INDArray input = x0.rows(batch);
    INDArray current = input;
    for (int l = 0; l < model.crossLayers.length; l++) {
      INDArray next = cross[l % 2].rows(batch);
      if (l == 0) {
        first.copySegment(0, product, false);
      } else {
        model.crossLayers[l].apply(current, product.rows(batch));
      }
      // next = x_l + x0 ⊙ (W_l x_l + b_l)
      next.assign(product.rows(batch)).muli(input).addi(current);
      current = next;
    }
    INDArray logits = output.rows(batch);
    if (model.parallel) {
      INDArray deep = input;
      if (!model.mlp.isEmpty()) {
        first.copySegment(1, mlpBuffers[0], true);
        deep = model.mlp.forward(mlpBuffers, mlpBuffers[0].rows(batch), batch, 1);
      }
      model.last.apply(current, logits);
      Nd4j.gemm(deep, model.lastDeep.weightTArray, logits, false, false, 1.0, 1.0);
    } else {
      INDArray deep = model.mlp.forward(mlpBuffers, current, batch, 0);
      model.last.apply(deep, logits);
    }
    FloatBuffer values = output.floats();
    for (int b = 0; b < batch; b++) {
      out[b] = values.get(b);
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
