package io.shaver.compress;

/**
 * Asymmetric uniform post-training quantization with one scale and zero point per tensor.
 *
 * <p>For b bits, q_min = −2^(b−1), q_max = 2^(b−1) − 1,
 * scale = (max − min)/(q_max − q_min), zero point z = round(q_min − min/scale),
 * q = clamp(round(x/scale + z), q_min, q_max), and the dequantized value is (q − z)·scale.
 * Unlike the reference implementation, which truncates the zero point and never clamps (so
 * extreme values can wrap around in the integer cast), the zero point is rounded and q is
 * clamped.
 *
 * <p>The range [min, max] is widened to include 0, as PyTorch's min-max observers do, so z lies
 * in [q_min, q_max] and 0.0 round-trips exactly. For a tensor with both signs (every trained
 * embedding table) this is the reference's range. The scale is stored as float32, rounded up so
 * that (max − min)/scale never exceeds q_max − q_min. An all-zero or empty tensor gets scale 1
 * and zero point 0.
 *
 * <p>Guarantees for x in [min, max]: |x − dequantize(quantize(x))| ≤ scale/2 up to the float
 * rounding of the result, because the nearest code is always in range; codes never wrap around.
 * min maps to q_min and max to q_max, except in a near tie of the zero point's rounding, where
 * an extreme may map to its inner neighbour, which is then also within scale/2.
 *
 * @param bits b, in [2, 16]
 * @param scale step between adjacent codes, positive
 * @param zeroPoint the code of 0.0, in [q_min, q_max]
 */
public record UniformQuantizer(int bits, float scale, int zeroPoint) {

  public UniformQuantizer {
    if (bits < 2 || bits > 16) {
      throw new IllegalArgumentException("bits must be in [2, 16], got " + bits);
    }
    if (!(scale > 0) || !Float.isFinite(scale)) {
      throw new IllegalArgumentException("scale must be positive and finite, got " + scale);
    }
    if (zeroPoint < -(1 << (bits - 1)) || zeroPoint > (1 << (bits - 1)) - 1) {
      throw new IllegalArgumentException("zero point must be in [q_min, q_max] for " + bits
          + " bits, got " + zeroPoint);
    }
  }

  /** Fits the quantizer to the range of {@code values} (all finite). */
  public static UniformQuantizer fit(float[] values, int bits) {
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (float value : values) {
      min = Math.min(min, value);
      max = Math.max(max, value);
    }
    return fitRange(min, max, bits);
  }

  /**
   * Fits the quantizer to [min, max]; an empty range (min &gt; max) means an empty tensor.
   *
   * @throws IllegalArgumentException when a bound is not finite
   */
  public static UniformQuantizer fitRange(float min, float max, int bits) {
    if (min > max) {
      return new UniformQuantizer(bits, 1f, 0);
    }
    if (!Float.isFinite(min) || !Float.isFinite(max)) {
      throw new IllegalArgumentException("cannot quantize the range [" + min + ", " + max
          + "]: both bounds must be finite");
    }
    double low = Math.min(min, 0.0);
    double high = Math.max(max, 0.0);
    if (low == high) {
      return new UniformQuantizer(bits, 1f, 0);
    }
    int levels = (1 << bits) - 1;
    float scale = roundUp((high - low) / levels);
    // low <= 0 <= high and the scale is rounded up, so q_min - low/scale lies in
    // [q_min, q_max]; the min() only guards against double rounding at the top.
    int zeroPoint = (int) Math.round(qMin(bits) - low / scale);
    return new UniformQuantizer(bits, scale, Math.min(zeroPoint, (1 << (bits - 1)) - 1));
  }

  private static float roundUp(double exact) {
    float scale = (float) exact;
    return scale < exact ? Math.nextUp(scale) : scale;
  }

  private static int qMin(int bits) {
    return -(1 << (bits - 1));
  }

  public int qMin() {
    return qMin(bits);
  }

  public int qMax() {
    return (1 << (bits - 1)) - 1;
  }

  /** Returns the code of {@code value}, clamped to [q_min, q_max]. */
  public int quantize(float value) {
    long code = Math.round(value / (double) scale + zeroPoint);
    return (int) Math.max(qMin(), Math.min(qMax(), code));
  }

  /** Returns (code − z)·scale as a float. */
  public float dequantize(int code) {
    return (float) ((code - (long) zeroPoint) * (double) scale);
  }

  /** Returns the codes of {@code values} as bytes; requires bits ≤ 8. */
  public byte[] quantizeToBytes(float[] values) {
    if (bits > 8) {
      throw new IllegalStateException(bits + "-bit codes do not fit in a byte");
    }
    byte[] codes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      codes[i] = (byte) quantize(values[i]);
    }
    return codes;
  }

  /**
   * Simulates b-bit post-training quantization of a whole tensor: returns the dequantized copy,
   * with the quantizer fitted to the tensor's own range (as the PTQ baselines use it).
   */
  public static float[] simulate(float[] values, int bits) {
    UniformQuantizer quantizer = fit(values, bits);
    float[] result = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      result[i] = quantizer.dequantize(quantizer.quantize(values[i]));
    }
    return result;
  }
}
