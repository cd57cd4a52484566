package io.shaver.model;

import java.nio.FloatBuffer;

/**
 * Element-wise loops of the forward passes, fused and single-threaded.
 *
 * <p>ND4J's element-wise ops each start an OpenMP region; on a busy machine with few cores the
 * threads wait for each other and a bias add or tanh can cost more than the GEMM before it.
 * These loops run on the calling thread over the off-heap buffers directly.
 */
final class Kernels {

  private Kernels() {}

  /** Adds {@code bias} to each of {@code rows} rows of {@code values}, then ReLU if asked. */
  static void addBias(FloatBuffer values, float[] bias, int rows, boolean relu) {
    int cols = bias.length;
    for (int r = 0; r < rows; r++) {
      int base = r * cols;
      for (int c = 0; c < cols; c++) {
        float value = values.get(base + c) + bias[c];
        values.put(base + c, relu && value < 0f ? 0f : value);
      }
    }
  }

  /**
   * Computes {@code out[r] = input[r, :] . weight + bias} for {@code rows} rows, adding to
   * {@code out} instead when {@code accumulate}. A GEMM with one output column is slower than
   * this loop in ND4J 1.0.0-M2.1.
   */
  static void matVec(FloatBuffer input, int rows, float[] weight, float bias, FloatBuffer out,
      boolean accumulate, boolean relu) {
    int cols = weight.length;
    for (int r = 0; r < rows; r++) {
      int base = r * cols;
      double sum = bias;
      for (int c = 0; c < cols; c++) {
        sum += input.get(base + c) * weight[c];
      }
      if (accumulate) {
        sum += out.get(r);
      }
      float value = (float) sum;
      out.put(r, relu && value < 0f ? 0f : value);
    }
  }

  /**
   * Returns {@code tanh(x)} rounded to float, computed in double from {@code Math.exp}, which
   * is several times faster than {@code Math.tanh}. Below {@code |x| = 1/16} a Taylor series to
   * {@code x^7} avoids the cancellation in {@code 1 - 2 / (e^{2x} + 1)}.
   */
  static float tanh(float value) {
    double x = value;
    double magnitude = Math.abs(x);
    if (magnitude < 0.0625) {
      double square = x * x;
      return (float) (x * (1 - square * (1.0 / 3 - square * (2.0 / 15 - square * (17.0 / 315)))));
    }
    if (magnitude > 10) {
      // tanh(10) = 1 - 4e-9 rounds to 1 in float.
      return value > 0 ? 1f : -1f;
    }
    double t = 1 - 2 / (Math.exp(2 * magnitude) + 1);
    return (float) (x > 0 ? t : -t);
  }
}
