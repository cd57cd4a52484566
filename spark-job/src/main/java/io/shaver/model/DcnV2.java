package io.shaver.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * DCNv2 (full-rank cross network) for inference, matching the reference PyTorch model in eval
 * mode.
 *
 * <p>Cross layer {@code l}: {@code x_{l+1} = x_l + x0 ⊙ (W_l x_l + b_l)}. Stacked: the MLP
 * ({@code Linear -> BatchNorm1d -> ReLU} per hidden size, no output layer) reads the cross
 * output and {@code _last_fc} reads the MLP output. Parallel: the MLP reads {@code x0} and
 * {@code _last_fc} reads {@code concat(cross output, MLP output)}. There is no first-order
 * term. Tensor names: {@code cross_head.layers.{l}.weight/bias}, {@code _dnn.*},
 * {@code _last_fc.weight/bias}; see {@link StateDictSchema}.
 *
 * <p>Model of Shaver (Tran et al., "On-device Content-based Recommendation with Single-shot
 * Embedding Pruning: A Cooperative Game Perspective", WWW 2025), where it is available but not
 * used in the experiments.
 */
public final class DcnV2 extends AbstractCtrModel {

  final DenseLayer[] crossLayers;
  final DenseStack mlp;
  /** Stacked: reads the MLP output. Parallel: reads the cross output and carries the bias. */
  final DenseLayer last;
  /** Parallel only: reads the MLP output, zero bias; null when stacked. */
  final DenseLayer lastDeep;
  /** Segment 0: cross layer 0; segment 1 (parallel with hidden layers): MLP layer 0. */
  final FirstLayer firstLayer;
  final boolean parallel;

  private DcnV2(ModelConfig config, float[] embedding, Map<String, Tensor> tensors) {
    super(config, embedding);
    int inputs = config.inputSize();
    parallel = config.structure() == CrossStructure.PARALLEL;
    crossLayers = new DenseLayer[config.crossLayers()];
    for (int l = 0; l < crossLayers.length; l++) {
      String prefix = "cross_head.layers." + l;
      crossLayers[l] = DenseLayer.fromLinear(Mlps.floats(tensors, prefix + ".weight"),
          Mlps.floats(tensors, prefix + ".bias"), inputs, inputs);
    }
    mlp = Mlps.build(config, tensors, inputs, false);
    float[] lastWeight = Mlps.floats(tensors, "_last_fc.weight");
    float[] lastBias = Mlps.floats(tensors, "_last_fc.bias");
    int deepWidth = mlp.outputWidth();
    if (parallel) {
      last = new DenseLayer(inputs, 1, Arrays.copyOfRange(lastWeight, 0, inputs), lastBias.clone());
      lastDeep = new DenseLayer(deepWidth, 1,
          Arrays.copyOfRange(lastWeight, inputs, inputs + deepWidth), new float[1]);
    } else {
      last = new DenseLayer(deepWidth, 1, lastWeight.clone(), lastBias.clone());
      lastDeep = null;
    }
    List<DenseLayer> parts = new ArrayList<>();
    parts.add(crossLayers[0]);
    if (parallel && !mlp.isEmpty()) {
      parts.add(mlp.layers.get(0));
    }
    firstLayer = new FirstLayer(parts);
  }

  /**
   * Builds a DCNv2 from a state dict in reference naming.
   *
   * @throws InvalidModelException if the tensors do not match the configuration
   */
  public static DcnV2 fromStateDict(ModelConfig config, Map<String, Tensor> stateDict) {
    if (config.kind() != ModelKind.DCNV2) {
      throw new IllegalArgumentException("Invalid kind " + config.kind() + " for DcnV2");
    }
    Map<String, Tensor> tensors = StateDictSchema.normalize(config, stateDict);
    StateDictSchema.validate(config, tensors);
    return new DcnV2(config, Mlps.floats(tensors, StateDictSchema.EMBEDDING), tensors);
  }

  @Override
  AbstractForward newForward(int capacity) {
    return new DcnV2Forward(this, capacity);
  }
}
