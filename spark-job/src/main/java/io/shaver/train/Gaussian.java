package io.shaver.train;

import java.util.SplittableRandom;

/** Standard normal draws from a {@link SplittableRandom}, reproducible for a given seed. */
final class Gaussian {

  private Gaussian() {}

  /** Returns one standard normal draw (Box-Muller, cosine branch). */
  static double next(SplittableRandom random) {
    double u = random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
  }
}
