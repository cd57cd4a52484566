package io.shaver.train;

import io.shaver.model.ModelConfig;
import io.shaver.model.Tensor;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DCN-Mix in training mode, with gradients written by hand.
 *
 * <p>Cross layer {@code l}: {@code P_i = tanh(x_l V_i)}, {@code Q_i = tanh(P_i C_i)},
 * {@code g_i = x_l . G_i} (identity gate), {@code y = sum_i g_i Q_i U_i + (sum_i g_i) b_l},
 * {@code x_{l+1} = x0 ⊙ y + x_l}; then the MLP. The gates {@code G} are shared by all layers, so
 * their gradient sums over layers. Backward through one layer, with {@code dX} the gradient of
 * {@code x_{l+1}}: {@code dy = dX ⊙ x0}, {@code dx0 += dX ⊙ y}, {@code H = dy U^T},
 * {@code dg_i = Q_i . H_i + dy . b_l}, {@code dQ_i = g_i H_i}, and the tanh factors
 * {@code 1 - Q^2} and {@code 1 - P^2} lead to {@code dC_i}, {@code dV_i} and {@code dx_l}.
 *
 * <p>Initialization follows the reference: Kaiming normal for {@code U, C, V} and the gates,
 * zero cross biases, PyTorch defaults for the MLP; embeddings are normal with
 * {@link TrainSettings#embeddingInitStd}.
 */
final class DcnMixTrainable implements TrainableModel {

  private final ModelConfig config;
  private final TrainSettings settings;
  private final int layers;
  private final int experts;
  private final int rank;
  private final int fieldCount;
  private final int dim;
  private final int inputSize;
  final SparseTable embedding;
  /** Per layer: {@code [V_1 .. V_E]}, {@code [D, E*r]}. */
  final DenseParam[] projection;
  /** Per layer and expert: {@code C_i [r, r]}. */
  final DenseParam[][] mix;
  /** Per layer: {@code [U_1; ..; U_E]}, {@code [E*r, D]}. */
  final DenseParam[] expand;
  final DenseParam[] bias;
  /** Shared gates {@code [G_1 .. G_E]}, {@code [D, E]}. */
  final DenseParam gates;
  final TrainableMlp mlp;
  private final SplittableRandom dropoutRandom;
  private final Map<Integer, Buffers> buffersBySize = new HashMap<>();

  DcnMixTrainable(ModelConfig config, TrainSettings settings) {
    this.config = config;
    this.settings = settings;
    this.layers = config.crossLayers();
    this.experts = config.experts();
    this.rank = config.rank();
    this.fieldCount = config.fieldCount();
    this.dim = config.embeddingDim();
    this.inputSize = config.inputSize();
    int maxTouched = Math.min(config.rowCount(), settings.batchSize() * fieldCount);
    embedding = new SparseTable(config.rowCount(), dim, maxTouched);
    projection = new DenseParam[layers];
    mix = new DenseParam[layers][experts];
    expand = new DenseParam[layers];
    bias = new DenseParam[layers];
    for (int l = 0; l < layers; l++) {
      projection[l] = new DenseParam(inputSize, experts * rank, true);
      for (int i = 0; i < experts; i++) {
        mix[l][i] = new DenseParam(rank, rank, true);
      }
      expand[l] = new DenseParam(experts * rank, inputSize, true);
      bias[l] = new DenseParam(1, inputSize, true);
    }
    gates = new DenseParam(inputSize, experts, true);
    mlp = new TrainableMlp(inputSize, config.hiddenSizes(), config.batchNorm(), true);
    SplittableRandom random = new SplittableRandom(settings.seed());
    initialize(random.split());
    dropoutRandom = random.split();
  }

  private void initialize(SplittableRandom random) {
    for (int i = 0; i < embedding.values.length; i++) {
      embedding.values[i] = (float) (Gaussian.next(random) * settings.embeddingInitStd());
    }
    // Kaiming normal: PyTorch's fan_in of an [E, a, b] tensor is a * b.
    for (int l = 0; l < layers; l++) {
      normal(projection[l], random, Math.sqrt(2.0 / (inputSize * rank)));
      for (int i = 0; i < experts; i++) {
        normal(mix[l][i], random, Math.sqrt(2.0 / (rank * rank)));
      }
      normal(expand[l], random, Math.sqrt(2.0 / (rank * inputSize)));
    }
    normal(gates, random, Math.sqrt(2.0 / inputSize));
    mlp.initialize(random);
  }

  private static void normal(DenseParam param, SplittableRandom random, double std) {
    for (int i = 0; i < param.size(); i++) {
      param.values().put(i, (float) (Gaussian.next(random) * std));
    }
  }

  /** Activations of one batch size, kept for the backward pass. */
  private final class Buffers {
    final INDArray[] x = new INDArray[layers + 1];
    final INDArray[] y = new INDArray[layers];
    final INDArray[] projected = new INDArray[layers];
    final INDArray[][] low = new INDArray[layers][experts];
    final INDArray[][] mixed = new INDArray[layers][experts];
    final INDArray[] gated = new INDArray[layers];
    final INDArray[] gate = new INDArray[layers];
    final INDArray gradX;
    final INDArray gradNext;
    final INDArray gradY;
    final INDArray gradGated;
    final INDArray gradProjected;
    final INDArray gradGate;
    final INDArray gradMixed;
    final INDArray gradLow;
    final float[] gradInput;

    Buffers(int batch) {
      for (int l = 0; l <= layers; l++) {
        x[l] = Nd4j.create(DataType.FLOAT, batch, inputSize);
      }
      for (int l = 0; l < layers; l++) {
        y[l] = Nd4j.create(DataType.FLOAT, batch, inputSize);
        projected[l] = Nd4j.create(DataType.FLOAT, batch, experts * rank);
        for (int i = 0; i < experts; i++) {
          low[l][i] = Nd4j.create(DataType.FLOAT, batch, rank);
          mixed[l][i] = Nd4j.create(DataType.FLOAT, batch, rank);
        }
        gated[l] = Nd4j.create(DataType.FLOAT, batch, experts * rank);
        gate[l] = Nd4j.create(DataType.FLOAT, batch, experts);
      }
      gradX = Nd4j.create(DataType.FLOAT, batch, inputSize);
      gradNext = Nd4j.create(DataType.FLOAT, batch, inputSize);
      gradY = Nd4j.create(DataType.FLOAT, batch, inputSize);
      gradGated = Nd4j.create(DataType.FLOAT, batch, experts * rank);
      gradProjected = Nd4j.create(DataType.FLOAT, batch, experts * rank);
      gradGate = Nd4j.create(DataType.FLOAT, batch, experts);
      gradMixed = Nd4j.create(DataType.FLOAT, batch, rank);
      gradLow = Nd4j.create(DataType.FLOAT, batch, rank);
      gradInput = new float[batch * inputSize];
    }
  }

  @Override
  public double forwardBackward(int[] ids, float[] labels, int batch) {
    Buffers buffers = buffersBySize.computeIfAbsent(batch, Buffers::new);
    lookUp(ids, batch, buffers.x[0]);
    for (int l = 0; l < layers; l++) {
      crossForward(l, buffers, batch);
    }
    INDArray logits = mlp.forward(buffers.x[layers], batch, settings.dropout(), dropoutRandom);

    double loss = lossAndGradient(logits, labels, batch, mlp.gradOutput(batch));
    INDArray gradTop = mlp.backward(buffers.x[layers], batch);
    buffers.gradNext.assign(gradTop);
    float[] gradInput = buffers.gradInput;
    java.util.Arrays.fill(gradInput, 0f);
    for (int l = layers - 1; l >= 0; l--) {
      crossBackward(l, buffers, batch, gradInput);
    }
    // gradNext now contains the gradient through x_0 as the input of layer 0.
    FloatBuffer viaInput = buffers.gradNext.data().asNioFloat();
    embedding.beginBatch();
    embedding.scatterGrad(ids, batch, fieldCount, gradInput, viaInput);
    return loss + embedding.addL2(ids, batch, fieldCount, settings.embeddingL2());
  }

  private void lookUp(int[] ids, int batch, INDArray target) {
    embedding.gather(ids, batch, fieldCount, target.data().asNioFloat());
  }

  private static double lossAndGradient(INDArray logits, float[] labels, int batch,
      INDArray gradLogits) {
    FloatBuffer z = logits.data().asNioFloat();
    FloatBuffer grad = gradLogits.data().asNioFloat();
    double lossSum = 0;
    for (int b = 0; b < batch; b++) {
      double logit = z.get(b);
      double y = labels[b];
      lossSum += Math.max(logit, 0) - logit * y + Math.log1p(Math.exp(-Math.abs(logit)));
      grad.put(b, (float) ((DeepFmTrainable.sigmoid(logit) - y) / batch));
    }
    return lossSum / batch;
  }

  private void crossForward(int l, Buffers buffers, int batch) {
    INDArray current = buffers.x[l];
    Nd4j.gemm(current, projection[l].value, buffers.projected[l], false, false, 1.0, 0.0);
    Nd4j.gemm(current, gates.value, buffers.gate[l], false, false, 1.0, 0.0);
    forwardExperts(l, buffers, batch);

    Nd4j.gemm(buffers.gated[l], expand[l].value, buffers.y[l], false, false, 1.0, 0.0);
    FloatBuffer y = buffers.y[l].data().asNioFloat();
    FloatBuffer input = buffers.x[0].data().asNioFloat();
    FloatBuffer previous = current.data().asNioFloat();
    FloatBuffer next = buffers.x[l + 1].data().asNioFloat();
    FloatBuffer shift = bias[l].values();
    FloatBuffer gate = buffers.gate[l].data().asNioFloat();
    for (int b = 0; b < batch; b++) {
      float gateSum = 0;
      for (int i = 0; i < experts; i++) {
        gateSum += gate.get(b * experts + i);
      }
      for (int k = 0; k < inputSize; k++) {
        int at = b * inputSize + k;
        float value = y.get(at) + gateSum * shift.get(k);
        y.put(at, value);
        next.put(at, input.get(at) * value + previous.get(at));
      }
    }
  }

  /** Computes {@code P_i}, {@code Q_i} and the gated {@code g_i Q_i} of every expert. */
  private void forwardExperts(int l, Buffers buffers, int batch) {
    FloatBuffer projected = buffers.projected[l].data().asNioFloat();
    FloatBuffer gate = buffers.gate[l].data().asNioFloat();
    FloatBuffer gated = buffers.gated[l].data().asNioFloat();
    int width = experts * rank;
    for (int i = 0; i < experts; i++) {
      FloatBuffer low = buffers.low[l][i].data().asNioFloat();
      for (int b = 0; b < batch; b++) {
        for (int k = 0; k < rank; k++) {
          low.put(b * rank + k, (float) Math.tanh(projected.get(b * width + i * rank + k)));
        }
      }
      Nd4j.gemm(buffers.low[l][i], mix[l][i].value, buffers.mixed[l][i], false, false, 1.0, 0.0);
      FloatBuffer mixed = buffers.mixed[l][i].data().asNioFloat();
      for (int b = 0; b < batch; b++) {
        float g = gate.get(b * experts + i);
        for (int k = 0; k < rank; k++) {
          float q = (float) Math.tanh(mixed.get(b * rank + k));
          mixed.put(b * rank + k, q);
          gated.put(b * width + i * rank + k, g * q);
        }
      }
    }
  }

  /**
   * Backpropagates through cross layer {@code l}: reads the gradient of {@code x_{l+1}} from
   * {@code gradNext}, leaves the gradient of {@code x_l} there, sets the layer's parameter
   * gradients, and adds the gradient through the {@code x0 ⊙} factor to {@code gradInput}.
   */
  private void crossBackward(int l, Buffers buffers, int batch, float[] gradInput) {
    FloatBuffer gradNext = buffers.gradNext.data().asNioFloat();
    FloatBuffer gradY = buffers.gradY.data().asNioFloat();
    FloatBuffer input = buffers.x[0].data().asNioFloat();
    FloatBuffer y = buffers.y[l].data().asNioFloat();
    FloatBuffer gate = buffers.gate[l].data().asNioFloat();
    FloatBuffer shift = bias[l].values();
    double[] biasGrad = new double[inputSize];
    float[] gradGateSum = new float[batch];
    for (int b = 0; b < batch; b++) {
      float gateSum = 0;
      for (int i = 0; i < experts; i++) {
        gateSum += gate.get(b * experts + i);
      }
      double dot = 0;
      for (int k = 0; k < inputSize; k++) {
        int at = b * inputSize + k;
        float dx = gradNext.get(at);
        float dy = dx * input.get(at);
        gradY.put(at, dy);
        gradInput[at] += dx * (y.get(at));
        biasGrad[k] += gateSum * dy;
        dot += dy * shift.get(k);
      }
      gradGateSum[b] = (float) dot;
    }
    for (int k = 0; k < inputSize; k++) {
      bias[l].grads().put(k, (float) biasGrad[k]);
    }

    // Residual: the gradient of x_l starts as that of x_{l+1}; gradNext keeps it.
    Nd4j.gemm(buffers.gated[l], buffers.gradY, expand[l].grad, true, false, 1.0, 0.0);
    Nd4j.gemm(buffers.gradY, expand[l].value, buffers.gradGated, false, true, 1.0, 0.0);
    backwardExperts(l, buffers, batch, gradGateSum);

    INDArray current = buffers.x[l];
    Nd4j.gemm(current, buffers.gradProjected, projection[l].grad, true, false, 1.0, 0.0);
    Nd4j.gemm(current, buffers.gradGate, gates.grad, true, false, 1.0,
        l == layers - 1 ? 0.0 : 1.0);
    Nd4j.gemm(buffers.gradProjected, projection[l].value, buffers.gradNext, false, true, 1.0,
        1.0);
    Nd4j.gemm(buffers.gradGate, gates.value, buffers.gradNext, false, true, 1.0, 1.0);
  }

  /** Sets {@code dC_i}, the gate gradients and the gradients of the projections. */
  private void backwardExperts(int l, Buffers buffers, int batch, float[] gradGateSum) {
    FloatBuffer gradGated = buffers.gradGated.data().asNioFloat();
    FloatBuffer gate = buffers.gate[l].data().asNioFloat();
    FloatBuffer gradGate = buffers.gradGate.data().asNioFloat();
    FloatBuffer gradProjected = buffers.gradProjected.data().asNioFloat();
    FloatBuffer gradMixed = buffers.gradMixed.data().asNioFloat();
    FloatBuffer gradLow = buffers.gradLow.data().asNioFloat();
    int width = experts * rank;
    for (int i = 0; i < experts; i++) {
      FloatBuffer mixed = buffers.mixed[l][i].data().asNioFloat();
      for (int b = 0; b < batch; b++) {
        float g = gate.get(b * experts + i);
        double dot = 0;
        for (int k = 0; k < rank; k++) {
          float h = gradGated.get(b * width + i * rank + k);
          float q = mixed.get(b * rank + k);
          dot += q * h;
          gradMixed.put(b * rank + k, g * h * (1 - q * q));
        }
        gradGate.put(b * experts + i, (float) dot + gradGateSum[b]);
      }
      Nd4j.gemm(buffers.low[l][i], buffers.gradMixed, mix[l][i].grad, true, false, 1.0, 0.0);
      Nd4j.gemm(buffers.gradMixed, mix[l][i].value, buffers.gradLow, false, true, 1.0, 0.0);
      FloatBuffer low = buffers.low[l][i].data().asNioFloat();
      for (int b = 0; b < batch; b++) {
        for (int k = 0; k < rank; k++) {
          float p = low.get(b * rank + k);
          gradProjected.put(b * width + i * rank + k, gradLow.get(b * rank + k) * (1 - p * p));
        }
      }
    }
  }

  @Override
  public void step(int step) {
    embedding.adam(step, settings.learningRate());
    for (DenseParam param : denseParams()) {
      param.adam(step, settings.learningRate(), settings.weightDecay());
    }
  }

  @Override
  public List<DenseParam> denseParams() {
    List<DenseParam> params = new ArrayList<>();
    for (int l = 0; l < layers; l++) {
      params.add(projection[l]);
      params.addAll(List.of(mix[l]));
      params.add(expand[l]);
      params.add(bias[l]);
    }
    params.add(gates);
    params.addAll(mlp.params());
    return params;
  }

  @Override
  public List<SparseTable> sparseTables() {
    return List.of(embedding);
  }

  @Override
  public Map<String, Tensor> stateDict() {
    Map<String, Tensor> stateDict = new LinkedHashMap<>();
    stateDict.put("embedding.weight",
        Tensor.ofFloats(embedding.values.clone(), config.rowCount(), dim));
    for (int l = 0; l < layers; l++) {
      stateDict.put("cross_head.U." + l, Tensor.ofFloats(expand[l].copyValues(), experts, rank,
          inputSize));
      float[] c = new float[experts * rank * rank];
      for (int i = 0; i < experts; i++) {
        mix[l][i].values().get(0, c, i * rank * rank, rank * rank);
      }
      stateDict.put("cross_head.C." + l, Tensor.ofFloats(c, experts, rank, rank));
      stateDict.put("cross_head.V." + l, Tensor.ofFloats(splitColumns(projection[l], experts,
          inputSize, rank), experts, inputSize, rank));
      stateDict.put("cross_head.biases." + l, Tensor.ofFloats(bias[l].copyValues(), 1, inputSize));
    }
    stateDict.put("cross_head.gates", Tensor.ofFloats(splitColumns(gates, experts, inputSize,
        1), experts, inputSize, 1));
    mlp.exportTo(stateDict, "_dnn.");
    stateDict.put("offsets", TrainableModel.offsetsTensor(config));
    return stateDict;
  }

  /** Turns {@code [rows, blocks * width]} into {@code [blocks, rows, width]}. */
  private static float[] splitColumns(DenseParam param, int blocks, int rows, int width) {
    FloatBuffer values = param.values();
    float[] result = new float[blocks * rows * width];
    for (int i = 0; i < blocks; i++) {
      for (int r = 0; r < rows; r++) {
        for (int k = 0; k < width; k++) {
          result[(i * rows + r) * width + k] = values.get(r * blocks * width + i * width + k);
        }
      }
    }
    return result;
  }
}
