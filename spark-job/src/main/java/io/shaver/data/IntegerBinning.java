package io.shaver.data;

/**
 * Turns an integer feature into a categorical token, as the Criteo preprocessing of the Shaver
 * reference implementation does (Tran et al., "On-device Content-based Recommendation with
 * Single-shot Embedding Pruning: A Cooperative Game Perspective", WWW 2025).
 *
 * <p>A value v above 2 becomes {@code floor((ln v)^2)} with the natural logarithm, so tokens
 * start at 1. A value of at most 2 becomes {@code v - 2}: 2 gives "0", 1 gives "-1", 0 gives
 * "-2", and negative values go further down. The two ranges never share a token. A missing
 * value is the token {@value #MISSING}.
 */
public final class IntegerBinning {

  /** Token of an empty (missing) value, integer or categorical. */
  public static final String MISSING = "NULL";

  private IntegerBinning() {
  }

  /** Returns the token of {@code value}. */
  public static String token(long value) {
    if (value > 2) {
      double log = Math.log(value);
      return Long.toString((long) Math.floor(log * log));
    }
    return Long.toString(value - 2);
  }
}
