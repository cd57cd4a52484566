package io.shaver.config;

import java.util.Arrays;
import java.util.stream.Collectors;

/** A way of shrinking the embedding table that the evaluate stage scores on the test split. */
public enum EvaluationMethod {
  /** Prune by |phi| from {@code shapley/}; pruned entries are served as the field's codebook value. */
  SHAVER_CODEBOOK("shaver-codebook"),
  /** Prune by |phi| from {@code shapley-zero/} (zero placeholders); pruned entries read as 0. */
  SHAVER_ZERO("shaver-zero"),
  /** Prune the entries of smallest |E| first; pruned entries read as 0. */
  MAGNITUDE("magnitude"),
  /** Prune in a seeded uniformly random order; pruned entries read as 0. */
  RANDOM("random"),
  /** Quantize the whole table post-training (no pruning), once per configured bit width. */
  PTQ("ptq");

  private final String configName;

  EvaluationMethod(String configName) {
    this.configName = configName;
  }

  /** Name used in configs and in the {@code method} column of {@code metrics/}. */
  public String configName() {
    return configName;
  }

  /** Parses a config name; the error lists the accepted names. */
  public static EvaluationMethod parse(String value) {
    for (EvaluationMethod method : values()) {
      if (method.configName.equals(value)) {
        return method;
      }
    }
    throw new IllegalArgumentException("unknown method '" + value + "'; accepted: "
        + Arrays.stream(values()).map(EvaluationMethod::configName)
            .collect(Collectors.joining(", ")));
  }

  @Override
  public String toString() {
    return configName;
  }
}
