package io.shaver.model;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Shared part of the models: configuration, embedding table and a pool of forward buffers
 * that makes {@link #logits} thread-safe without allocating per call.
 */
abstract class AbstractCtrModel implements CtrModel {

  /** Smallest buffer capacity of a pooled forward, so small calls share one set of buffers. */
  private static final int MIN_POOLED_CAPACITY = 256;

  protected final ModelConfig config;
  protected final float[] embedding;
  private final ConcurrentLinkedQueue<AbstractForward> pool = new ConcurrentLinkedQueue<>();

  AbstractCtrModel(ModelConfig config, float[] embedding) {
    long expected = (long) config.rowCount() * config.embeddingDim();
    if (embedding.length != expected) {
      throw new IllegalArgumentException("Invalid embedding table: " + embedding.length
          + " floats, expected n * d = " + expected);
    }
    this.config = config;
    this.embedding = embedding;
  }

  @Override
  public final ModelConfig config() {
    return config;
  }

  @Override
  public final float[] embeddingTable() {
    return embedding;
  }

  @Override
  public final void logits(int[] ids, float[] x0, int batch, float[] out) {
    AbstractForward forward = pool.poll();
    if (forward != null && forward.capacity() < batch) {
      forward.close();
      forward = null;
    }
    if (forward == null) {
      forward = newForward(Math.max(batch, MIN_POOLED_CAPACITY));
    }
    try {
      forward.reset(ids, x0, batch);
      forward.logits(out);
    } finally {
      pool.offer(forward);
    }
  }

  @Override
  public final IncrementalForward openIncremental(int maxBatch) {
    return newForward(maxBatch);
  }

  /** Creates forward buffers for batches of up to {@code capacity} samples. */
  abstract AbstractForward newForward(int capacity);
}
