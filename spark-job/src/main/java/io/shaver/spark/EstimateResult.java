package io.shaver.spark;

import java.util.List;

/**
 * Outcome of the estimate stage: passes in the final estimate, samples and model evaluations
 * over all passes, the final convergence ratio and whether the convergence rule was met. A
 * resumed run counts the passes of its checkpoint too, but its task summaries cover only the
 * passes it made. The last two fields name the output directories.
 */
public record EstimateResult(int passes, long samples, long evaluations, double convergenceRatio,
    boolean converged, List<List<TaskSummary>> passReports, String shapley, String codebook) {

  public EstimateResult {
    passReports = List.copyOf(passReports);
  }
}
