package io.shaver.model;

/**
 * Forward state of one batch that follows single-coordinate edits of its input embeddings.
 *
 * <p>A Shapley walk changes one embedding coordinate per sample per step. After
 * {@link #reset} computes the full forward and keeps the per-layer state, each
 * {@link #replace} call updates only what depends on the changed coordinates, and
 * {@link #logits} returns the same values a full forward of the edited input would return,
 * up to float rounding. Not thread-safe: one instance per worker thread.
 */
public interface IncrementalForward extends AutoCloseable {

  /** Starts a batch: copies {@code x0} ({@code batch * m * d}) and runs the full forward. */
  void reset(int[] ids, float[] x0, int batch);

  /**
   * Sets, for every sample {@code b} of the batch, input coordinate {@code coordinate[b]}
   * (in {@code [0, m * d)}) to {@code value[b]}, and updates the forward state.
   *
   * <p>Costs {@code O(width of the layers that read the input)} per sample; the rest of the
   * network is recomputed at the next {@link #logits} call, so several replacements before one
   * {@code logits} call cost one recomputation.
   *
   * @throws IllegalArgumentException if a coordinate is out of range or a value is not finite
   */
  void replace(int[] coordinate, float[] value);

  /** Writes the current logits of the batch into {@code out[0 .. batch)}. */
  void logits(float[] out);

  /**
   * Returns the current input embeddings: the first {@code batch * m * d} entries are the
   * batch, sample-major. The array is the live state (not a copy) and is read-only.
   */
  float[] input();

  @Override
  void close();
}
