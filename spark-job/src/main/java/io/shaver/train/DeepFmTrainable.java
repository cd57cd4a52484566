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
 * DeepFM in training mode: {@code logit = sum_f fc[id_f] + bias + FM(e) + MLP(flatten(e))},
 * with gradients written by hand.
 *
 * <p>Embedding and first-order rows use lazy Adam ({@link SparseTable}); the bias and the MLP
 * use Adam with weight decay ({@link DenseParam}). The loss is the mean BCE plus the L2 penalty
 * of {@link SparseTable#addL2} on the looked-up embedding and first-order rows. Gradients of
 * the mean BCE loss:
 * {@code dL/dz = (sigmoid(z) - y) / B}; {@code dFM/de_fj = S_j - e_fj} with
 * {@code S_j = sum_f e_fj}; the MLP input gradient comes from {@link TrainableMlp}.
 */
final class DeepFmTrainable implements TrainableModel {

  private final ModelConfig config;
  private final TrainSettings settings;
  final SparseTable embedding;
  final SparseTable firstOrder;
  final DenseParam bias;
  final TrainableMlp mlp;
  private final SplittableRandom dropoutRandom;
  private final Map<Integer, INDArray> inputs = new HashMap<>();
  private final int fieldCount;
  private final int dim;
  private final int inputSize;
  private float[] x0 = new float[0];
  private double[] sums = new double[0];
  private float[] gradX = new float[0];

  DeepFmTrainable(ModelConfig config, TrainSettings settings) {
    this.config = config;
    this.settings = settings;
    this.fieldCount = config.fieldCount();
    this.dim = config.embeddingDim();
    this.inputSize = config.inputSize();
    int maxTouched = Math.min(config.rowCount(), settings.batchSize() * fieldCount);
    this.embedding = new SparseTable(config.rowCount(), dim, maxTouched);
    this.firstOrder = new SparseTable(config.rowCount(), 1, maxTouched);
    this.bias = new DenseParam(1, 1, true);
    this.mlp = new TrainableMlp(inputSize, config.hiddenSizes(), config.batchNorm(), true);
    SplittableRandom random = new SplittableRandom(settings.seed());
    initialize(random.split());
    this.dropoutRandom = random.split();
  }

  private void initialize(SplittableRandom random) {
    double std = settings.embeddingInitStd();
    for (int i = 0; i < embedding.values.length; i++) {
      embedding.values[i] = (float) (Gaussian.next(random) * std);
    }
    for (int i = 0; i < firstOrder.values.length; i++) {
      firstOrder.values[i] = (float) (Gaussian.next(random) * std);
    }
    mlp.initialize(random);
  }

  @Override
  public double forwardBackward(int[] ids, float[] labels, int batch) {
    ensureCapacity(batch);
    lookUp(ids, batch);
    INDArray input = inputs.computeIfAbsent(batch,
        size -> Nd4j.create(DataType.FLOAT, size, inputSize));
    FloatBuffer inputValues = input.data().asNioFloat();
    inputValues.clear();
    inputValues.put(x0, 0, batch * inputSize);
    INDArray deep = mlp.forward(input, batch, settings.dropout(), dropoutRandom);

    embedding.beginBatch();
    firstOrder.beginBatch();
    double loss = lossAndShallowGradients(ids, labels, batch, deep);

    FloatBuffer gradInput = mlp.backward(input, batch).data().asNioFloat();
    for (int b = 0; b < batch; b++) {
      for (int f = 0; f < fieldCount; f++) {
        int row = ids[b * fieldCount + f];
        for (int j = 0; j < dim; j++) {
          int c = b * inputSize + f * dim + j;
          embedding.addGrad(row, j, gradX[c] + gradInput.get(c));
        }
      }
    }
    double l2 = settings.embeddingL2();
    return loss + embedding.addL2(ids, batch, fieldCount, l2)
        + firstOrder.addL2(ids, batch, fieldCount, l2);
  }

  /**
   * Returns the mean loss and sets the gradients of the logits (into the MLP), the bias, the
   * first-order rows and the FM part of the embedding gradient ({@code gradX}).
   */
  private double lossAndShallowGradients(int[] ids, float[] labels, int batch, INDArray deep) {
    FloatBuffer deepValues = deep.data().asNioFloat();
    FloatBuffer gradDeep = mlp.gradOutput(batch).data().asNioFloat();
    double lossSum = 0;
    double gradBias = 0;
    for (int b = 0; b < batch; b++) {
      double logit = deepValues.get(b) + bias.values().get(0) + firstOrderSum(ids, b)
          + fm(b);
      double y = labels[b];
      lossSum += Math.max(logit, 0) - logit * y + Math.log1p(Math.exp(-Math.abs(logit)));
      double gradLogit = (sigmoid(logit) - y) / batch;
      gradDeep.put(b, (float) gradLogit);
      gradBias += gradLogit;
      for (int f = 0; f < fieldCount; f++) {
        firstOrder.addGrad(ids[b * fieldCount + f], 0, (float) gradLogit);
      }
      for (int c = 0; c < inputSize; c++) {
        gradX[b * inputSize + c] =
            (float) (gradLogit * (sums[b * dim + c % dim] - x0[b * inputSize + c]));
      }
    }
    bias.grads().put(0, (float) gradBias);
    return lossSum / batch;
  }

  private void ensureCapacity(int batch) {
    if (x0.length < batch * inputSize) {
      x0 = new float[batch * inputSize];
      gradX = new float[batch * inputSize];
      sums = new double[batch * dim];
    }
  }

  private void lookUp(int[] ids, int batch) {
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < dim; j++) {
        sums[b * dim + j] = 0;
      }
      for (int f = 0; f < fieldCount; f++) {
        int row = ids[b * fieldCount + f];
        int at = b * inputSize + f * dim;
        System.arraycopy(embedding.values, row * dim, x0, at, dim);
        for (int j = 0; j < dim; j++) {
          sums[b * dim + j] += x0[at + j];
        }
      }
    }
  }

  private double firstOrderSum(int[] ids, int b) {
    double sum = 0;
    for (int f = 0; f < fieldCount; f++) {
      sum += firstOrder.values[ids[b * fieldCount + f]];
    }
    return sum;
  }

  private double fm(int b) {
    double squareOfSum = 0;
    double sumOfSquares = 0;
    for (int j = 0; j < dim; j++) {
      double sum = sums[b * dim + j];
      squareOfSum += sum * sum;
    }
    int base = b * inputSize;
    for (int c = 0; c < inputSize; c++) {
      double value = x0[base + c];
      sumOfSquares += value * value;
    }
    return 0.5 * (squareOfSum - sumOfSquares);
  }

  static double sigmoid(double z) {
    return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
  }

  @Override
  public void step(int step) {
    embedding.adam(step, settings.learningRate());
    firstOrder.adam(step, settings.learningRate());
    bias.adam(step, settings.learningRate(), settings.weightDecay());
    for (DenseParam param : mlp.params()) {
      param.adam(step, settings.learningRate(), settings.weightDecay());
    }
  }

  @Override
  public Map<String, Tensor> stateDict() {
    int n = config.rowCount();
    Map<String, Tensor> stateDict = new LinkedHashMap<>();
    stateDict.put("_bias", Tensor.ofFloats(new float[] {bias.values().get(0)}, 1));
    stateDict.put("offsets", TrainableModel.offsetsTensor(config));
    stateDict.put("embedding.weight", Tensor.ofFloats(embedding.values.clone(), n, dim));
    stateDict.put("fc.weight", Tensor.ofFloats(firstOrder.values.clone(), n, 1));
    // The reference model has this layer but never uses it; zeros keep strict loading working.
    stateDict.put("linear_layer.weight", Tensor.ofFloats(new float[1], 1, 1));
    stateDict.put("linear_layer.bias", Tensor.ofFloats(new float[1], 1));
    mlp.exportTo(stateDict, "_deep_branch.");
    return stateDict;
  }

  @Override
  public List<SparseTable> sparseTables() {
    return List.of(embedding, firstOrder);
  }

  @Override
  public List<DenseParam> denseParams() {
    List<DenseParam> params = new ArrayList<>(mlp.params());
    params.add(0, bias);
    return params;
  }
}
