package io.shaver.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class UniformQuantizerTest {

  private static float min(float[] values) {
    float min = Float.POSITIVE_INFINITY;
    for (float value : values) {
      min = Math.min(min, value);
    }
    return min;
  }

  private static float max(float[] values) {
    float max = Float.NEGATIVE_INFINITY;
    for (float value : values) {
      max = Math.max(max, value);
    }
    return max;
  }

  private static void assertRoundTripWithinHalfScale(float[] values, UniformQuantizer quantizer) {
    double bound = quantizer.scale() / 2.0;
    for (float value : values) {
      int code = quantizer.quantize(value);
      assertTrue(code >= quantizer.qMin(), "code " + code);
      assertTrue(code <= quantizer.qMax(), "code " + code);
      double error = Math.abs(value - quantizer.dequantize(code));
      assertTrue(error <= bound + Math.ulp(value), "value " + value + " error " + error
          + " bound " + bound);
    }
  }

  @Test
  void roundTripWithinHalfScaleForEveryEntry() {
    Random random = new Random(41);
    for (int bits : new int[] {4, 8, 16}) {
      for (int trial = 0; trial < 20; trial++) {
        float[] values = new float[5000];
        double shift = random.nextGaussian();
        double spread = Math.pow(10, random.nextInt(6) - 3);
        for (int i = 0; i < values.length; i++) {
          values[i] = (float) ((random.nextGaussian() + shift) * spread);
        }
        assertRoundTripWithinHalfScale(values, UniformQuantizer.fit(values, bits));
      }
    }
  }

  @Test
  void extremesMapToCodeBounds() {
    Random random = new Random(42);
    for (int trial = 0; trial < 200; trial++) {
      float[] values = new float[1000];
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) (random.nextGaussian() * 0.05 + 0.01);
      }
      UniformQuantizer quantizer = UniformQuantizer.fit(values, 8);

      assertEquals(-128, quantizer.quantize(min(values)), "trial " + trial);
      assertEquals(127, quantizer.quantize(max(values)), "trial " + trial);
    }
  }

  @Test
  void noWraparoundWhereReferenceFormulaWraps() {
    // The reference truncates the zero point toward zero: here -127.745 becomes -127, so max
    // lands on round(127.745) = 128, which wraps to -128 in an int8 cast.
    float min = -0.001f;
    float max = 1f;
    float[] values = {min, 0f, 0.5f, max};
    double scale = (max - (double) min) / 255;
    int truncatedZero = (int) (-128 - min / scale);
    long referenceCode = Math.round(max / scale + truncatedZero);
    assertEquals(128, referenceCode, "the reference formula must overflow for this case");
    assertEquals(-128, (byte) referenceCode, "and wrap around in the int8 cast");

    UniformQuantizer quantizer = UniformQuantizer.fit(values, 8);

    assertEquals(127, quantizer.quantize(max));
    assertEquals(-128, quantizer.quantize(min));
    assertRoundTripWithinHalfScale(values, quantizer);
  }

  @Test
  void zeroRoundTripsExactly() {
    Random random = new Random(43);
    for (int trial = 0; trial < 100; trial++) {
      float[] values = new float[100];
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) (random.nextGaussian() + random.nextGaussian() * 0.5);
      }
      values[0] = 0f;
      UniformQuantizer quantizer = UniformQuantizer.fit(values, 8);

      assertEquals(0f, quantizer.dequantize(quantizer.quantize(0f)), 0f, "trial " + trial);
    }
  }

  @Test
  void oneSignedRangeIncludesZero() {
    float[] values = {2f, 3f, 4f};
    UniformQuantizer quantizer = UniformQuantizer.fit(values, 8);

    assertEquals(-128, quantizer.zeroPoint());
    assertEquals(4f / 255, quantizer.scale(), 1e-7f);
    assertEquals(127, quantizer.quantize(4f));
    assertRoundTripWithinHalfScale(values, quantizer);
  }

  @Test
  void constantAndEmptyTensors() {
    UniformQuantizer constant = UniformQuantizer.fit(new float[] {-0.7f, -0.7f}, 8);
    assertEquals(-0.7f, constant.dequantize(constant.quantize(-0.7f)), 1e-6f);

    UniformQuantizer zeros = UniformQuantizer.fit(new float[] {0f, 0f}, 8);
    assertEquals(1f, zeros.scale());
    assertEquals(0f, zeros.dequantize(zeros.quantize(0f)), 0f);

    UniformQuantizer empty = UniformQuantizer.fit(new float[0], 8);
    assertEquals(0, empty.zeroPoint());
  }

  @Test
  void simulateMatchesQuantizeDequantize() {
    float[] values = {-1f, -0.3f, 0f, 0.2f, 0.9f};
    float[] simulated = UniformQuantizer.simulate(values, 4);
    UniformQuantizer quantizer = UniformQuantizer.fit(values, 4);

    for (int i = 0; i < values.length; i++) {
      assertEquals(quantizer.dequantize(quantizer.quantize(values[i])), simulated[i], 0f);
    }
    assertNotEquals(values[1], simulated[1]);
  }

  @Test
  void invalidParametersRejected() {
    assertThrows(IllegalArgumentException.class, () -> new UniformQuantizer(1, 1f, 0));
    assertThrows(IllegalArgumentException.class, () -> new UniformQuantizer(8, 0f, 0));
    assertThrows(IllegalArgumentException.class, () -> new UniformQuantizer(8, 1f, 128));
    assertThrows(IllegalArgumentException.class,
        () -> UniformQuantizer.fitRange(0f, Float.POSITIVE_INFINITY, 8));
  }
}
