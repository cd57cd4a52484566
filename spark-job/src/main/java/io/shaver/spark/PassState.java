package io.shaver.spark;

import io.shaver.shapley.Convergence;
import io.shaver.shapley.EstimatorSettings;

/**
 * State of an estimation after whole passes: passes done, samples and evaluations so far,
 * the rows walked per pass (-1 before the first pass), the samples per walk partition (null
 * until a pass of this run reports them), and the convergence summary (null before any pass).
 */
record PassState(int passes, long samples, long evaluations, long rowsPerPass,
    long[] partitionSamples, Convergence convergence) {

  /** Returns the state before the first pass. */
  static PassState initial() {
    return new PassState(0, 0, 0, -1, null, null);
  }

  /** Returns whether no more passes are needed: the pass limit or the convergence rule. */
  boolean finished(EstimatorSettings settings) {
    return passes >= settings.maxPasses()
        || (convergence != null && convergence.isConverged(passes, settings));
  }

  /** Returns whether the convergence rule is met, as opposed to stopping at the pass limit. */
  boolean converged(EstimatorSettings settings) {
    return convergence != null && convergence.isConverged(passes, settings);
  }
}
