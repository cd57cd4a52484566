package io.shaver.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Prepared splits that the estimate stage walks: D in the data-level Shapley game. */
public enum EstimationData {
  /** Train and validation splits together, as the reference implementation runs it. */
  TRAIN_VAL(List.of("train", "val")),
  /** The validation split only. */
  VAL(List.of("val")),
  /** The train split only. */
  TRAIN(List.of("train"));

  private final List<String> splits;

  EstimationData(List<String> splits) {
    this.splits = splits;
  }

  /** Returns the names of the prepared splits, for example {@code [train, val]}. */
  public List<String> splits() {
    return splits;
  }

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a config value such as {@code train_val}; the error lists the accepted names. */
  public static EstimationData parse(String value) {
    for (EstimationData data : values()) {
      if (data.configName().equals(value.trim().toLowerCase(Locale.ROOT))) {
        return data;
      }
    }
    throw new IllegalArgumentException("unknown estimation data, expected one of "
        + Arrays.stream(values()).map(EstimationData::configName)
            .collect(Collectors.joining(", ")));
  }
}
