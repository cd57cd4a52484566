package io.shaver.data;

/** Parsing of whole numbers written as integers ("42") or as whole decimals ("42.0", "4.2e1"). */
final class NumberParsing {

  private NumberParsing() {
  }

  /** Returns the value, or null when the text is not a whole number within the long range. */
  static Long parseWholeNumber(String text) {
    String trimmed = text.trim();
    if (trimmed.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(trimmed);
    } catch (NumberFormatException e) {
      // Not a plain integer; try a decimal such as 260.0 below.
    }
    for (int i = 0; i < trimmed.length(); i++) {
      char c = trimmed.charAt(i);
      boolean allowed = (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e'
          || c == 'E';
      if (!allowed) {
        return null;
      }
    }
    double value;
    try {
      value = Double.parseDouble(trimmed);
    } catch (NumberFormatException e) {
      return null;
    }
    if (!Double.isFinite(value) || value != Math.rint(value)
        || Math.abs(value) >= 0x1.0p63) {
      return null;
    }
    return (long) value;
  }

  /**
   * Parses a label: with {@code clickCount} false the value must be 0 or 1; with it true the
   * value is a click count of at least 0 and the label is 1 when the count is at least 1.
   *
   * @return 0 or 1, or -1 when the value is missing or invalid
   */
  static int parseLabel(String value, boolean clickCount) {
    if (value == null) {
      return -1;
    }
    if (value.length() == 1) {
      char c = value.charAt(0);
      if (c == '0' || c == '1') {
        return c - '0';
      }
    }
    Long number = parseWholeNumber(value);
    if (number == null || number < 0) {
      return -1;
    }
    if (!clickCount) {
      return number <= 1 ? number.intValue() : -1;
    }
    return number >= 1 ? 1 : 0;
  }
}
