package io.shaver.data;

import io.shaver.config.SplitRatios;
import java.util.Locale;

/**
 * The train, val and test splits, and the deterministic assignment of rows to them.
 *
 * <p>A row goes to a split by a 64-bit hash of (seed, row key) only: {@code u = (h >>> 11) /
 * 2^53} is uniform in [0, 1), and the row is train if {@code u < train}, val if {@code u < train
 * + val}, else test. The hash is the SplitMix64 finalizer applied twice. The assignment does
 * not depend on partitioning or on the other rows, so adding or removing input files keeps
 * every other row in its split.
 */
public enum DataSplit {
  TRAIN,
  VAL,
  TEST;

  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Returns the split index (0 train, 1 val, 2 test) of the row with {@code rowKey}. */
  public static int assign(long seed, long rowKey, SplitRatios ratios) {
    double u = uniform(seed, rowKey);
    if (u < ratios.train()) {
      return TRAIN.ordinal();
    }
    if (u < ratios.train() + ratios.val()) {
      return VAL.ordinal();
    }
    return TEST.ordinal();
  }

  /** Returns a value in [0, 1) determined by (seed, key). */
  static double uniform(long seed, long key) {
    long h = mix64(mix64(seed * GOLDEN_GAMMA) ^ (key + GOLDEN_GAMMA));
    return (h >>> 11) * 0x1.0p-53;
  }

  /** Mixes the bits of {@code z} with the SplitMix64 finalizer, a bijection on 64-bit values. */
  public static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
