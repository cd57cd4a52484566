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

  /** Per layer and expert: {@code V_i [D, r]}, {@code C_i [r, r]}, {@code U_i [r, D]}. */
  final INDArray[][] v;
  final INDArray[][] c;
  final INDArray[][] u;
  /** Per layer: {@code b_l [1, D]}. */
  final INDArray[] bias;
  /** Per expert: {@code G_i [D, 1]}. */
  final INDArray[] gates;
  final DenseStack mlp;
  /** Layer-0 products that read {@code x0}: segments 0..E-1 are {@code V_i}, segment E the gates. */
  final FirstLayer firstLayer;

  private DcnMix(ModelConfig config, float[] embedding, Map<String, Tensor> tensors) {
    super(config, embedding);
    int layers = config.crossLayers();
    int experts = config.experts();
    int rank = config.rank();
    int inputs = config.inputSize();
    v = new INDArray[layers][experts];
    c = new INDArray[layers][experts];
    u = new INDArray[layers][experts];
    bias = new INDArray[layers];
    for (int l = 0; l < layers; l++) {
      float[] vl = Mlps.floats(tensors, "cross_head.V." + l);
      float[] cl = Mlps.floats(tensors, "cross_head.C." + l);
      float[] ul = Mlps.floats(tensors, "cross_head.U." + l);
      for (int i = 0; i < experts; i++) {
        v[l][i] = matrix(vl, i, inputs, rank);
        c[l][i] = matrix(cl, i, rank, rank);
        u[l][i] = matrix(ul, i, rank, inputs);
      }
      bias[l] = Nd4j.create(Mlps.floats(tensors, "cross_head.biases." + l),
          new long[] {1, inputs}, DataType.FLOAT);
    }
    float[] gateValues = Mlps.floats(tensors, "cross_head.gates");
    gates = new INDArray[experts];
    for (int i = 0; i < experts; i++) {
      gates[i] = matrix(gateValues, i, inputs, 1);
    }
    mlp = Mlps.build(config, tensors, inputs, true);
    firstLayer = new FirstLayer(firstLayerParts(Mlps.floats(tensors, "cross_head.V.0"),
        gateValues, experts, inputs, rank));
  }

  private static List<DenseLayer> firstLayerParts(float[] v0, float[] gateValues, int experts,
      int inputs, int rank) {
    List<DenseLayer> parts = new ArrayList<>();
    for (int i = 0; i < experts; i++) {
      // V_i is stored [D, r]: already the transposed weight of a D -> r layer.
      parts.add(new DenseLayer(inputs, rank,
          Arrays.copyOfRange(v0, i * inputs * rank, (i + 1) * inputs * rank), new float[rank]));
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

  private static INDArray matrix(float[] values, int block, int rows, int cols) {
    float[] part = Arrays.copyOfRange(values, block * rows * cols, (block + 1) * rows * cols);
    return Nd4j.create(part, new long[] {rows, cols}, DataType.FLOAT);
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
