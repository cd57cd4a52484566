package io.shaver.evaluate;

/**
 * One row of {@code metrics/}: a variant and its test-split metrics.
 *
 * @param deltaAuc auc minus the unpruned model's auc (0 for the unpruned row itself)
 */
public record MetricsRow(String method, String budget, double sparsity, long kept, long bytes,
    double auc, double logloss, double kl, double deltaAuc) {

  /** Combines a variant with its summary, given the unpruned model's AUC. */
  static MetricsRow of(Variant variant, ScoreSummary summary, double unprunedAuc) {
    return new MetricsRow(variant.method(), variant.budget(), variant.sparsity(), variant.kept(),
        variant.bytes(), summary.auc(), summary.logLoss(), summary.kl(),
        summary.auc() - unprunedAuc);
  }
}
