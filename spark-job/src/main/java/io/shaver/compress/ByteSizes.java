package io.shaver.compress;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and formats byte counts with decimal (KB = 1000) and binary (KiB = 1024) units.
 *
 * <p>Accepted units, case-insensitive: B, KB, MB, GB, TB, KiB, MiB, GiB, TiB, or none (bytes).
 * A fraction is accepted when the result is a whole number of bytes ({@code 1.5MB}).
 */
public final class ByteSizes {

  private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([a-z]*)");
  private static final String[] DECIMAL = {"KB", "MB", "GB", "TB"};
  private static final String[] BINARY = {"KiB", "MiB", "GiB", "TiB"};

  private ByteSizes() {
  }

  /**
   * Parses a size such as {@code 1048576}, {@code 1MB} or {@code 512KiB}.
   *
   * @throws IllegalArgumentException naming the text when it is malformed, not a whole number of
   *     bytes, or larger than {@link Long#MAX_VALUE}
   */
  public static long parse(String text) {
    Matcher matcher = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!matcher.matches()) {
      throw new IllegalArgumentException("invalid byte size '" + text
          + "': expected a number with an optional unit B, KB, MB, GB, TB, KiB, MiB, GiB or TiB");
    }
    BigDecimal bytes = new BigDecimal(matcher.group(1)).multiply(unit(matcher.group(2), text));
    try {
      return bytes.longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("invalid byte size '" + text
          + "': must be a whole number of bytes up to " + Long.MAX_VALUE);
    }
  }

  private static BigDecimal unit(String unit, String text) {
    if (unit.isEmpty() || unit.equals("b")) {
      return BigDecimal.ONE;
    }
    for (int power = 1; power <= DECIMAL.length; power++) {
      if (unit.equals(DECIMAL[power - 1].toLowerCase(Locale.ROOT))) {
        return BigDecimal.valueOf(1000).pow(power);
      }
      if (unit.equals(BINARY[power - 1].toLowerCase(Locale.ROOT))) {
        return BigDecimal.valueOf(1024).pow(power);
      }
    }
    throw new IllegalArgumentException("invalid byte size '" + text + "': unknown unit '" + unit
        + "', expected B, KB, MB, GB, TB, KiB, MiB, GiB or TiB");
  }

  /**
   * Formats a positive byte count in the shortest exact form: the unit that divides it and gives
   * the fewest digits, decimal before binary on a tie, else plain bytes with suffix {@code B}.
   * For example 1000000 is {@code 1MB}, 1048576 is {@code 1MiB} and 1500 is {@code 1500B}.
   */
  public static String format(long bytes) {
    String best = bytes + "B";
    for (int power = DECIMAL.length; power >= 1; power--) {
      best = shorter(best, bytes, (long) Math.pow(1000, power), DECIMAL[power - 1]);
      best = shorter(best, bytes, (long) Math.pow(1024, power), BINARY[power - 1]);
    }
    return best;
  }

  private static String shorter(String best, long bytes, long unit, String name) {
    if (bytes % unit != 0) {
      return best;
    }
    String candidate = bytes / unit + name;
    String bestDigits = best.replaceAll("[A-Za-z]", "");
    String candidateDigits = candidate.replaceAll("[A-Za-z]", "");
    return candidateDigits.length() < bestDigits.length() ? candidate : best;
  }
}
