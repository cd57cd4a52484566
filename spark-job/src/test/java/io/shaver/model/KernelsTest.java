package io.shaver.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KernelsTest {

  @Test
  void tanhMatchesMathTanhInFloat() {
    SplittableRandom random = new SplittableRandom(3);
    float[] edges = {0f, -0f, 1e-30f, 1e-8f, 0.0624f, 0.0625f, 0.0626f, -0.0626f, 0.5f, 9.99f,
        10f, 10.01f, -12f, 50f, Float.MAX_VALUE, -Float.MAX_VALUE};
    for (float x : edges) {
      assertEquals((float) Math.tanh(x), Kernels.tanh(x), Math.ulp((float) Math.tanh(x)),
          "tanh(" + x + ")");
    }
    for (int i = 0; i < 100_000; i++) {
      float x = (float) ((random.nextDouble() * 2 - 1) * Math.pow(10, random.nextInt(-6, 2)));
      float expected = (float) Math.tanh(x);
      assertEquals(expected, Kernels.tanh(x), Math.ulp(expected), "tanh(" + x + ")");
    }
  }
}
