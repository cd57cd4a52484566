package io.shaver.model;

/** Conversions from the 16-bit float formats of safetensors (F16, BF16) to {@code float}. */
final class HalfFloats {

  private HalfFloats() {}

  /** Converts IEEE 754 binary16 bits to float, exactly, subnormals, infinities and NaN included. */
  static float halfToFloat(short bits) {
    int h = bits & 0xffff;
    int sign = (h & 0x8000) << 16;
    int exponent = (h >>> 10) & 0x1f;
    int mantissa = h & 0x3ff;
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      // Zero or subnormal: mantissa * 2^-24, exact in float.
      float magnitude = mantissa * 0x1p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }

  /** Converts bfloat16 bits (the upper half of a float) to float, exactly. */
  static float bfloat16ToFloat(short bits) {
    return Float.intBitsToFloat((bits & 0xffff) << 16);
  }
}
