package io.shaver.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds the inference MLP of a model from its state dict, folding batch norm. */
final class Mlps {

  private Mlps() {}

  /**
   * Builds the MLP under the kind's prefix ({@code _deep_branch.} or {@code _dnn.}).
   *
   * @param tensors a state dict that passed {@link StateDictSchema#validate}
   * @param withOutput whether the MLP ends with {@code Linear(h_K, 1)} (DeepFM, DCN-Mix)
   */
  static DenseStack build(ModelConfig config, Map<String, Tensor> tensors, int inputs,
      boolean withOutput) {
    String prefix = StateDictSchema.mlpPrefix(config.kind());
    boolean batchNorm = config.batchNorm();
    List<DenseLayer> layers = new ArrayList<>();
    int width = inputs;
    List<Integer> hidden = config.hiddenSizes();
    for (int k = 0; k < hidden.size(); k++) {
      int size = hidden.get(k);
      int index = StateDictSchema.linearIndex(k, batchNorm);
      float[] weight = floats(tensors, prefix + index + ".weight");
      float[] bias = floats(tensors, prefix + index + ".bias");
      if (batchNorm) {
        String norm = prefix + (index + 1);
        layers.add(DenseLayer.fromLinearBatchNorm(weight, bias,
            floats(tensors, norm + ".running_mean"), floats(tensors, norm + ".running_var"),
            floats(tensors, norm + ".weight"), floats(tensors, norm + ".bias"), width, size));
      } else {
        layers.add(DenseLayer.fromLinear(weight, bias, width, size));
      }
      width = size;
    }
    if (withOutput) {
      String output = prefix + StateDictSchema.linearIndex(hidden.size(), batchNorm);
      layers.add(DenseLayer.fromLinear(floats(tensors, output + ".weight"),
          floats(tensors, output + ".bias"), width, 1));
    }
    return new DenseStack(layers, inputs, !withOutput);
  }

  static float[] floats(Map<String, Tensor> tensors, String name) {
    Tensor tensor = tensors.get(name);
    if (tensor == null) {
      throw new IllegalArgumentException("Missing tensor '" + name + "'");
    }
    return tensor.floats();
  }
}
