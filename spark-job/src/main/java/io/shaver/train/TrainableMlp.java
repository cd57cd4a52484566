package io.shaver.train;

import io.shaver.model.Tensor;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training-mode MLP: {@code Linear -> BatchNorm1d (optional) -> ReLU -> Dropout} per hidden
 * size, then optionally {@code Linear(h_K, 1)}, with hand-written backpropagation.
 *
 * <p>Batch norm uses batch statistics (biased variance) and updates running statistics like
 * PyTorch ({@code momentum = 0.1}, unbiased variance in the running estimate). Weights are
 * kept transposed ({@code [in, out]}) and exported in PyTorch's {@code [out, in]} layout.
 */
final class TrainableMlp {

  private static final double BATCH_NORM_EPS = 1e-5;
  private static final double MOMENTUM = 0.1;

  private final int inputWidth;
  private final int[] sizes;
  private final boolean batchNorm;
  private final boolean withOutput;
  final DenseParam[] weights;
  final DenseParam[] biases;
  final DenseParam[] gammas;
  final DenseParam[] betas;
  private final double[][] runningMean;
  private final double[][] runningVar;
  private long batchesTracked;
  final DenseParam outputWeight;
  final DenseParam outputBias;
  private final Map<Integer, Buffers> buffersBySize = new HashMap<>();

  TrainableMlp(int inputWidth, List<Integer> hidden, boolean batchNorm, boolean withOutput) {
    this.inputWidth = inputWidth;
    this.sizes = hidden.stream().mapToInt(Integer::intValue).toArray();
    this.batchNorm = batchNorm;
    this.withOutput = withOutput;
    int layers = sizes.length;
    weights = new DenseParam[layers];
    biases = new DenseParam[layers];
    gammas = new DenseParam[layers];
    betas = new DenseParam[layers];
    runningMean = new double[layers][];
    runningVar = new double[layers][];
    int width = inputWidth;
    for (int k = 0; k < layers; k++) {
      weights[k] = new DenseParam(width, sizes[k], true);
      biases[k] = new DenseParam(1, sizes[k], true);
      if (batchNorm) {
        gammas[k] = new DenseParam(1, sizes[k], false);
        betas[k] = new DenseParam(1, sizes[k], false);
        runningMean[k] = new double[sizes[k]];
        runningVar[k] = new double[sizes[k]];
      }
      width = sizes[k];
    }
    outputWeight = withOutput ? new DenseParam(width, 1, true) : null;
    outputBias = withOutput ? new DenseParam(1, 1, true) : null;
  }

  /** Initializes like PyTorch: linear weights and biases uniform in {@code ±1/sqrt(in)}. */
  void initialize(SplittableRandom random) {
    int width = inputWidth;
    for (int k = 0; k < sizes.length; k++) {
      uniform(weights[k].values(), weights[k].size(), random, 1 / Math.sqrt(width));
      uniform(biases[k].values(), biases[k].size(), random, 1 / Math.sqrt(width));
      if (batchNorm) {
        for (int o = 0; o < sizes[k]; o++) {
          gammas[k].values().put(o, 1f);
          runningVar[k][o] = 1.0;
        }
      }
      width = sizes[k];
    }
    if (withOutput) {
      uniform(outputWeight.values(), outputWeight.size(), random, 1 / Math.sqrt(width));
      uniform(outputBias.values(), 1, random, 1 / Math.sqrt(width));
    }
  }

  private static void uniform(FloatBuffer target, int count, SplittableRandom random,
      double bound) {
    for (int i = 0; i < count; i++) {
      target.put(i, (float) ((random.nextDouble() * 2 - 1) * bound));
    }
  }

  List<DenseParam> params() {
    List<DenseParam> params = new ArrayList<>();
    for (int k = 0; k < sizes.length; k++) {
      params.add(weights[k]);
      params.add(biases[k]);
      if (batchNorm) {
        params.add(gammas[k]);
        params.add(betas[k]);
      }
    }
    if (withOutput) {
      params.add(outputWeight);
      params.add(outputBias);
    }
    return params;
  }

  int outputWidth() {
    if (withOutput) {
      return 1;
    }
    return sizes.length == 0 ? inputWidth : sizes[sizes.length - 1];
  }

  /** Activations and gradients of one batch size. */
  private final class Buffers {
    final INDArray[] pre = new INDArray[sizes.length];
    final INDArray[] act = new INDArray[sizes.length];
    final INDArray[] gradAct = new INDArray[sizes.length];
    final INDArray[] gradPre = new INDArray[sizes.length];
    final float[][] normalized = new float[sizes.length][];
    final float[][] mask = new float[sizes.length][];
    final double[][] inverseStd = new double[sizes.length][];
    final INDArray output;
    final INDArray gradOutput;
    final INDArray gradInput;

    Buffers(int batch) {
      for (int k = 0; k < sizes.length; k++) {
        pre[k] = Nd4j.create(DataType.FLOAT, batch, sizes[k]);
        act[k] = Nd4j.create(DataType.FLOAT, batch, sizes[k]);
        gradAct[k] = Nd4j.create(DataType.FLOAT, batch, sizes[k]);
        gradPre[k] = Nd4j.create(DataType.FLOAT, batch, sizes[k]);
        normalized[k] = new float[batch * sizes[k]];
        mask[k] = new float[batch * sizes[k]];
        inverseStd[k] = new double[sizes[k]];
      }
      output = withOutput ? Nd4j.create(DataType.FLOAT, batch, 1) : null;
      gradOutput = withOutput ? Nd4j.create(DataType.FLOAT, batch, 1) : null;
      gradInput = Nd4j.create(DataType.FLOAT, batch, inputWidth);
    }
  }

  private Buffers buffers(int batch) {
    return buffersBySize.computeIfAbsent(batch, Buffers::new);
  }

  /**
   * Runs the training-mode forward of {@code input} ({@code [batch, in]}) and returns the
   * output ({@code [batch, 1]} with an output layer, else the last activation).
   */
  INDArray forward(INDArray input, int batch, double dropout, SplittableRandom random) {
    Buffers buffers = buffers(batch);
    INDArray current = input;
    for (int k = 0; k < sizes.length; k++) {
      Nd4j.gemm(current, weights[k].value, buffers.pre[k], false, false, 1.0, 0.0);
      addBias(buffers.pre[k], batch, biases[k]);
      if (batchNorm) {
        normalize(k, buffers, batch);
      }
      activate(k, buffers, batch, dropout, random);
      current = buffers.act[k];
    }
    if (batchNorm && sizes.length > 0) {
      batchesTracked++;
    }
    if (!withOutput) {
      return current;
    }
    // One output column: a plain loop, because ND4J's GEMM is slow for that shape.
    FloatBuffer in = current.data().asNioFloat();
    FloatBuffer weight = outputWeight.values();
    FloatBuffer out = buffers.output.data().asNioFloat();
    int width = (int) current.size(1);
    for (int b = 0; b < batch; b++) {
      double sum = outputBias.values().get(0);
      for (int c = 0; c < width; c++) {
        sum += in.get(b * width + c) * weight.get(c);
      }
      out.put(b, (float) sum);
    }
    return buffers.output;
  }

  private static void addBias(INDArray target, int batch, DenseParam bias) {
    FloatBuffer values = target.data().asNioFloat();
    FloatBuffer shift = bias.values();
    int width = bias.size();
    for (int b = 0; b < batch; b++) {
      for (int o = 0; o < width; o++) {
        values.put(b * width + o, values.get(b * width + o) + shift.get(o));
      }
    }
  }

  /** Returns the gradient buffer of the output; the caller fills it before {@link #backward}. */
  INDArray gradOutput(int batch) {
    if (!withOutput && sizes.length == 0) {
      throw new IllegalStateException("An MLP without layers has no output gradient buffer");
    }
    Buffers buffers = buffers(batch);
    return withOutput ? buffers.gradOutput : buffers.gradAct[sizes.length - 1];
  }

  /**
   * Backpropagates the gradient in {@link #gradOutput}, sets every parameter gradient and
   * returns the gradient of the input ({@code [batch, in]}).
   */
  INDArray backward(INDArray input, int batch) {
    Buffers buffers = buffers(batch);
    int last = sizes.length - 1;
    if (withOutput) {
      INDArray previous = last >= 0 ? buffers.act[last] : input;
      INDArray target = last >= 0 ? buffers.gradAct[last] : buffers.gradInput;
      backwardOutput(previous, buffers.gradOutput, target, batch);
    }
    for (int k = last; k >= 0; k--) {
      backwardActivation(k, buffers, batch);
      if (batchNorm) {
        backwardNormalize(k, buffers, batch);
      }
      INDArray previous = k > 0 ? buffers.act[k - 1] : input;
      Nd4j.gemm(previous, buffers.gradPre[k], weights[k].grad, true, false, 1.0, 0.0);
      columnSums(buffers.gradPre[k], batch, sizes[k], biases[k].grads());
      INDArray target = k > 0 ? buffers.gradAct[k - 1] : buffers.gradInput;
      Nd4j.gemm(buffers.gradPre[k], weights[k].value, target, false, true, 1.0, 0.0);
    }
    return buffers.gradInput;
  }

  /** Sets the output layer's gradients and writes the gradient of its input into {@code target}. */
  private void backwardOutput(INDArray previous, INDArray gradOutput, INDArray target,
      int batch) {
    FloatBuffer in = previous.data().asNioFloat();
    FloatBuffer grad = gradOutput.data().asNioFloat();
    FloatBuffer weight = outputWeight.values();
    FloatBuffer out = target.data().asNioFloat();
    int width = (int) previous.size(1);
    double[] weightGrad = new double[width];
    double biasGrad = 0;
    for (int b = 0; b < batch; b++) {
      float g = grad.get(b);
      biasGrad += g;
      for (int c = 0; c < width; c++) {
        weightGrad[c] += g * in.get(b * width + c);
        out.put(b * width + c, g * weight.get(c));
      }
    }
    for (int c = 0; c < width; c++) {
      outputWeight.grads().put(c, (float) weightGrad[c]);
    }
    outputBias.grads().put(0, (float) biasGrad);
  }

  /** Replaces {@code pre[k]} by {@code gamma * xhat + beta} and keeps {@code xhat}. */
  private void normalize(int k, Buffers buffers, int batch) {
    int width = sizes[k];
    FloatBuffer pre = buffers.pre[k].data().asNioFloat();
    double[] mean = new double[width];
    double[] var = new double[width];
    for (int b = 0; b < batch; b++) {
      for (int o = 0; o < width; o++) {
        mean[o] += pre.get(b * width + o);
      }
    }
    for (int o = 0; o < width; o++) {
      mean[o] /= batch;
    }
    for (int b = 0; b < batch; b++) {
      for (int o = 0; o < width; o++) {
        double centered = pre.get(b * width + o) - mean[o];
        var[o] += centered * centered;
      }
    }
    FloatBuffer gamma = gammas[k].values();
    FloatBuffer beta = betas[k].values();
    double[] inverseStd = buffers.inverseStd[k];
    for (int o = 0; o < width; o++) {
      var[o] /= batch;
      inverseStd[o] = 1 / Math.sqrt(var[o] + BATCH_NORM_EPS);
      runningMean[k][o] = (1 - MOMENTUM) * runningMean[k][o] + MOMENTUM * mean[o];
      runningVar[k][o] = (1 - MOMENTUM) * runningVar[k][o]
          + MOMENTUM * var[o] * batch / (batch - 1);
    }
    float[] normalized = buffers.normalized[k];
    for (int b = 0; b < batch; b++) {
      for (int o = 0; o < width; o++) {
        int i = b * width + o;
        float xhat = (float) ((pre.get(i) - mean[o]) * inverseStd[o]);
        normalized[i] = xhat;
        pre.put(i, xhat * gamma.get(o) + beta.get(o));
      }
    }
  }

  /** Writes {@code act = relu(pre) * dropout mask} and keeps the combined mask. */
  private void activate(int k, Buffers buffers, int batch, double dropout,
      SplittableRandom random) {
    int count = batch * sizes[k];
    FloatBuffer pre = buffers.pre[k].data().asNioFloat();
    FloatBuffer act = buffers.act[k].data().asNioFloat();
    float[] mask = buffers.mask[k];
    float keepScale = (float) (1 / (1 - dropout));
    for (int i = 0; i < count; i++) {
      float value = pre.get(i);
      float scale = value > 0 ? 1f : 0f;
      if (dropout > 0) {
        scale = random.nextDouble() < dropout ? 0f : scale * keepScale;
      }
      mask[i] = scale;
      act.put(i, value * scale);
    }
  }

  private void backwardActivation(int k, Buffers buffers, int batch) {
    int count = batch * sizes[k];
    FloatBuffer gradAct = buffers.gradAct[k].data().asNioFloat();
    FloatBuffer gradPre = buffers.gradPre[k].data().asNioFloat();
    float[] mask = buffers.mask[k];
    for (int i = 0; i < count; i++) {
      gradPre.put(i, gradAct.get(i) * mask[i]);
    }
  }

  /** Turns the gradient of the batch-norm output into that of its input, in place. */
  private void backwardNormalize(int k, Buffers buffers, int batch) {
    int width = sizes[k];
    FloatBuffer grad = buffers.gradPre[k].data().asNioFloat();
    float[] normalized = buffers.normalized[k];
    FloatBuffer gamma = gammas[k].values();
    double[] sumGrad = new double[width];
    double[] sumGradXhat = new double[width];
    for (int b = 0; b < batch; b++) {
      for (int o = 0; o < width; o++) {
        int i = b * width + o;
        sumGrad[o] += grad.get(i);
        sumGradXhat[o] += grad.get(i) * normalized[i];
      }
    }
    for (int o = 0; o < width; o++) {
      gammas[k].grads().put(o, (float) sumGradXhat[o]);
      betas[k].grads().put(o, (float) sumGrad[o]);
    }
    double[] inverseStd = buffers.inverseStd[k];
    for (int b = 0; b < batch; b++) {
      for (int o = 0; o < width; o++) {
        int i = b * width + o;
        // d xhat = dy * gamma; dx = invstd / B * (B dxhat - sum dxhat - xhat sum(dxhat xhat)).
        double gradXhat = grad.get(i) * gamma.get(o);
        double value = inverseStd[o] / batch * (batch * gradXhat - sumGrad[o] * gamma.get(o)
            - normalized[i] * sumGradXhat[o] * gamma.get(o));
        grad.put(i, (float) value);
      }
    }
  }

  private static void columnSums(INDArray matrix, int rows, int cols, FloatBuffer target) {
    FloatBuffer values = matrix.data().asNioFloat();
    double[] sums = new double[cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        sums[c] += values.get(r * cols + c);
      }
    }
    for (int c = 0; c < cols; c++) {
      target.put(c, (float) sums[c]);
    }
  }

  /** Adds this MLP's tensors under {@code prefix} in PyTorch {@code Sequential} numbering. */
  void exportTo(Map<String, Tensor> stateDict, String prefix) {
    int width = inputWidth;
    int step = batchNorm ? 4 : 3;
    for (int k = 0; k < sizes.length; k++) {
      String linear = prefix + (k * step);
      stateDict.put(linear + ".weight", weights[k].transposedTensor(width, sizes[k]));
      stateDict.put(linear + ".bias", vector(biases[k]));
      if (batchNorm) {
        String norm = prefix + (k * step + 1);
        stateDict.put(norm + ".weight", vector(gammas[k]));
        stateDict.put(norm + ".bias", vector(betas[k]));
        stateDict.put(norm + ".running_mean", doubles(runningMean[k]));
        stateDict.put(norm + ".running_var", doubles(runningVar[k]));
        stateDict.put(norm + ".num_batches_tracked",
            Tensor.ofLongs(new long[] {batchesTracked}));
      }
      width = sizes[k];
    }
    if (withOutput) {
      String output = prefix + (sizes.length * step);
      stateDict.put(output + ".weight", outputWeight.transposedTensor(width, 1));
      stateDict.put(output + ".bias", vector(outputBias));
    }
  }

  private static Tensor vector(DenseParam param) {
    return Tensor.ofFloats(param.copyValues(), param.size());
  }

  private static Tensor doubles(double[] values) {
    float[] result = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      result[i] = (float) values[i];
    }
    return Tensor.ofFloats(result, result.length);
  }
}
