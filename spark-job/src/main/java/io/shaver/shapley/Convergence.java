package io.shaver.shapley;

import java.io.Serializable;

/**
 * Convergence summary of an estimate: the largest standard error over all parameters against
 * the range of phi, ratio = max SE / max(max phi - min phi, 1e-12).
 *
 * <p>Parameters that no sample touched have phi = 0 and SE = 0 and take part in the range, as
 * in the reference implementation, whenever the accumulator has any. Summaries of disjoint
 * parameter blocks combine with {@link #combine}. A block summary counts 0 in the range when
 * its accumulator has untouched parameters, so the combination can include 0 where the merged
 * accumulator would not, namely when every parameter of the table was touched. The estimator checks
 * the ratio only after whole passes, and only once the minimum number of passes has finished.
 * Serializable, so that block summaries computed in Spark tasks can be combined on the driver.
 */
public final class Convergence implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Floor of the phi range, so a flat estimate does not divide by zero. */
  public static final double MIN_RANGE = 1e-12;

  private static final Convergence EMPTY =
      new Convergence(0.0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);

  private final double maxStandardError;
  private final double maxPhi;
  private final double minPhi;

  private Convergence(double maxStandardError, double maxPhi, double minPhi) {
    this.maxStandardError = maxStandardError;
    this.maxPhi = maxPhi;
    this.minPhi = minPhi;
  }

  /** Returns the summary of no parameters, the identity of {@link #combine}. */
  public static Convergence empty() {
    return EMPTY;
  }

  /** Summarises an accumulator over all its parameters, untouched ones included. */
  public static Convergence of(ShapleyAccumulator accumulator) {
    long samples = accumulator.samples();
    double[] extremes = {0.0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY};
    accumulator.forEach((parameter, sum, sumOfSquares, occurrences) -> {
      double phi = ShapleyAccumulator.phi(sum, samples);
      double se = ShapleyAccumulator.standardError(sum, sumOfSquares, samples);
      extremes[0] = Math.max(extremes[0], se);
      extremes[1] = Math.max(extremes[1], phi);
      extremes[2] = Math.min(extremes[2], phi);
    });
    if (accumulator.touchedParameters() < accumulator.parameterCount()) {
      extremes[1] = Math.max(extremes[1], 0.0);
      extremes[2] = Math.min(extremes[2], 0.0);
    }
    return new Convergence(extremes[0], extremes[1], extremes[2]);
  }

  /** Returns the summary of two disjoint parameter sets. */
  public Convergence combine(Convergence other) {
    return new Convergence(Math.max(maxStandardError, other.maxStandardError),
        Math.max(maxPhi, other.maxPhi), Math.min(minPhi, other.minPhi));
  }

  /** Returns max SE / max(max phi - min phi, 1e-12); 0 for an empty summary. */
  public double ratio() {
    if (maxPhi < minPhi) {
      return 0.0;
    }
    return maxStandardError / Math.max(maxPhi - minPhi, MIN_RANGE);
  }

  /**
   * Returns whether estimation may stop after {@code passes} whole passes: at least the
   * minimum number of passes has finished and the ratio is below the threshold.
   */
  public boolean isConverged(int passes, EstimatorSettings settings) {
    return passes >= settings.minPasses() && ratio() < settings.convergenceThreshold();
  }

  public double maxStandardError() {
    return maxStandardError;
  }

  public double maxPhi() {
    return maxPhi;
  }

  public double minPhi() {
    return minPhi;
  }

  @Override
  public String toString() {
    return "Convergence{ratio=" + ratio() + ", maxStandardError=" + maxStandardError
        + ", maxPhi=" + maxPhi + ", minPhi=" + minPhi + "}";
  }
}
