package io.shaver.model;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Linear layer {@code y = x W^T + b} for inference, possibly with a batch norm folded in.
 *
 * <p>The weight is kept transposed, {@code [in, out]} row-major, so that row {@code c} contains
 * the contribution of input {@code c} to every output: the column update of an incremental
 * forward reads one contiguous row. Immutable and shared between threads.
 */
final class DenseLayer {

  /** PyTorch's default {@code BatchNorm1d} epsilon, used by every reference model. */
  static final double BATCH_NORM_EPS = 1e-5;

  final int in;
  final int out;
  /** Weight transposed, {@code [in, out]} row-major. */
  final float[] weightT;
  final float[] bias;
  final INDArray weightTArray;

  DenseLayer(int in, int out, float[] weightT, float[] bias) {
    if (weightT.length != in * out || bias.length != out) {
      throw new IllegalArgumentException("Invalid dense layer " + in + " -> " + out);
    }
    this.in = in;
    this.out = out;
    this.weightT = weightT;
    this.bias = bias;
    this.weightTArray = Nd4j.create(weightT, new long[] {in, out}, DataType.FLOAT);
  }

  /** Returns the weights of this layer, sharing its arrays. */
  DenseLayerWeights weights() {
    return new DenseLayerWeights(in, out, weightT, bias);
  }

  /** Builds a layer from a PyTorch {@code Linear} weight {@code [out, in]} and bias {@code [out]}. */
  static DenseLayer fromLinear(float[] weight, float[] bias, int in, int out) {
    return new DenseLayer(in, out, transpose(weight, out, in), bias.clone());
  }

  /**
   * Builds a {@code Linear} followed by an eval-mode {@code BatchNorm1d}, folded into one layer.
   *
   * <p>With {@code s = gamma / sqrt(var + eps)}: {@code W' = s * W} row by row and
   * {@code b' = s * (b - mean) + beta}, computed in double and rounded once.
   */
  static DenseLayer fromLinearBatchNorm(float[] weight, float[] bias, float[] mean, float[] var,
      float[] gamma, float[] beta, int in, int out) {
    float[] weightT = new float[in * out];
    float[] folded = new float[out];
    for (int o = 0; o < out; o++) {
      double scale = gamma[o] / Math.sqrt((double) var[o] + BATCH_NORM_EPS);
      for (int i = 0; i < in; i++) {
        weightT[i * out + o] = (float) (scale * weight[o * in + i]);
      }
      folded[o] = (float) (scale * ((double) bias[o] - mean[o]) + beta[o]);
    }
    return new DenseLayer(in, out, weightT, folded);
  }

  /** Computes {@code target = input W^T + b} for the first {@code batch} rows, then ReLU if asked. */
  void apply(RowBuffer input, RowBuffer target, int batch, boolean relu) {
    if (out == 1) {
      Kernels.matVec(input.floats(), batch, weightT, bias[0], target.floats(), false, relu);
      return;
    }
    multiply(input, target, batch);
    Kernels.addBias(target.floats(), bias, batch, relu);
  }

  /** Computes {@code target = input W^T} (no bias) for the first {@code batch} rows. */
  void multiply(RowBuffer input, RowBuffer target, int batch) {
    Nd4j.gemm(input.rows(batch), weightTArray, target.rows(batch), false, false, 1.0, 0.0);
  }

  static float[] transpose(float[] matrix, int rows, int cols) {
    float[] result = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        result[c * rows + r] = matrix[r * cols + c];
      }
    }
    return result;
  }
}
