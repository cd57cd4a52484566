package io.shaver.data;

import java.util.Locale;

/** Kind of a feature field, which decides how its raw values become tokens. */
public enum FieldKind {
  /** The raw value is the token; an empty value is the token "NULL". */
  CATEGORICAL,
  /** The raw integer is binned by {@link IntegerBinning}. */
  INTEGER;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
