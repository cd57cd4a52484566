package io.shaver.config;

import java.util.Locale;

/**
 * What the estimate stage does when GPUs are requested but Spark runs with a local master,
 * which cannot schedule custom resources: a stage that requests a GPU would wait forever.
 */
public enum LocalMasterPolicy {
  /** Stop before any work with a message that names the setting. */
  FAIL,
  /** Log a warning and estimate on the CPU without a GPU request. */
  CPU;

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code fail} or {@code cpu}. */
  public static LocalMasterPolicy parse(String value) {
    for (LocalMasterPolicy policy : values()) {
      if (policy.configName().equals(value.trim().toLowerCase(Locale.ROOT))) {
        return policy;
      }
    }
    throw new IllegalArgumentException("unknown policy, expected fail or cpu");
  }
}
