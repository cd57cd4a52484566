package io.shaver.evaluate;

/**
 * Test-split metrics of one scored variant.
 *
 * @param samples test samples scored
 * @param positives samples with label 1
 * @param auc area under the ROC curve of the logits, ties counted one half; NaN when the test
 *     split holds only one class
 * @param logLoss mean binary cross-entropy, in nats
 * @param kl mean Bernoulli KL divergence of the variant's click probability from the unpruned
 *     model's, in nats
 */
public record ScoreSummary(long samples, long positives, double auc, double logLoss, double kl) {
}
