package io.shaver.shapley;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EstimatorSettingsTest {

  @Test
  void defaultsMatchConstants() {
    EstimatorSettings settings = EstimatorSettings.defaults();
    assertEquals(EstimatorSettings.DEFAULT_SEED, settings.seed());
    assertEquals(256, settings.batchSize());
    assertEquals(10, settings.maxPasses());
    assertEquals(1, settings.minPasses());
    assertEquals(0.01, settings.convergenceThreshold());
    assertEquals(PlaceholderKind.ZERO, settings.placeholder());
    assertEquals(false, settings.antithetic());
  }

  @Test
  void toBuilderRoundTrips() {
    EstimatorSettings settings = EstimatorSettings.builder().seed(7).batchSize(3).maxPasses(4)
        .minPasses(2).convergenceThreshold(0.5).placeholder(PlaceholderKind.CODEBOOK)
        .antithetic(true).denseParameterLimit(9).build();
    EstimatorSettings copy = settings.toBuilder().build();
    assertEquals(settings.toString(), copy.toString());
    assertEquals(7, copy.seed());
    assertEquals(3, copy.batchSize());
    assertEquals(4, copy.maxPasses());
    assertEquals(2, copy.minPasses());
    assertEquals(0.5, copy.convergenceThreshold());
    assertEquals(PlaceholderKind.CODEBOOK, copy.placeholder());
    assertTrue(copy.antithetic());
    assertEquals(9, copy.denseParameterLimit());
  }

  @Test
  void invalidValuesNameFieldAndValue() {
    assertMessage("batchSize must be >= 1, got 0",
        () -> EstimatorSettings.builder().batchSize(0));
    assertMessage("maxPasses must be >= 1, got -1",
        () -> EstimatorSettings.builder().maxPasses(-1));
    assertMessage("minPasses must be >= 1, got 0",
        () -> EstimatorSettings.builder().minPasses(0));
    assertMessage("convergenceThreshold must be finite and > 0, got NaN",
        () -> EstimatorSettings.builder().convergenceThreshold(Double.NaN));
    assertMessage("convergenceThreshold must be finite and > 0, got 0.0",
        () -> EstimatorSettings.builder().convergenceThreshold(0.0));
    assertMessage("denseParameterLimit must be >= 0, got -2",
        () -> EstimatorSettings.builder().denseParameterLimit(-2));
    assertMessage("minPasses (5) must be <= maxPasses (4)",
        () -> EstimatorSettings.builder().maxPasses(4).minPasses(5).build());
  }

  private static void assertMessage(String expected, Runnable action) {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, action::run);
    assertEquals(expected, error.getMessage());
  }
}
