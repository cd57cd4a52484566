package io.shaver.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Duration text in progress logs. */
class DurationsTest {

  @Test
  void formatsEachRange() {
    assertEquals("12.3s", Durations.format(12.34));
    assertEquals("3m 05s", Durations.format(185));
    assertEquals("1h 02m", Durations.format(3720));
    assertEquals("unknown", Durations.format(Double.POSITIVE_INFINITY));
    assertEquals("unknown", Durations.format(-1));
  }
}
