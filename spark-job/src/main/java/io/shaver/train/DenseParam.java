package io.shaver.train;

import io.shaver.model.Tensor;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Dense trainable parameter with its gradient and Adam moments.
 *
 * <p>Value and gradient live off-heap (ND4J) so GEMMs read them directly; the Adam update runs
 * over them in Java. Follows {@code torch.optim.Adam}: the weight decay is an L2 term added to
 * the gradient, bias-corrected moments, {@code eps} added after the square root.
 */
final class DenseParam {

  static final double BETA1 = 0.9;
  static final double BETA2 = 0.999;
  static final double EPS = 1e-8;

  final INDArray value;
  final INDArray grad;
  private final FloatBuffer values;
  private final FloatBuffer grads;
  private final float[] firstMoment;
  private final float[] secondMoment;
  private final boolean decay;

  /**
   * @param decay whether weight decay applies (false for batch-norm scale and shift)
   */
  DenseParam(long rows, long cols, boolean decay) {
    this.value = Nd4j.zeros(DataType.FLOAT, rows, cols);
    this.grad = Nd4j.zeros(DataType.FLOAT, rows, cols);
    this.values = value.data().asNioFloat();
    this.grads = grad.data().asNioFloat();
    int size = (int) (rows * cols);
    this.firstMoment = new float[size];
    this.secondMoment = new float[size];
    this.decay = decay;
  }

  int size() {
    return firstMoment.length;
  }

  FloatBuffer values() {
    return values;
  }

  FloatBuffer grads() {
    return grads;
  }

  /** Returns a copy of the values in row-major order. */
  float[] copyValues() {
    float[] copy = new float[size()];
    values.get(0, copy);
    return copy;
  }

  /** Returns this {@code [in, out]} weight as a tensor in PyTorch's {@code [out, in]} layout. */
  Tensor transposedTensor(int in, int out) {
    float[] result = new float[in * out];
    for (int i = 0; i < in; i++) {
      for (int o = 0; o < out; o++) {
        result[o * in + i] = values.get(i * out + o);
      }
    }
    return Tensor.ofFloats(result, out, in);
  }

  /** Applies one Adam step; {@code step} counts from 1. */
  void adam(int step, double learningRate, double weightDecay) {
    double correction1 = 1 - Math.pow(BETA1, step);
    double correction2Root = Math.sqrt(1 - Math.pow(BETA2, step));
    double stepSize = learningRate / correction1;
    double decayRate = decay ? weightDecay : 0.0;
    for (int i = 0; i < firstMoment.length; i++) {
      double parameter = values.get(i);
      double g = grads.get(i) + decayRate * parameter;
      double m = BETA1 * firstMoment[i] + (1 - BETA1) * g;
      double v = BETA2 * secondMoment[i] + (1 - BETA2) * g * g;
      firstMoment[i] = (float) m;
      secondMoment[i] = (float) v;
      values.put(i, (float) (parameter - stepSize * m / (Math.sqrt(v) / correction2Root + EPS)));
    }
  }
}
