package io.shaver.shapley;

/**
 * Uniform permutations that are pure functions of (seed, pass, sample key): a SplitMix64
 * stream starts from a mix of the three and drives a Fisher-Yates shuffle of the identity.
 * Distinct triples give independent-looking streams; two triples share a stream only if their
 * 64-bit mixes collide. Stateless, so one instance may be shared between threads.
 */
final class SplitMixPermutations implements PermutationSource {
  private static final long PASS_SALT = 0x6A09E667F3BCC909L;
  private static final long KEY_SALT = 0xBB67AE8584CAA73BL;

  private final long seed;

  SplitMixPermutations(long seed) {
    this.seed = seed;
  }

  /** Returns the initial generator state of (seed, pass, sample key). */
  static long streamState(long seed, long pass, long sampleKey) {
    long state = SplitMix64.mix64(seed);
    state = SplitMix64.mix64(state ^ SplitMix64.mix64(pass + PASS_SALT));
    return SplitMix64.mix64(state ^ SplitMix64.mix64(sampleKey + KEY_SALT));
  }

  @Override
  public void permutation(long pass, long sampleKey, int size, int[] out, int offset) {
    SplitMix64 random = new SplitMix64(streamState(seed, pass, sampleKey));
    for (int i = 0; i < size; i++) {
      out[offset + i] = i;
    }
    for (int i = size - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = out[offset + i];
      out[offset + i] = out[offset + j];
      out[offset + j] = swap;
    }
  }

  @Override
  public String toString() {
    return "SplitMixPermutations{seed=" + seed + "}";
  }
}
