package io.shaver.model;

/**
 * A trained click-through-rate model over one shared embedding table.
 *
 * <p>Inputs are global row ids: field offset plus local id, one id per field, so a batch of
 * {@code B} samples is an {@code int[B * m]} array in sample-major order. Field offsets are
 * added once, by the data layer, never by a model. Outputs are logits (before the sigmoid).
 *
 * <p>Implementations are immutable after loading and safe to share between threads. Scratch
 * state lives in the {@link IncrementalForward} objects that {@link #openIncremental} returns.
 * Batch norm runs in eval mode (running statistics), folded into the preceding linear layer,
 * and dropout is off. Build instances with {@link CtrModels} or load them with
 * {@link ModelStore}.
 */
public interface CtrModel {

  /** Returns the architecture: kind, field sizes, embedding dimension and head sizes. */
  ModelConfig config();

  /** Returns the embedding table, {@code n x d}, row-major. Callers must not modify it. */
  float[] embeddingTable();

  /**
   * Computes logits for {@code batch} samples from their looked-up embeddings.
   *
   * @param ids global row ids, {@code batch * m}; first-order terms read them
   * @param x0 flattened embeddings, {@code batch * m * d}, coordinate {@code f * d + j} of each
   *     sample being dimension {@code j} of field {@code f}
   * @param out receives {@code batch} logits
   */
  void logits(int[] ids, float[] x0, int batch, float[] out);

  /**
   * Opens scratch state for incremental evaluation of up to {@code maxBatch} samples.
   *
   * <p>The caller owns the result and must {@link IncrementalForward#close} it, which frees
   * its off-heap buffers.
   */
  IncrementalForward openIncremental(int maxBatch);

  /**
   * Looks up the embeddings of {@code batch} samples: row {@code ids[b * m + f]} of the table
   * goes to {@code x0[(b * m + f) * d ..]}.
   *
   * @throws IllegalArgumentException if an id is outside {@code [0, n)}
   */
  default void embed(int[] ids, int batch, float[] x0) {
    ModelConfig config = config();
    int m = config.fieldCount();
    int d = config.embeddingDim();
    int n = config.rowCount();
    float[] table = embeddingTable();
    for (int i = 0; i < batch * m; i++) {
      int row = ids[i];
      if (row < 0 || row >= n) {
        throw new IllegalArgumentException("Invalid global row id " + row + " for sample "
            + i / m + ", field " + i % m + ": expected 0 <= id < " + n);
      }
      System.arraycopy(table, row * d, x0, i * d, d);
    }
  }

  /** Computes logits of {@code batch} samples from their ids, looking up the embeddings. */
  default void predict(int[] ids, int batch, float[] out) {
    ModelConfig config = config();
    float[] x0 = new float[batch * config.inputSize()];
    embed(ids, batch, x0);
    logits(ids, x0, batch, out);
  }
}
