package io.shaver.spark;

import java.io.Serializable;

/**
 * Deterministic row sample: a row is kept when a 64-bit hash of (seed, row key), read as a
 * uniform number in [0, 1), is below the fraction. The decision depends on nothing else, so the
 * same rows are kept on every pass, in every run with the same seed, and for any partitioning.
 */
final class RowSampler implements Serializable {

  private static final long serialVersionUID = 1L;

  private static final long SAMPLE_SALT = 0x3C6EF372FE94F82BL;
  private static final double UNIT = 0x1.0p-53;

  private final long seed;
  private final double fraction;

  RowSampler(long seed, double fraction) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("fraction must be in (0, 1], got " + fraction);
    }
    this.seed = seed;
    this.fraction = fraction;
  }

  /** Returns whether the row with {@code rowKey} is walked. */
  boolean keeps(long rowKey) {
    if (fraction == 1.0) {
      return true;
    }
    long hash = mix(mix(seed ^ SAMPLE_SALT) ^ rowKey);
    return (hash >>> 11) * UNIT < fraction;
  }

  /** Returns the SplitMix64 finaliser of {@code z}, a bijective 64-bit mix. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
