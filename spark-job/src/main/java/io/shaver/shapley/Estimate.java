package io.shaver.shapley;

/**
 * Result of {@link ShapleyEstimator#estimate}: per-parameter phi, standard error and occurrence
 * count, and how the run went. phi > 0 means the parameter lowers the loss on the data.
 */
public final class Estimate {
  private final ShapleyAccumulator accumulator;
  private final int passes;
  private final long evaluations;
  private final Convergence convergence;
  private final boolean converged;

  Estimate(ShapleyAccumulator accumulator, int passes, long evaluations,
      Convergence convergence, boolean converged) {
    this.accumulator = accumulator;
    this.passes = passes;
    this.evaluations = evaluations;
    this.convergence = convergence;
    this.converged = converged;
  }

  /** Returns phi of flat parameter {@code row * d + j}; 0 for a parameter no sample used. */
  public double phi(long parameter) {
    return accumulator.phi(parameter);
  }

  /** Returns the standard error of phi; 0 for a parameter no sample used. */
  public double standardError(long parameter) {
    return accumulator.standardError(parameter);
  }

  /** Returns the draws in which the parameter was a player. */
  public long occurrences(long parameter) {
    return accumulator.occurrences(parameter);
  }

  /**
   * Returns phi of every parameter as a dense array.
   *
   * @throws ArithmeticException if the table has more than {@code Integer.MAX_VALUE} parameters
   */
  public double[] phiArray() {
    double[] phi = new double[Math.toIntExact(accumulator.parameterCount())];
    long samples = accumulator.samples();
    accumulator.forEach((parameter, sum, sumOfSquares, occurrences) ->
        phi[(int) parameter] = ShapleyAccumulator.phi(sum, samples));
    return phi;
  }

  /** Returns the accumulated statistics; callers must not modify them. */
  public ShapleyAccumulator accumulator() {
    return accumulator;
  }

  /** Returns the whole passes made. */
  public int passes() {
    return passes;
  }

  /** Returns the samples processed, draws over all passes. */
  public long samples() {
    return accumulator.samples();
  }

  /** Returns the model evaluations made (forward logits computations, per sample). */
  public long evaluations() {
    return evaluations;
  }

  /** Returns the convergence summary after the last pass. */
  public Convergence convergence() {
    return convergence;
  }

  /** Returns the convergence ratio after the last pass. */
  public double convergenceRatio() {
    return convergence.ratio();
  }

  /** Returns whether the run stopped because the ratio fell below the threshold. */
  public boolean converged() {
    return converged;
  }

  @Override
  public String toString() {
    return "Estimate{passes=" + passes + ", samples=" + samples() + ", evaluations="
        + evaluations + ", ratio=" + convergence.ratio() + ", converged=" + converged + "}";
  }
}
