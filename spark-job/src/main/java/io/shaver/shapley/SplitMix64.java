package io.shaver.shapley;

/**
 * SplitMix64 generator (Steele, Lea and Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014). Small, fast and fully determined by its 64-bit state; not
 * thread-safe.
 */
final class SplitMix64 {
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private long state;

  SplitMix64(long state) {
    this.state = state;
  }

  /** Returns the next 64 random bits. */
  long nextLong() {
    state += GOLDEN_GAMMA;
    return mix64(state);
  }

  /**
   * Returns a uniform int in {@code [0, bound)} by Lemire's multiply-and-reject method, which
   * is exactly uniform.
   *
   * @param bound in {@code [1, 2^31)}
   */
  int nextInt(int bound) {
    long product = (nextLong() >>> 32) * bound;
    long low = product & 0xFFFFFFFFL;
    if (low < bound) {
      long threshold = (0x100000000L - bound) % bound;
      while (low < threshold) {
        product = (nextLong() >>> 32) * bound;
        low = product & 0xFFFFFFFFL;
      }
    }
    return (int) (product >>> 32);
  }

  /** Returns the SplitMix64 finaliser of {@code z}, a bijective 64-bit mix. */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
