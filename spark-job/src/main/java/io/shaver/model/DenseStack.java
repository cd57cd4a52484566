package io.shaver.model;

import java.util.List;

/**
 * Sequence of dense layers with ReLU after each hidden layer, evaluated with one GEMM per layer
 * over the batch. Dropout is absent because models run in eval mode. Immutable and shared.
 */
final class DenseStack {

  final List<DenseLayer> layers;
  final int inputWidth;
  private final boolean reluAfterLast;

  /**
   * @param layers layers in order; each reads the previous one's output
   * @param reluAfterLast whether the last layer is a hidden layer (ReLU) or an output layer
   */
  DenseStack(List<DenseLayer> layers, int inputWidth, boolean reluAfterLast) {
    int width = inputWidth;
    for (DenseLayer layer : layers) {
      if (layer.in != width) {
        throw new IllegalArgumentException(
            "Invalid dense stack: layer reads " + layer.in + " inputs, previous width " + width);
      }
      width = layer.out;
    }
    this.layers = List.copyOf(layers);
    this.inputWidth = inputWidth;
    this.reluAfterLast = reluAfterLast;
  }

  int outputWidth() {
    return layers.isEmpty() ? inputWidth : layers.get(layers.size() - 1).out;
  }

  boolean isEmpty() {
    return layers.isEmpty();
  }

  /** Returns whether layer {@code k}'s output goes through ReLU. */
  boolean reluAfter(int k) {
    return k < layers.size() - 1 || reluAfterLast;
  }

  /** Allocates one output buffer per layer for batches of up to {@code capacity} rows. */
  RowBuffer[] newBuffers(int capacity) {
    RowBuffer[] buffers = new RowBuffer[layers.size()];
    for (int k = 0; k < buffers.length; k++) {
      buffers[k] = new RowBuffer(capacity, layers.get(k).out);
    }
    return buffers;
  }

  /**
   * Runs layers {@code from ..} on {@code input} and returns the buffer of the last output.
   *
   * <p>With {@code from > 0}, {@code input} must be the output of layer {@code from - 1},
   * activation applied. With no layers to run, returns {@code input}.
   */
  RowBuffer forward(RowBuffer[] buffers, RowBuffer input, int batch, int from) {
    RowBuffer current = input;
    for (int k = from; k < layers.size(); k++) {
      layers.get(k).apply(current, buffers[k], batch, reluAfter(k));
      current = buffers[k];
    }
    return current;
  }
}
