package io.shaver.config;

import java.util.Locale;

/** The file type of a pre-encoded source. */
public enum FileType {
  PARQUET,
  /** Delimited text; read with the {@code delimiter}, {@code header} and {@code columns} keys. */
  CSV;

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code parquet} or {@code csv}. */
  public static FileType parse(String value) {
    for (FileType type : values()) {
      if (type.configName().equals(value.trim().toLowerCase(Locale.ROOT))) {
        return type;
      }
    }
    throw new IllegalArgumentException("unknown file type, expected parquet or csv");
  }
}
