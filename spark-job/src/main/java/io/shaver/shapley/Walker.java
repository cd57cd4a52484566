package io.shaver.shapley;

/**
 * Walks batches of samples along their permutations and credits each removal's marginal
 * contribution to the accumulator. Every implementation credits the same contributions, in
 * the same order, as {@link WalkEngine} up to float rounding, so phi does not depend on which
 * walker ran.
 *
 * <p>Not thread-safe: one walker per worker thread. Close it to release its buffers.
 */
public interface Walker extends AutoCloseable {

  /** Returns the model evaluations one sample costs per pass: m * d + 1, or 2 * m * d + 1. */
  long evaluationsPerSample();

  /**
   * Walks samples {@code [from, from + count)} once each for pass {@code pass}, adds one draw
   * per sample to {@code accumulator} (contributions and {@code count} samples) and returns
   * the model evaluations made, {@code count * evaluationsPerSample()}. The samples' ids must
   * have been validated against the layout.
   *
   * @throws IllegalArgumentException if count is outside {@code [1, maxBatch]}
   */
  long walk(EncodedSamples data, int from, int count, long pass,
      ShapleyAccumulator accumulator);

  /** Releases the walker's buffers; it must not be used afterwards. */
  @Override
  void close();
}
