package io.shaver.model;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Off-heap {@code [capacity, width]} float matrix whose first {@code batch} rows serve as the
 * working array of one batch.
 *
 * <p>The rows of a batch are the contiguous prefix of the row-major buffer, so
 * {@link #floats()} addresses element {@code (b, k)} at {@code b * width + k} for any batch.
 * The view of the last batch size is cached, so a walk over one batch creates no new objects.
 */
final class RowBuffer {

  private final INDArray base;
  private final int capacity;
  private final int width;
  private final FloatBuffer floats;
  private INDArray view;
  private int viewRows = -1;

  RowBuffer(int capacity, int width) {
    this.capacity = capacity;
    this.width = width;
    this.base = Nd4j.create(DataType.FLOAT, new long[] {capacity, width}, 'c');
    this.floats = base.data().asNioFloat();
  }

  int width() {
    return width;
  }

  /** Returns the {@code [rows, width]} view of the first rows. */
  INDArray rows(int rows) {
    if (rows != viewRows) {
      if (rows < 1 || rows > capacity) {
        throw new IllegalArgumentException(
            "Invalid batch size " + rows + ": expected 1 to " + capacity);
      }
      view = rows == capacity ? base
          : base.get(NDArrayIndex.interval(0, rows), NDArrayIndex.all());
      viewRows = rows;
    }
    return view;
  }

  /** Returns direct access to the whole buffer, row-major. */
  FloatBuffer floats() {
    return floats;
  }

  /** Copies {@code rows * width} floats from {@code source} into the first rows. */
  void put(float[] source, int rows) {
    floats.clear();
    floats.put(source, 0, rows * width);
    floats.clear();
  }

  /** Copies the first {@code rows * width} floats into {@code target}. */
  void get(float[] target, int rows) {
    floats.clear();
    floats.get(target, 0, rows * width);
    floats.clear();
  }

  /** Frees the off-heap memory; the buffer must not be used afterwards. */
  void close() {
    view = null;
    base.close();
  }
}
