package io.shaver.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DCN-Mix (mixture of low-rank cross experts) for inference, matching the reference PyTorch
 * model in eval mode.
 *
 * <p>With {@code x0 = flatten(e)} ({@code D = m * d}), cross layer {@code l} computes, for each
 * expert {@code i}: {@code expert_i = x0 ⊙ (U_i tanh(C_i tanh(V_i^T x_l)) + b_l)} and the
 * gate {@code g_i = x_l . G_i} with the identity gate activation (no softmax), and then
 * {@code x_{l+1} = sum_i g_i expert_i + x_l}. The activation is always tanh. The cross output
 * feeds the MLP ({@code Linear -> BatchNorm1d -> ReLU} per hidden size, then
 * {@code Linear(h_K, 1)}). There is no first-order term.
 *
 * <p>Model of Shaver (Tran et al., "On-device Content-based Recommendation with Single-shot
 * Embedding Pruning: A Cooperative Game Perspective", WWW 2025). Tensor names: see
 * {@link StateDictSchema}.
 */
public final class DcnMix extends AbstractCtrModel {

  /**
   * Per layer: {@code [V_1 .. V_E | G]}, {@code [D, E*r + E]}: one GEMM gives every expert's
   * projection and every gate. Layer 0 is evaluated through {@link #firstLayer} instead.
   */
  final DenseLayer[] projection;
  /** Per layer and expert: {@code C_i [r, r]}. */
  final INDArray[][] mix;
  /** Per layer: {@code [U_1; ..; U_E]}, {@code [E*r, D]}: one GEMM sums the experts. */
  final INDArray[] expand;
  /** Per layer: {@code b_l [D]}. */
  final float[][] bias;
  final DenseStack mlp;
  /** Layer-0 projection and gates, which read {@code x0}: segments V_1..V_E, then the gates. */
  final FirstLayer firstLayer;

  private DcnMix(ModelConfig config, float[] embedding, Map<String, Tensor> tensors) {
    super(config, embedding);
    int layers = config.crossLayers();
    int experts = config.experts();
    int rank = config.rank();
    int inputs = config.inputSize();
    float[] gateValues = Mlps.floats(tensors, "cross_head.gates");
    projection = new DenseLayer[layers];
    mix = new INDArray[layers][experts];
    expand = new INDArray[layers];
    bias = new float[layers][];
    FirstLayer first = null;
    for (int l = 0; l < layers; l++) {
      FirstLayer projected = new FirstLayer(projectionParts(
          Mlps.floats(tensors, "cross_head.V." + l), gateValues, experts, inputs, rank));
      if (l == 0) {
        first = projected;
      }
      projection[l] = projected.combined;
      float[] cl = Mlps.floats(tensors, "cross_head.C." + l);
      for (int i = 0; i < experts; i++) {
        mix[l][i] = Nd4j.create(Arrays.copyOfRange(cl, i * rank * rank, (i + 1) * rank * rank),
            new long[] {rank, rank}, DataType.FLOAT);
      }
      // U is [E, r, D] row-major, which is already [E*r, D].
      expand[l] = Nd4j.create(Mlps.floats(tensors, "cross_head.U." + l),
          new long[] {(long) experts * rank, inputs}, DataType.FLOAT);
      bias[l] = Mlps.floats(tensors, "cross_head.biases." + l).clone();
    }
    firstLayer = first;
    mlp = Mlps.build(config, tensors, inputs, true);
  }

  /** Returns the layers {@code V_1 .. V_E} ({@code D -> r} each) and the gates ({@code D -> E}). */
  private static List<DenseLayer> projectionParts(float[] v, float[] gateValues, int experts,
      int inputs, int rank) {
    List<DenseLayer> parts = new ArrayList<>();
    for (int i = 0; i < experts; i++) {
      // V_i is stored [D, r]: already the transposed weight of a D -> r layer.
      parts.add(new DenseLayer(inputs, rank,
          Arrays.copyOfRange(v, i * inputs * rank, (i + 1) * inputs * rank), new float[rank]));
    }
    float[] gateT = new float[inputs * experts];
    for (int i = 0; i < experts; i++) {
      for (int k = 0; k < inputs; k++) {
        gateT[k * experts + i] = gateValues[i * inputs + k];
      }
    }
    parts.add(new DenseLayer(inputs, experts, gateT, new float[experts]));
    return parts;
  }

  /**
   * Builds a DCN-Mix from a state dict in reference naming.
   *
   * @throws InvalidModelException if the tensors do not match the configuration
   */
  public static DcnMix fromStateDict(ModelConfig config, Map<String, Tensor> stateDict) {
    if (config.kind() != ModelKind.DCN_MIX) {
      throw new IllegalArgumentException("Invalid kind " + config.kind() + " for DcnMix");
    }
    Map<String, Tensor> tensors = StateDictSchema.normalize(config, stateDict);
    StateDictSchema.validate(config, tensors);
    return new DcnMix(config, Mlps.floats(tensors, StateDictSchema.EMBEDDING), tensors);
  }

  @Override
  AbstractForward newForward(int capacity) {
    return new DcnMixForward(this, capacity);
  }
}
