package io.shaver.shapley;

/**
 * Running statistics of the permutation estimator, in double: per parameter the sum and sum of
 * squares of its marginal contributions and its occurrence count, plus the number of samples
 * processed (draws, repeats included).
 *
 * <p>Estimates follow the data-level game, in which a parameter absent from a sample is a null
 * player contributing 0: phi = sum / samples, not sum / occurrences, and the standard error is
 * sqrt(max(0, sumOfSquares / samples - phi^2) / samples). The variance is clamped at 0, so
 * rounding never yields NaN. Sums use Neumaier compensation, so a sum differs from the exact
 * sum of its terms by about one rounding whatever order the terms arrive in. That makes
 * results independent of batch size, batch order and partitioning up to about 1e-15
 * relative. Sums of squares are plain double sums of non-negative terms.
 *
 * <p>Not thread-safe: one accumulator per worker, merged with {@link #merge}.
 */
public abstract class ShapleyAccumulator {
  private final long parameterCount;
  private long samples;

  protected ShapleyAccumulator(long parameterCount) {
    if (parameterCount < 0) {
      throw new IllegalArgumentException("parameterCount must be >= 0, got " + parameterCount);
    }
    this.parameterCount = parameterCount;
  }

  /**
   * Creates a dense accumulator when {@code parameterCount <= denseLimit}, else a hashed one
   * whose memory grows with the parameters touched.
   */
  public static ShapleyAccumulator create(long parameterCount, long denseLimit) {
    if (parameterCount <= denseLimit && parameterCount <= Integer.MAX_VALUE - 8) {
      return new DenseAccumulator(parameterCount);
    }
    return new SparseAccumulator(parameterCount);
  }

  /** Returns the number of parameters n * d that indices range over. */
  public final long parameterCount() {
    return parameterCount;
  }

  /** Returns the samples processed: draws, repeats included. */
  public final long samples() {
    return samples;
  }

  /** Adds {@code count} processed samples. */
  public final void addSamples(long count) {
    if (count < 0) {
      throw new IllegalArgumentException("sample count must be >= 0, got " + count);
    }
    samples += count;
  }

  /** Adds one draw's marginal contribution of a parameter and counts one occurrence. */
  public final void add(long parameter, double contribution) {
    addStatistics(parameter, contribution, contribution * contribution, 1);
  }

  /**
   * Adds pre-aggregated statistics of one parameter, e.g. a partial result read back from
   * storage.
   *
   * @throws IndexOutOfBoundsException if the parameter is outside {@code [0, parameterCount)}
   * @throws IllegalArgumentException if {@code occurrences < 1}
   */
  public final void addStatistics(
      long parameter, double sum, double sumOfSquares, long occurrences) {
    if (parameter < 0 || parameter >= parameterCount) {
      throw new IndexOutOfBoundsException(
          "parameter must be in [0, " + parameterCount + "), got " + parameter);
    }
    if (occurrences < 1) {
      throw new IllegalArgumentException(
          "occurrences of parameter " + parameter + " must be >= 1, got " + occurrences);
    }
    accumulate(parameter, sum, 0.0, sumOfSquares, occurrences);
  }

  /**
   * Adds every statistic of {@code other} and its sample count into this accumulator.
   *
   * @throws IllegalArgumentException if the parameter counts differ
   */
  public final void merge(ShapleyAccumulator other) {
    if (other.parameterCount != parameterCount) {
      throw new IllegalArgumentException("cannot merge accumulators over " + other.parameterCount
          + " and " + parameterCount + " parameters");
    }
    // Compensations travel separately, so a merge keeps the parts' extra precision.
    other.forEachCompensated(this::accumulate);
    samples += other.samples;
  }

  /** Returns phi of a parameter: its sum divided by the samples processed (0 before any). */
  public final double phi(long parameter) {
    return phi(sum(parameter), samples);
  }

  /** Returns the standard error of a parameter's phi. */
  public final double standardError(long parameter) {
    return standardError(sum(parameter), sumOfSquares(parameter), samples);
  }

  /** Returns phi from a parameter's sum and the samples processed; 0 when none were. */
  public static double phi(double sum, long samples) {
    return samples == 0 ? 0.0 : sum / samples;
  }

  /** Returns sqrt(max(0, sumOfSquares / samples - phi^2) / samples); 0 when no samples. */
  public static double standardError(double sum, double sumOfSquares, long samples) {
    if (samples == 0) {
      return 0.0;
    }
    double mean = sum / samples;
    double variance = Math.max(0.0, sumOfSquares / samples - mean * mean);
    return Math.sqrt(variance / samples);
  }

  /** Returns the compensated sum of a parameter's contributions (0 if untouched). */
  public abstract double sum(long parameter);

  /** Returns the sum of squared contributions (0 if untouched). */
  public abstract double sumOfSquares(long parameter);

  /** Returns the occurrence count (0 if untouched). */
  public abstract long occurrences(long parameter);

  /** Returns the number of parameters with at least one occurrence. */
  public abstract long touchedParameters();

  /** Visits every parameter with at least one occurrence, in ascending index order. */
  public final void forEach(ParameterVisitor visitor) {
    forEachCompensated((parameter, sum, compensation, sumOfSquares, occurrences) ->
        visitor.visit(parameter, sum + compensation, sumOfSquares, occurrences));
  }

  /** Like {@link #forEach}, with each sum split into its running sum and compensation. */
  abstract void forEachCompensated(CompensatedVisitor visitor);

  /**
   * Adds statistics to a parameter already checked to be in range; {@code compensation} is
   * a correction term of {@code sum} (0 for a plain value).
   */
  abstract void accumulate(long parameter, double sum, double compensation,
      double sumOfSquares, long occurrences);

  /** Receives one parameter's statistics with its sum split into two doubles. */
  @FunctionalInterface
  interface CompensatedVisitor {
    void visit(long parameter, double sum, double compensation, double sumOfSquares,
        long occurrences);
  }

  /**
   * Adds {@code value} to the compensated pair {@code (sums[i], compensations[i])} by
   * Neumaier's method.
   */
  static void addCompensated(double[] sums, double[] compensations, int i, double value) {
    double s = sums[i];
    double t = s + value;
    if (Math.abs(s) >= Math.abs(value)) {
      compensations[i] += (s - t) + value;
    } else {
      compensations[i] += (value - t) + s;
    }
    sums[i] = t;
  }
}
