package io.shaver.shapley;

/** Receives the statistics of one touched parameter. */
@FunctionalInterface
public interface ParameterVisitor {

  /**
   * Visits one parameter.
   *
   * @param parameter flat index {@code row * d + j}
   * @param sum sum of its marginal contributions over draws
   * @param sumOfSquares sum of the squared contributions
   * @param occurrences draws in which the parameter was a player
   */
  void visit(long parameter, double sum, double sumOfSquares, long occurrences);
}
