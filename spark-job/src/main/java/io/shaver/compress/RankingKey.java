package io.shaver.compress;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Primary key by which {@link Ranking} orders parameters, least important first. */
public enum RankingKey {
  /**
   * |phi| ascending, as the reference implementation ranks. Parameters with a large negative phi
   * (harmful on the Shapley data) are kept.
   */
  ABSOLUTE("abs"),
  /** phi ascending: the most harmful parameters are pruned first. An ablation. */
  SIGNED("signed");

  private final String configName;

  RankingKey(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  /** Parses {@code abs} or {@code signed}; the error lists the accepted names. */
  public static RankingKey parse(String value) {
    String requested = value.trim().toLowerCase(Locale.ROOT);
    for (RankingKey key : values()) {
      if (key.configName.equals(requested)) {
        return key;
      }
    }
    throw new IllegalArgumentException("unknown ranking '" + value + "', expected one of "
        + Arrays.stream(values()).map(RankingKey::configName).collect(Collectors.joining(", ")));
  }
}
