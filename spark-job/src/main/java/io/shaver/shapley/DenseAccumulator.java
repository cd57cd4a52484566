package io.shaver.shapley;

/** {@link ShapleyAccumulator} with one slot per parameter: 32 bytes per parameter. */
final class DenseAccumulator extends ShapleyAccumulator {
  private final double[] sums;
  private final double[] compensations;
  private final double[] sumsOfSquares;
  private final long[] occurrences;
  private long touched;

  DenseAccumulator(long parameterCount) {
    super(parameterCount);
    int size = Math.toIntExact(parameterCount);
    this.sums = new double[size];
    this.compensations = new double[size];
    this.sumsOfSquares = new double[size];
    this.occurrences = new long[size];
  }

  @Override
  void accumulate(long parameter, double sum, double compensation, double sumOfSquares,
      long count) {
    int i = (int) parameter;
    if (occurrences[i] == 0) {
      touched++;
    }
    addCompensated(sums, compensations, i, sum);
    if (compensation != 0.0) {
      addCompensated(sums, compensations, i, compensation);
    }
    sumsOfSquares[i] += sumOfSquares;
    occurrences[i] += count;
  }

  @Override
  public double sum(long parameter) {
    int i = Math.toIntExact(parameter);
    return sums[i] + compensations[i];
  }

  @Override
  public double sumOfSquares(long parameter) {
    return sumsOfSquares[Math.toIntExact(parameter)];
  }

  @Override
  public long occurrences(long parameter) {
    return occurrences[Math.toIntExact(parameter)];
  }

  @Override
  public long touchedParameters() {
    return touched;
  }

  @Override
  void forEachCompensated(CompensatedVisitor visitor) {
    for (int i = 0; i < occurrences.length; i++) {
      if (occurrences[i] > 0) {
        visitor.visit(i, sums[i], compensations[i], sumsOfSquares[i], occurrences[i]);
      }
    }
  }
}
