package io.shaver.config;

import java.util.Locale;

/** Numbering of the ids in the feature columns of a pre-encoded source. */
public enum IdKind {
  /** Ids count from 0 within each field; the global id is the field offset plus the id. */
  LOCAL,
  /** Ids are already global: field offset plus local id, over all fields in order. */
  GLOBAL;

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code local} or {@code global}. */
  public static IdKind parse(String value) {
    for (IdKind kind : values()) {
      if (kind.configName().equals(value.trim().toLowerCase(Locale.ROOT))) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown id kind, expected local or global");
  }
}
