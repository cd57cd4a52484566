package io.shaver.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Raw input formats that the prepare stage reads. */
public enum SourceFormat {
  /** Criteo display-ads logs: tab-separated, label, 13 integer and 26 categorical columns. */
  CRITEO(10),
  /** Avazu CTR logs: CSV with header, label {@code click}, {@code id} dropped. */
  AVAZU(2),
  /** KDD Cup 2012 track 2: tab-separated, label = clicks &gt;= 1, impressions kept as a field. */
  KDD2012(10),
  /** A CSV file whose label, categorical and integer columns the config names. */
  CSV(1),
  /** A Parquet file whose label, categorical and integer columns the config names. */
  PARQUET(1),
  /** Parquet or CSV whose feature columns already hold integer ids, with field sizes given. */
  ENCODED(1);

  private final int defaultMinCount;

  SourceFormat(int defaultMinCount) {
    this.defaultMinCount = defaultMinCount;
  }

  /** Minimum token count below which a value maps to its field's OOV slot, by default. */
  public int defaultMinCount() {
    return defaultMinCount;
  }

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a config value such as {@code criteo}; the error lists the accepted names. */
  public static SourceFormat parse(String value) {
    for (SourceFormat format : values()) {
      if (format.configName().equals(value.trim().toLowerCase(Locale.ROOT))) {
        return format;
      }
    }
    throw new IllegalArgumentException("unknown format, expected one of "
        + Arrays.stream(values()).map(SourceFormat::configName).collect(Collectors.joining(", ")));
  }
}
