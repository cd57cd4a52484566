package io.shaver.train;

import java.nio.FloatBuffer;

/**
 * Table of rows (embedding or first-order weights) trained with lazy Adam.
 *
 * <p>Like {@code torch.optim.SparseAdam}: a step updates the moments and values of the rows
 * present in the batch only, with bias correction by the global step count, and no weight
 * decay. Gradients of a row used several times in a batch are summed. Memory: values and two
 * moments, {@code 12} bytes per entry, plus a gradient buffer for the rows of one batch.
 */
final class SparseTable {

  final float[] values;
  final int width;
  private final float[] firstMoment;
  private final float[] secondMoment;
  private final int[] stamp;
  private final int[] slotOfRow;
  private final int[] touched;
  private final float[] grad;
  private int touchedCount;
  private int currentStamp;

  SparseTable(int rows, int width, int maxTouchedRows) {
    this.values = new float[rows * width];
    this.width = width;
    this.firstMoment = new float[rows * width];
    this.secondMoment = new float[rows * width];
    this.stamp = new int[rows];
    this.slotOfRow = new int[rows];
    this.touched = new int[maxTouchedRows];
    this.grad = new float[maxTouchedRows * width];
  }

  /** Clears the gradient before a batch. */
  void beginBatch() {
    currentStamp++;
    touchedCount = 0;
  }

  /** Adds {@code g} to the gradient of entry {@code (row, j)}. */
  void addGrad(int row, int j, float g) {
    grad[slot(row) * width + j] += g;
  }

  /** Returns the gradient of entry {@code (row, j)} in the current batch (0 if untouched). */
  float gradOf(int row, int j) {
    return stamp[row] == currentStamp ? grad[slotOfRow[row] * width + j] : 0f;
  }

  /**
   * Copies the rows that {@code batch} samples look up into {@code target}: row
   * {@code ids[b * fields + f]} goes to {@code target[(b * fields + f) * width ..]}.
   */
  void gather(int[] ids, int batch, int fields, FloatBuffer target) {
    for (int k = 0; k < batch * fields; k++) {
      int row = ids[k];
      for (int j = 0; j < width; j++) {
        target.put(k * width + j, values[row * width + j]);
      }
    }
  }

  /**
   * Adds the gradient of the looked-up inputs to the rows they came from, the reverse of
   * {@link #gather}: entry {@code (ids[k], j)} receives
   * {@code first[k * width + j] + second.get(k * width + j)}, for a model whose input reaches
   * the loss along two paths.
   */
  void scatterGrad(int[] ids, int batch, int fields, float[] first, FloatBuffer second) {
    for (int k = 0; k < batch * fields; k++) {
      int row = ids[k];
      for (int j = 0; j < width; j++) {
        int c = k * width + j;
        addGrad(row, j, first[c] + second.get(c));
      }
    }
  }

  /**
   * Adds the gradient of the L2 penalty {@code coefficient / batch * sum ||row||^2} to the
   * batch's gradients and returns the penalty. The sum runs over every id of the batch, so a
   * row looked up k times counts k times.
   *
   * <p>Rows that no sample of the batch looks up are neither penalized nor updated, so the
   * penalty shrinks frequent rows more often than rare ones. Returns 0 when {@code coefficient}
   * is 0, without touching any gradient.
   *
   * @param ids global row ids, {@code batch * fields}
   */
  double addL2(int[] ids, int batch, int fields, double coefficient) {
    if (coefficient == 0) {
      return 0;
    }
    double scale = coefficient / batch;
    double penalty = 0;
    for (int k = 0; k < batch * fields; k++) {
      int row = ids[k];
      for (int j = 0; j < width; j++) {
        double value = values[row * width + j];
        penalty += value * value;
        addGrad(row, j, (float) (2 * scale * value));
      }
    }
    return scale * penalty;
  }

  private int slot(int row) {
    if (stamp[row] != currentStamp) {
      stamp[row] = currentStamp;
      slotOfRow[row] = touchedCount;
      touched[touchedCount] = row;
      java.util.Arrays.fill(grad, touchedCount * width, (touchedCount + 1) * width, 0f);
      touchedCount++;
    }
    return slotOfRow[row];
  }

  /** Applies one lazy Adam step to the rows touched since {@link #beginBatch}. */
  void adam(int step, double learningRate) {
    double correction1 = 1 - Math.pow(DenseParam.BETA1, step);
    double correction2Root = Math.sqrt(1 - Math.pow(DenseParam.BETA2, step));
    double stepSize = learningRate / correction1;
    for (int k = 0; k < touchedCount; k++) {
      int base = touched[k] * width;
      for (int j = 0; j < width; j++) {
        int i = base + j;
        double g = grad[k * width + j];
        double m = DenseParam.BETA1 * firstMoment[i] + (1 - DenseParam.BETA1) * g;
        double v = DenseParam.BETA2 * secondMoment[i] + (1 - DenseParam.BETA2) * g * g;
        firstMoment[i] = (float) m;
        secondMoment[i] = (float) v;
        values[i] = (float) (values[i] - stepSize * m / (Math.sqrt(v) / correction2Root
            + DenseParam.EPS));
      }
    }
  }
}
