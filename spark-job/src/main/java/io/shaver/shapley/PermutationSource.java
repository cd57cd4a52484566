package io.shaver.shapley;

/**
 * Removal orders of the coordinates of one sample's game.
 *
 * <p>An implementation must return the same permutation for the same (pass, sample key)
 * whatever the batch size, the batch order or the partitioning, so that an estimate depends
 * only on the seed, the data and the number of passes.
 */
public interface PermutationSource {

  /**
   * Writes a permutation of {@code 0 .. size - 1} into {@code out[offset .. offset + size)}.
   *
   * @param pass zero-based pass number
   * @param sampleKey stable key of the sample, e.g. its row number in the encoded data
   */
  void permutation(long pass, long sampleKey, int size, int[] out, int offset);

  /** Returns the seeded source of uniform permutations (SplitMix64 plus Fisher-Yates). */
  static PermutationSource seeded(long seed) {
    return new SplitMixPermutations(seed);
  }
}
