package io.shaver.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Train, validation and test shares of a deterministic split. Each share is in [0, 1], train is
 * positive, and the three sum to 1 within 1e-9.
 */
public record SplitRatios(double train, double val, double test) {

  public static final SplitRatios DEFAULT = new SplitRatios(0.8, 0.1, 0.1);

  public SplitRatios {
    check("train", train);
    check("val", val);
    check("test", test);
    if (train <= 0) {
      throw new IllegalArgumentException("the train share must be positive, got " + train);
    }
    double sum = train + val + test;
    if (Math.abs(sum - 1.0) > 1e-9) {
      throw new IllegalArgumentException("train + val + test must sum to 1, got " + sum);
    }
  }

  private static void check(String name, double share) {
    if (!(share >= 0 && share <= 1)) {
      throw new IllegalArgumentException("the " + name + " share must be in [0, 1], got " + share);
    }
  }

  Map<String, Object> describe() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("train", train);
    map.put("val", val);
    map.put("test", test);
    return map;
  }
}
