package io.shaver.train;

import io.shaver.model.CrossStructure;
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
 * DCNv2 in training mode, with gradients written by hand.
 *
 * <p>Cross layer {@code l}: {@code u_l = x_l W_l + b_l}, {@code x_{l+1} = x_l + x0 ⊙ u_l}, with
 * {@code W_l} stored as {@code [in, out]}. Stacked: the MLP (hidden layers only) reads
 * {@code x_L} and {@code _last_fc} reads the MLP output; parallel: the MLP reads {@code x0} and
 * {@code _last_fc} reads {@code concat(x_L, MLP(x0))}. Without hidden layers {@code _last_fc}
 * reads {@code x_L}. Backward through layer {@code l}, with {@code G} the gradient of
 * {@code x_{l+1}}: {@code du = G ⊙ x0}, {@code dx0 += G ⊙ u_l}, {@code dW_l = x_l^T du},
 * {@code db_l = sum_b du}, {@code dx_l = G + du W_l^T}.
 *
 * <p>Initialization: PyTorch's {@code Linear} default (uniform in {@code ±1/sqrt(in)}) for the
 * cross layers and {@code _last_fc}, the MLP's own initialization, and normal embeddings with
 * {@link TrainSettings#embeddingInitStd}.
 */
final class DcnV2Trainable implements TrainableModel {

  private final ModelConfig config;
  private final TrainSettings settings;
  private final int layers;
  private final int fieldCount;
  private final int dim;
  private final int inputSize;
  private final boolean parallel;
  final SparseTable embedding;
  /** Per layer: {@code W_l} as {@code [D, D]} in {@code [in, out]} order. */
  final DenseParam[] weight;
  final DenseParam[] bias;
  /** The MLP's hidden layers; null without hidden layers. */
  final TrainableMlp mlp;
  final DenseParam lastWeight;
  final DenseParam lastBias;
  private final int lastWidth;
  private final SplittableRandom dropoutRandom;
  private final Map<Integer, Buffers> buffersBySize = new HashMap<>();

  DcnV2Trainable(ModelConfig config, TrainSettings settings) {
    this.config = config;
    this.settings = settings;
    this.layers = config.crossLayers();
    this.fieldCount = config.fieldCount();
    this.dim = config.embeddingDim();
    this.inputSize = config.inputSize();
    this.parallel = config.structure() == CrossStructure.PARALLEL;
    int maxTouched = Math.min(config.rowCount(), settings.batchSize() * fieldCount);
    embedding = new SparseTable(config.rowCount(), dim, maxTouched);
    weight = new DenseParam[layers];
    bias = new DenseParam[layers];
    for (int l = 0; l < layers; l++) {
      weight[l] = new DenseParam(inputSize, inputSize, true);
      bias[l] = new DenseParam(1, inputSize, true);
    }
    List<Integer> hidden = config.hiddenSizes();
    mlp = hidden.isEmpty() ? null
        : new TrainableMlp(inputSize, hidden, config.batchNorm(), false);
    int deepWidth = hidden.isEmpty() ? 0 : hidden.get(hidden.size() - 1);
    if (hidden.isEmpty()) {
      lastWidth = inputSize;
    } else if (parallel) {
      lastWidth = inputSize + deepWidth;
    } else {
      lastWidth = deepWidth;
    }
    lastWeight = new DenseParam(lastWidth, 1, true);
    lastBias = new DenseParam(1, 1, true);
    SplittableRandom random = new SplittableRandom(settings.seed());
    initialize(random.split());
    dropoutRandom = random.split();
  }

  private void initialize(SplittableRandom random) {
    for (int i = 0; i < embedding.values.length; i++) {
      embedding.values[i] = (float) (Gaussian.next(random) * settings.embeddingInitStd());
    }
    double bound = 1 / Math.sqrt(inputSize);
    for (int l = 0; l < layers; l++) {
      uniform(weight[l], random, bound);
      uniform(bias[l], random, bound);
    }
    if (mlp != null) {
      mlp.initialize(random);
    }
    uniform(lastWeight, random, 1 / Math.sqrt(lastWidth));
    uniform(lastBias, random, 1 / Math.sqrt(lastWidth));
  }

  private static void uniform(DenseParam param, SplittableRandom random, double bound) {
    for (int i = 0; i < param.size(); i++) {
      param.values().put(i, (float) ((random.nextDouble() * 2 - 1) * bound));
    }
  }

  /** Activations of one batch size, kept for the backward pass. */
  private final class Buffers {
    final INDArray[] x = new INDArray[layers + 1];
    final INDArray[] u = new INDArray[layers];
    final INDArray gradNext;
    final INDArray gradU;
    final float[] lastInput;
    final float[] gradLast;
    final float[] gradInput;

    Buffers(int batch) {
      for (int l = 0; l <= layers; l++) {
        x[l] = Nd4j.create(DataType.FLOAT, batch, inputSize);
      }
      for (int l = 0; l < layers; l++) {
        u[l] = Nd4j.create(DataType.FLOAT, batch, inputSize);
      }
      gradNext = Nd4j.create(DataType.FLOAT, batch, inputSize);
      gradU = Nd4j.create(DataType.FLOAT, batch, inputSize);
      lastInput = new float[batch * lastWidth];
      gradLast = new float[batch * lastWidth];
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
    INDArray deep = null;
    if (mlp != null) {
      INDArray deepInput = parallel ? buffers.x[0] : buffers.x[layers];
      deep = mlp.forward(deepInput, batch, settings.dropout(), dropoutRandom);
    }
    fillLastInput(buffers, deep, batch);
    double loss = lastLayer(buffers, labels, batch);

    float[] gradInput = buffers.gradInput;
    java.util.Arrays.fill(gradInput, 0f);
    backwardToCross(buffers, batch, gradInput);
    for (int l = layers - 1; l >= 0; l--) {
      crossBackward(l, buffers, batch, gradInput);
    }
    FloatBuffer viaInput = buffers.gradNext.data().asNioFloat();
    embedding.beginBatch();
    embedding.scatterGrad(ids, batch, fieldCount, gradInput, viaInput);
    return loss + embedding.addL2(ids, batch, fieldCount, settings.embeddingL2());
  }

  private void lookUp(int[] ids, int batch, INDArray target) {
    embedding.gather(ids, batch, fieldCount, target.data().asNioFloat());
  }

  private void crossForward(int l, Buffers buffers, int batch) {
    Nd4j.gemm(buffers.x[l], weight[l].value, buffers.u[l], false, false, 1.0, 0.0);
    FloatBuffer u = buffers.u[l].data().asNioFloat();
    FloatBuffer input = buffers.x[0].data().asNioFloat();
    FloatBuffer previous = buffers.x[l].data().asNioFloat();
    FloatBuffer next = buffers.x[l + 1].data().asNioFloat();
    FloatBuffer shift = bias[l].values();
    for (int b = 0; b < batch; b++) {
      for (int k = 0; k < inputSize; k++) {
        int at = b * inputSize + k;
        float value = u.get(at) + shift.get(k);
        u.put(at, value);
        next.put(at, previous.get(at) + input.get(at) * value);
      }
    }
  }

  /** Copies the input of {@code _last_fc} into {@code lastInput}, one row per sample. */
  private void fillLastInput(Buffers buffers, INDArray deep, int batch) {
    FloatBuffer cross = buffers.x[layers].data().asNioFloat();
    FloatBuffer deepValues = deep == null ? null : deep.data().asNioFloat();
    int deepWidth = deep == null ? 0 : (int) deep.size(1);
    for (int b = 0; b < batch; b++) {
      int at = b * lastWidth;
      if (deep == null || parallel) {
        for (int k = 0; k < inputSize; k++) {
          buffers.lastInput[at + k] = cross.get(b * inputSize + k);
        }
        at += inputSize;
      }
      if (deep != null) {
        for (int k = 0; k < deepWidth; k++) {
          buffers.lastInput[at + k] = deepValues.get(b * deepWidth + k);
        }
      }
    }
  }

  /**
   * Computes the logits and the mean loss, sets the gradients of {@code _last_fc} and writes
   * the gradient of its input into {@code gradLast}.
   */
  private double lastLayer(Buffers buffers, float[] labels, int batch) {
    FloatBuffer w = lastWeight.values();
    double[] weightGrad = new double[lastWidth];
    double biasGrad = 0;
    double lossSum = 0;
    for (int b = 0; b < batch; b++) {
      double logit = lastBias.values().get(0);
      for (int k = 0; k < lastWidth; k++) {
        logit += buffers.lastInput[b * lastWidth + k] * w.get(k);
      }
      double y = labels[b];
      lossSum += Math.max(logit, 0) - logit * y + Math.log1p(Math.exp(-Math.abs(logit)));
      double g = (DeepFmTrainable.sigmoid(logit) - y) / batch;
      biasGrad += g;
      for (int k = 0; k < lastWidth; k++) {
        weightGrad[k] += g * buffers.lastInput[b * lastWidth + k];
        buffers.gradLast[b * lastWidth + k] = (float) (g * w.get(k));
      }
    }
    for (int k = 0; k < lastWidth; k++) {
      lastWeight.grads().put(k, (float) weightGrad[k]);
    }
    lastBias.grads().put(0, (float) biasGrad);
    return lossSum / batch;
  }

  /**
   * Routes {@code gradLast} into {@code gradNext} (the gradient of {@code x_L}) and, through the
   * MLP, into {@code gradNext} (stacked) or {@code gradInput} (parallel, the MLP reads x0).
   */
  private void backwardToCross(Buffers buffers, int batch, float[] gradInput) {
    FloatBuffer gradNext = buffers.gradNext.data().asNioFloat();
    if (mlp == null) {
      gradNext.clear();
      gradNext.put(buffers.gradLast, 0, batch * inputSize);
      return;
    }
    int deepWidth = mlp.outputWidth();
    int deepOffset = parallel ? inputSize : 0;
    FloatBuffer gradDeep = mlp.gradOutput(batch).data().asNioFloat();
    for (int b = 0; b < batch; b++) {
      for (int k = 0; k < deepWidth; k++) {
        gradDeep.put(b * deepWidth + k, buffers.gradLast[b * lastWidth + deepOffset + k]);
      }
    }
    INDArray deepInput = parallel ? buffers.x[0] : buffers.x[layers];
    FloatBuffer viaMlp = mlp.backward(deepInput, batch).data().asNioFloat();
    for (int b = 0; b < batch; b++) {
      for (int k = 0; k < inputSize; k++) {
        int at = b * inputSize + k;
        if (parallel) {
          gradNext.put(at, buffers.gradLast[b * lastWidth + k]);
          gradInput[at] += viaMlp.get(at);
        } else {
          gradNext.put(at, viaMlp.get(at));
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
    FloatBuffer gradU = buffers.gradU.data().asNioFloat();
    FloatBuffer input = buffers.x[0].data().asNioFloat();
    FloatBuffer u = buffers.u[l].data().asNioFloat();
    double[] biasGrad = new double[inputSize];
    for (int b = 0; b < batch; b++) {
      for (int k = 0; k < inputSize; k++) {
        int at = b * inputSize + k;
        float g = gradNext.get(at);
        float du = g * input.get(at);
        gradU.put(at, du);
        gradInput[at] += g * u.get(at);
        biasGrad[k] += du;
      }
    }
    for (int k = 0; k < inputSize; k++) {
      bias[l].grads().put(k, (float) biasGrad[k]);
    }
    Nd4j.gemm(buffers.x[l], buffers.gradU, weight[l].grad, true, false, 1.0, 0.0);
    Nd4j.gemm(buffers.gradU, weight[l].value, buffers.gradNext, false, true, 1.0, 1.0);
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
      params.add(weight[l]);
      params.add(bias[l]);
    }
    if (mlp != null) {
      params.addAll(mlp.params());
    }
    params.add(lastWeight);
    params.add(lastBias);
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
      stateDict.put("cross_head.layers." + l + ".weight",
          weight[l].transposedTensor(inputSize, inputSize));
      stateDict.put("cross_head.layers." + l + ".bias",
          Tensor.ofFloats(bias[l].copyValues(), inputSize));
    }
    if (mlp != null) {
      mlp.exportTo(stateDict, "_dnn.");
    }
    stateDict.put("_last_fc.weight", Tensor.ofFloats(lastWeight.copyValues(), 1, lastWidth));
    stateDict.put("_last_fc.bias", Tensor.ofFloats(lastBias.copyValues(), 1));
    stateDict.put("offsets", TrainableModel.offsetsTensor(config));
    return stateDict;
  }
}
