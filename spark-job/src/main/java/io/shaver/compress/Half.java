package io.shaver.compress;

/**
 * IEEE 754 binary16 ("half", fp16) conversion, written here because
 * {@code Float.floatToFloat16} needs Java 20.
 *
 * <p>{@link #fromFloat} rounds to nearest, ties to even, as IEEE 754 requires: magnitudes of
 * 65520 and above become infinity, values below 2^-14 become subnormal, and values of at most
 * 2^-25 become a signed zero. NaN stays NaN. {@link #toFloat} is exact.
 */
public final class Half {

  /** Largest finite half, 65504. */
  public static final float MAX_VALUE = 65504f;

  private static final int FLOAT_INFINITY = 0x7F800000;
  /** 65520f: the midpoint between 65504 and 65536, where rounding reaches infinity. */
  private static final int OVERFLOW_THRESHOLD = 0x477FF000;
  /** 2^-14f, the smallest normal half. */
  private static final int MIN_NORMAL = 0x38800000;
  /** 2^-25f: at or below it a value rounds to zero. */
  private static final int UNDERFLOW_THRESHOLD = 0x33000000;
  /** (127 - 15) << 23: the exponent bias difference between float and half. */
  private static final int REBIAS = 0x38000000;

  private Half() {
  }

  /** Converts {@code value} to half bits, rounding to nearest even. */
  public static short fromFloat(float value) {
    int bits = Float.floatToRawIntBits(value);
    int sign = (bits >>> 16) & 0x8000;
    int magnitude = bits & 0x7FFFFFFF;

    if (magnitude >= FLOAT_INFINITY) {
      if (magnitude == FLOAT_INFINITY) {
        return (short) (sign | 0x7C00);
      }
      // A quiet NaN that keeps the top payload bits.
      return (short) (sign | 0x7E00 | ((magnitude >>> 13) & 0x3FF));
    }
    if (magnitude >= OVERFLOW_THRESHOLD) {
      return (short) (sign | 0x7C00);
    }
    if (magnitude >= MIN_NORMAL) {
      int rebiased = magnitude - REBIAS;
      // Round the 13 dropped mantissa bits to nearest even; a carry moves into the exponent.
      int rounded = rebiased + 0x0FFF + ((rebiased >>> 13) & 1);
      return (short) (sign | (rounded >>> 13));
    }
    if (magnitude <= UNDERFLOW_THRESHOLD) {
      return (short) sign;
    }
    return (short) (sign | subnormal(magnitude));
  }

  /** Rounds a magnitude in (2^-25, 2^-14) to the subnormal mantissa m, value m·2^-24. */
  private static int subnormal(int magnitude) {
    int exponent = magnitude >>> 23;
    int significand = (magnitude & 0x7FFFFF) | 0x800000;
    int shift = 126 - exponent;
    int mantissa = significand >>> shift;
    int remainder = significand & ((1 << shift) - 1);
    int halfway = 1 << (shift - 1);
    if (remainder > halfway || (remainder == halfway && (mantissa & 1) == 1)) {
      // 0x3FF + 1 = 0x400 is the encoding of the smallest normal, so the carry is correct.
      mantissa++;
    }
    return mantissa;
  }

  /** Converts half bits to the float of equal value. */
  public static float toFloat(short half) {
    int bits = half & 0xFFFF;
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1F;
    int mantissa = bits & 0x3FF;
    if (exponent == 0) {
      float magnitude = mantissa * 0x1p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    if (exponent == 0x1F) {
      return Float.intBitsToFloat(sign | FLOAT_INFINITY | (mantissa << 13));
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }
}
