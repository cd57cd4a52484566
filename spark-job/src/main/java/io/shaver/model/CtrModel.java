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

  /** Opens scratch state for incremental evaluation of up to {@code maxBatch} samples. */
  IncrementalForward openIncremental(int maxBatch);
}
