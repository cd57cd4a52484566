package io.shaver.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BinaryMetricsTest {

  private static final double TOLERANCE = 1e-15;

  @Test
  void logLossMatchesHandValues() {
    // -log(0.5)
    assertEquals(0.6931471805599453, BinaryMetrics.logLoss(0, 1), TOLERANCE);
    assertEquals(0.6931471805599453, BinaryMetrics.logLoss(0, 0), TOLERANCE);
    // log(1 + e^2) and log(1 + e^-2)
    assertEquals(2.1269280110429727, BinaryMetrics.logLoss(2, 0), TOLERANCE);
    assertEquals(0.1269280110429725, BinaryMetrics.logLoss(2, 1), TOLERANCE);
    assertEquals(0.1269280110429725, BinaryMetrics.logLoss(-2, 0), TOLERANCE);
  }

  @Test
  void logLossFiniteWhenSaturated() {
    assertEquals(800, BinaryMetrics.logLoss(-800, 1), 0);
    assertEquals(800, BinaryMetrics.logLoss(800, 0), 0);
    assertEquals(0, BinaryMetrics.logLoss(800, 1), 0);
  }

  @Test
  void klMatchesHandValues() {
    // p = 0.5, q = 0.75: 0.5 ln(0.5/0.75) + 0.5 ln(0.5/0.25) = 0.5 ln(4/3)
    assertEquals(0.14384103622589042, BinaryMetrics.bernoulliKl(0, Math.log(3)), 1e-15);
    // p = 0.75, q = 0.5: 0.75 ln 1.5 + 0.25 ln 0.5
    assertEquals(0.13081203594113697, BinaryMetrics.bernoulliKl(Math.log(3), 0), 1e-15);
    // p = σ(3), q = σ(-1), from the textbook formula in double precision
    assertEquals(1.0749708432342144, BinaryMetrics.bernoulliKl(3, -1), 1e-14);
  }

  @Test
  void klZeroForEqualLogitsAndNeverNegative() {
    assertEquals(0, BinaryMetrics.bernoulliKl(1.2345, 1.2345), 0);
    for (double a = -20; a <= 20; a += 0.37) {
      double kl = BinaryMetrics.bernoulliKl(a, Math.nextUp(a));
      assertEquals(0, kl, 1e-12, "a = " + a);
      assertTrue(kl >= 0, "a = " + a);
    }
  }

  @Test
  void klFiniteWhenSaturated() {
    // p ≈ 1, q = σ(-30): KL ≈ -log σ(-30) = 30 + log(1 + e^-30)
    assertEquals(30, BinaryMetrics.bernoulliKl(30, -30), 1e-9);
    assertEquals(0, BinaryMetrics.bernoulliKl(800, 900), 1e-300);
  }
}
