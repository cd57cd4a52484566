package io.shaver.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.apache.arrow.memory.util.Float16;
import org.junit.jupiter.api.Test;

class HalfTest {

  private static void assertHalf(int expectedBits, float value) {
    assertEquals(expectedBits, Half.fromFloat(value) & 0xFFFF,
        "fp16 of " + value + " (0x" + Integer.toHexString(Float.floatToRawIntBits(value)) + ")");
  }

  @Test
  void knownValues() {
    assertHalf(0x3C00, 1f);
    assertHalf(0xC000, -2f);
    assertHalf(0x0000, 0f);
    assertHalf(0x8000, -0f);
    assertHalf(0x7BFF, 65504f);
    assertHalf(0x7BFF, 65519.996f);
    assertHalf(0x7C00, 65520f);
    assertHalf(0xFC00, Float.NEGATIVE_INFINITY);
    assertHalf(0x0400, 0x1p-14f);
    assertHalf(0x0001, 0x1p-24f);
    assertHalf(0x0000, 0x1p-25f);
    assertHalf(0x0001, 0x1.8p-25f);
    assertHalf(0x0003, 0x1.8p-23f);
    assertHalf(0x0002, 0x1.4p-23f);
    assertHalf(0x3555, 1f / 3);
    assertHalf(0x2E66, 0.1f);
    assertHalf(0x3C00, 1f + 0x1p-11f);
    assertHalf(0x3C02, 1f + 0x3p-11f);
    assertHalf(0x3C01, 1f + 0x1.2p-11f);
    assertHalf(0x0400, 0x1.ffcp-15f);
    assertTrue(Float.isNaN(Half.toFloat(Half.fromFloat(Float.NaN))));
  }

  @Test
  void toFloatExactForEveryHalf() {
    for (int bits = 0; bits <= 0xFFFF; bits++) {
      short half = (short) bits;
      float expected = Float16.toFloat(half);
      float actual = Half.toFloat(half);
      if (Float.isNaN(expected)) {
        assertTrue(Float.isNaN(actual), "NaN 0x" + Integer.toHexString(bits));
      } else {
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual),
            "0x" + Integer.toHexString(bits));
        assertEquals(bits, Half.fromFloat(actual) & 0xFFFF, "round trip 0x"
            + Integer.toHexString(bits));
      }
    }
  }

  @Test
  void roundingMatchesArrowAtMidpointsAndRandomFloats() {
    // Arrow's Float16 (arrow-memory-core 19.0.0) is an independent round-to-nearest-even port.
    for (int bits = 0; bits < 0x7C00; bits++) {
      float low = Half.toFloat((short) bits);
      float high = Half.toFloat((short) (bits + 1));
      float midpoint = (float) (((double) low + high) / 2);
      for (float value : new float[] {midpoint, Math.nextDown(midpoint), Math.nextUp(midpoint)}) {
        assertEquals(Float16.toFloat16(value) & 0xFFFF, Half.fromFloat(value) & 0xFFFF,
            "value " + value);
        assertEquals(Float16.toFloat16(-value) & 0xFFFF, Half.fromFloat(-value) & 0xFFFF,
            "value " + -value);
      }
    }
    Random random = new Random(31);
    for (int i = 0; i < 2_000_000; i++) {
      float value = Float.intBitsToFloat(random.nextInt());
      if (Float.isNaN(value)) {
        continue;
      }
      assertEquals(Float16.toFloat16(value) & 0xFFFF, Half.fromFloat(value) & 0xFFFF,
          "value " + value);
    }
  }
}
