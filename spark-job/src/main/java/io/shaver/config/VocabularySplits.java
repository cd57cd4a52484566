package io.shaver.config;

import java.util.Locale;

/** The splits whose token counts decide which tokens get their own embedding row. */
public enum VocabularySplits {
  /**
   * Train, val and test, as in the reference implementation (the pytorch-fm convention): a
   * token seen only in the test split still gets its own row.
   */
  ALL,
  /** Train only: tokens first seen in val or test map to the OOV slot. */
  TRAIN;

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code all} or {@code train}. */
  public static VocabularySplits parse(String value) {
    for (VocabularySplits splits : values()) {
      if (splits.configName().equals(value.trim().toLowerCase(Locale.ROOT))) {
        return splits;
      }
    }
    throw new IllegalArgumentException("unknown vocabulary splits, expected all or train");
  }
}
