package io.shaver.model;

import java.nio.FloatBuffer;

/**
 * Shared part of the incremental forwards: input bookkeeping, the first-layer column updates
 * and lazy recomputation of the rest of the network when logits are requested.
 *
 * <p>All buffers are allocated in the constructor for {@code capacity} samples. A walk step
 * ({@link #replace} then {@link #logits}) allocates no Java objects.
 */
abstract class AbstractForward implements IncrementalForward {

  protected final ModelConfig config;
  protected final int capacity;
  protected final int fieldCount;
  protected final int dim;
  protected final int inputSize;
  protected final int[] ids;
  protected final float[] x;
  protected final RowBuffer x0;
  protected final FirstLayerState first;
  protected int batch;
  private final float[] logits;
  private boolean dirty;
  private boolean open = true;

  AbstractForward(ModelConfig config, FirstLayer firstLayer, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("Invalid maxBatch " + capacity + ": expected at least 1");
    }
    this.config = config;
    this.capacity = capacity;
    this.fieldCount = config.fieldCount();
    this.dim = config.embeddingDim();
    this.inputSize = config.inputSize();
    this.ids = new int[capacity * fieldCount];
    this.x = new float[capacity * inputSize];
    this.x0 = new RowBuffer(capacity, inputSize);
    this.first = new FirstLayerState(firstLayer, capacity);
    this.logits = new float[capacity];
  }

  int capacity() {
    return capacity;
  }

  @Override
  public final void reset(int[] ids, float[] x0, int batch) {
    checkOpen();
    if (batch < 1 || batch > capacity) {
      throw new IllegalArgumentException(
          "Invalid batch size " + batch + ": expected 1 to " + capacity + " (maxBatch)");
    }
    if (ids.length < batch * fieldCount || x0.length < batch * inputSize) {
      throw new IllegalArgumentException("Invalid input for batch " + batch + ": need "
          + batch * fieldCount + " ids and " + batch * inputSize + " embedding values, got "
          + ids.length + " and " + x0.length);
    }
    this.batch = batch;
    System.arraycopy(ids, 0, this.ids, 0, batch * fieldCount);
    System.arraycopy(x0, 0, this.x, 0, batch * inputSize);
    this.x0.put(this.x, batch);
    first.reset(this.x0, batch);
    onReset();
    dirty = true;
  }

  @Override
  public final void replace(int[] coordinate, float[] value) {
    checkOpen();
    if (coordinate.length < batch || value.length < batch) {
      throw new IllegalArgumentException("Invalid replacement: need " + batch
          + " coordinates and values, got " + coordinate.length + " and " + value.length);
    }
    FloatBuffer device = x0.floats();
    for (int b = 0; b < batch; b++) {
      int c = coordinate[b];
      float updated = value[b];
      if (c < 0 || c >= inputSize) {
        throw new IllegalArgumentException("Invalid coordinate " + c + " for sample " + b
            + ": expected 0 <= coordinate < " + inputSize + " (m * d)");
      }
      if (!Float.isFinite(updated)) {
        throw new IllegalArgumentException(
            "Invalid value " + updated + " for sample " + b + ": expected a finite float");
      }
      int at = b * inputSize + c;
      float old = x[at];
      x[at] = updated;
      device.put(at, updated);
      double delta = (double) updated - old;
      if (delta != 0.0) {
        first.add(b, c, delta);
        onReplace(b, c, old, updated);
      }
    }
    dirty = true;
  }

  @Override
  public final void logits(float[] out) {
    checkOpen();
    if (batch == 0) {
      throw new IllegalStateException("No batch: call reset before logits");
    }
    if (dirty) {
      compute(logits);
      dirty = false;
    }
    System.arraycopy(logits, 0, out, 0, batch);
  }

  @Override
  public final float[] input() {
    return x;
  }

  @Override
  public final void close() {
    if (open) {
      open = false;
      x0.close();
      first.close();
      closeBuffers();
    }
  }

  private void checkOpen() {
    if (!open) {
      throw new IllegalStateException("IncrementalForward is closed");
    }
  }

  /** Initializes model-specific state after the first layer has been computed. */
  protected void onReset() {}

  /** Updates model-specific state after input {@code c} of sample {@code b} changed. */
  protected void onReplace(int b, int c, float old, float updated) {}

  /** Computes the logits of the current input from the first-layer state. */
  protected abstract void compute(float[] out);

  /** Frees the model-specific buffers. */
  protected abstract void closeBuffers();
}
