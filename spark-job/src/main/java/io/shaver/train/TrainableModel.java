package io.shaver.train;

import io.shaver.model.ModelConfig;
import io.shaver.model.Tensor;
import java.util.List;
import java.util.Map;

/** A model in training mode with hand-written gradients. Not thread-safe. */
interface TrainableModel {

  /**
   * Runs the training-mode forward and backward passes of one batch and sets every gradient.
   *
   * @param ids global row ids, {@code batch * m}
   * @param labels labels, {@code batch}
   * @return the mean binary cross-entropy of the batch
   */
  double forwardBackward(int[] ids, float[] labels, int batch);

  /** Applies one optimizer step with the gradients of the last batch; {@code step} counts from 1. */
  void step(int step);

  /** Returns the dense parameters, updated by Adam with weight decay. */
  List<DenseParam> denseParams();

  /** Returns the row tables (embedding, first-order weights), updated by lazy Adam. */
  List<SparseTable> sparseTables();

  /** Returns the parameters in reference PyTorch naming (batch norm with running statistics). */
  Map<String, Tensor> stateDict();

  /** Returns the reference models' {@code offsets} buffer: each field's first global row id. */
  static Tensor offsetsTensor(ModelConfig config) {
    int fields = config.fieldCount();
    long[] offsets = new long[fields];
    for (int f = 0; f < fields; f++) {
      offsets[f] = config.offset(f);
    }
    return Tensor.ofLongs(offsets, 1, fields);
  }
}
