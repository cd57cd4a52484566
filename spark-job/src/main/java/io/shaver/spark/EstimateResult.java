package io.shaver.spark;

import java.util.List;

/**
 * Outcome of the estimate stage: passes in the final estimate, samples and model evaluations
 * over all passes (a resumed run includes the passes of its checkpoint), the final convergence
 * ratio, whether the convergence rule held, the task summaries of the passes this run made,
 * and where the outputs went.
 */
public record EstimateResult(int passes, long samples, long evaluations, double convergenceRatio,
    boolean converged, List<List<TaskSummary>> passReports, String shapley, String codebook) {

  public EstimateResult {
    passReports = List.copyOf(passReports);
  }
}
