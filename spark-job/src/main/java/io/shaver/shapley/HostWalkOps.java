package io.shaver.shapley;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link WalkOps} on the JVM heap: ND4J sgemm for the matrix products and plain loops for the
 * rest. It runs the same full-state math as the GPU ops, so it checks that math on any
 * machine; for speed on a CPU the incremental {@link WalkEngine} is far better.
 */
public final class HostWalkOps implements WalkOps {

  private sealed interface HostBuffer extends Buffer permits Floats, Ints, Doubles {
  }

  private record Floats(float[] values) implements HostBuffer {
    @Override
    public long length() {
      return values.length;
    }
  }

  private record Ints(int[] values) implements HostBuffer {
    @Override
    public long length() {
      return values.length;
    }
  }

  private record Doubles(double[] values) implements HostBuffer {
    @Override
    public long length() {
      return values.length;
    }
  }

  @Override
  public String name() {
    return "host";
  }

  @Override
  public Buffer allocateFloats(long length) {
    return new Floats(new float[checkedLength(length)]);
  }

  @Override
  public Buffer allocateInts(long length) {
    return new Ints(new int[checkedLength(length)]);
  }

  @Override
  public Buffer allocateDoubles(long length) {
    return new Doubles(new double[checkedLength(length)]);
  }

  @Override
  public void upload(float[] source, int length, Buffer target) {
    System.arraycopy(source, 0, floats(target), 0, length);
  }

  @Override
  public void upload(int[] source, int length, Buffer target) {
    System.arraycopy(source, 0, ints(target), 0, length);
  }

  @Override
  public void upload(double[] source, int length, Buffer target) {
    System.arraycopy(source, 0, doubles(target), 0, length);
  }

  @Override
  public void download(Buffer source, int length, double[] target) {
    System.arraycopy(doubles(source), 0, target, 0, length);
  }

  /**
   * Multiplies with ND4J's sgemm. A product with one output column (the MLP's output layer) is
   * summed in double instead, as the CPU models' forward does, so both round alike.
   */
  @Override
  public void gemm(Buffer a, Buffer b, Buffer c, int rows, int inner, int cols) {
    float[] left = floats(a);
    float[] right = floats(b);
    float[] result = floats(c);
    if (cols == 1) {
      for (int r = 0; r < rows; r++) {
        double sum = 0;
        for (int k = 0; k < inner; k++) {
          sum += left[r * inner + k] * right[k];
        }
        result[r] = (float) sum;
      }
      return;
    }
    INDArray leftArray = Nd4j.create(Arrays.copyOf(left, rows * inner),
        new long[] {rows, inner}, DataType.FLOAT);
    INDArray rightArray = Nd4j.create(Arrays.copyOf(right, inner * cols),
        new long[] {inner, cols}, DataType.FLOAT);
    INDArray product = Nd4j.gemm(leftArray, rightArray, false, false);
    System.arraycopy(product.data().asFloat(), 0, result, 0, rows * cols);
  }

  @Override
  public void addBias(Buffer values, Buffer bias, int rows, int cols, boolean relu) {
    float[] target = floats(values);
    float[] offsets = floats(bias);
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        float value = target[r * cols + c] + offsets[c];
        target[r * cols + c] = relu && value < 0f ? 0f : value;
      }
    }
  }

  @Override
  public void buildStates(Buffer intact, Buffer rank, Buffer placeholder, int samples,
      int coordinates, Buffer states) {
    float[] input = floats(intact);
    int[] removedAt = ints(rank);
    float[] absent = floats(placeholder);
    float[] target = floats(states);
    for (int b = 0; b < samples; b++) {
      int source = b * coordinates;
      for (int t = 0; t <= coordinates; t++) {
        int row = (b * (coordinates + 1) + t) * coordinates;
        for (int c = 0; c < coordinates; c++) {
          target[row + c] = removedAt[source + c] < t ? absent[c] : input[source + c];
        }
      }
    }
  }

  @Override
  public void fmTerm(Buffer states, int rows, int fields, int dimension, Buffer fm) {
    float[] input = floats(states);
    double[] target = doubles(fm);
    int width = fields * dimension;
    double[] sums = new double[dimension];
    for (int r = 0; r < rows; r++) {
      Arrays.fill(sums, 0);
      double squares = 0;
      for (int c = 0; c < width; c++) {
        double value = input[r * width + c];
        sums[c % dimension] += value;
        squares += value * value;
      }
      double squareOfSum = 0;
      for (double sum : sums) {
        squareOfSum += sum * sum;
      }
      target[r] = 0.5 * (squareOfSum - squares);
    }
  }

  @Override
  public void logLoss(Buffer deep, Buffer fm, Buffer linear, Buffer labels, int rows,
      int rowsPerSample, Buffer losses) {
    float[] mlp = floats(deep);
    double[] second = doubles(fm);
    double[] first = doubles(linear);
    float[] label = floats(labels);
    double[] target = doubles(losses);
    for (int r = 0; r < rows; r++) {
      int b = r / rowsPerSample;
      float logit = (float) (first[b] + second[r] + mlp[r]);
      target[r] = LogLoss.fromLogit(logit, label[b]);
    }
  }

  @Override
  public void close() {
    // Heap buffers are left to the garbage collector.
  }

  private static int checkedLength(long length) {
    if (length < 0 || length > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("host buffer length must be in [0, 2^31 - 9], got "
          + length);
    }
    return (int) length;
  }

  private static float[] floats(Buffer buffer) {
    return ((Floats) buffer).values();
  }

  private static int[] ints(Buffer buffer) {
    return ((Ints) buffer).values();
  }

  private static double[] doubles(Buffer buffer) {
    return ((Doubles) buffer).values();
  }
}
