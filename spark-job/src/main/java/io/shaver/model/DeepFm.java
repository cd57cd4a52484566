package io.shaver.model;

import java.util.List;
import java.util.Map;

/**
 * DeepFM for inference, matching the reference PyTorch model in eval mode.
 *
 * <p>{@code logit = sum_f fc[id_f] + bias + FM(e) + MLP(flatten(e))}, where
 * {@code FM(e) = 1/2 sum_k [(sum_f e_fk)^2 - sum_f e_fk^2]} and the MLP is
 * {@code Linear -> BatchNorm1d (optional) -> ReLU} per hidden size, then {@code Linear(h_K, 1)}.
 * The first-order weights read the ids, so editing the embeddings leaves them unchanged.
 *
 * <p>Model of Shaver (Tran et al., "On-device Content-based Recommendation with Single-shot
 * Embedding Pruning: A Cooperative Game Perspective", WWW 2025). Tensor names: see
 * {@link StateDictSchema}.
 */
public final class DeepFm extends AbstractCtrModel {

  final float[] firstOrder;
  final double bias;
  final DenseStack mlp;
  final FirstLayer firstLayer;

  private DeepFm(ModelConfig config, float[] embedding, float[] firstOrder, double bias,
      DenseStack mlp) {
    super(config, embedding);
    this.firstOrder = firstOrder;
    this.bias = bias;
    this.mlp = mlp;
    this.firstLayer = new FirstLayer(List.of(mlp.layers.get(0)));
  }

  /**
   * Builds a DeepFM from a state dict in reference naming.
   *
   * @throws InvalidModelException if the tensors do not match the configuration
   */
  public static DeepFm fromStateDict(ModelConfig config, Map<String, Tensor> stateDict) {
    if (config.kind() != ModelKind.DEEPFM) {
      throw new IllegalArgumentException("Invalid kind " + config.kind() + " for DeepFm");
    }
    Map<String, Tensor> tensors = StateDictSchema.normalize(config, stateDict);
    StateDictSchema.validate(config, tensors);
    DenseStack mlp = Mlps.build(config, tensors, config.inputSize(), true);
    return new DeepFm(config, Mlps.floats(tensors, StateDictSchema.EMBEDDING),
        Mlps.floats(tensors, "fc.weight"), Mlps.floats(tensors, "_bias")[0], mlp);
  }

  /** Returns the first-order weight of each table row, {@code n} floats; do not modify it. */
  public float[] firstOrderWeights() {
    return firstOrder;
  }

  /** Returns the global bias added to every logit. */
  public double bias() {
    return bias;
  }

  /**
   * Returns the MLP's layers in order, batch norm folded in: ReLU follows every layer but the
   * last, which is the output layer of width 1.
   */
  public List<DenseLayerWeights> mlpLayers() {
    return mlp.layers.stream().map(DenseLayer::weights).toList();
  }

  @Override
  AbstractForward newForward(int capacity) {
    return new DeepFmForward(this, capacity);
  }
}
