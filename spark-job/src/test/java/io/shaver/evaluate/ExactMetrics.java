package io.shaver.evaluate;

/**
 * Test-side metrics written from their textbook definitions, independent of
 * {@link BinaryMetrics} and of Spark.
 */
public final class ExactMetrics {

  private ExactMetrics() {
  }

  /** Exact Mann-Whitney AUC: P(score+ > score-) + 0.5 P(score+ == score-), over all pairs. */
  public static double mannWhitneyAuc(double[] scores, double[] labels) {
    double wins = 0;
    long pairs = 0;
    for (int i = 0; i < scores.length; i++) {
      if (labels[i] != 1) {
        continue;
      }
      for (int j = 0; j < scores.length; j++) {
        if (labels[j] != 0) {
          continue;
        }
        pairs++;
        if (scores[i] > scores[j]) {
          wins += 1;
        } else if (scores[i] == scores[j]) {
          wins += 0.5;
        }
      }
    }
    return wins / pairs;
  }

  /** Exact Mann-Whitney AUC of float scores, as {@link #mannWhitneyAuc(double[], double[])}. */
  public static double mannWhitneyAuc(float[] scores, double[] labels) {
    double[] widened = new double[scores.length];
    for (int i = 0; i < scores.length; i++) {
      widened[i] = scores[i];
    }
    return mannWhitneyAuc(widened, labels);
  }

  /** Mean of -[y log q + (1 - y) log(1 - q)] with q = 1 / (1 + e^-logit). */
  public static double meanLogLoss(float[] logits, double[] labels) {
    double sum = 0;
    for (int i = 0; i < logits.length; i++) {
      double q = 1 / (1 + Math.exp(-logits[i]));
      sum += -(labels[i] * Math.log(q) + (1 - labels[i]) * Math.log(1 - q));
    }
    return sum / logits.length;
  }

  /** Mean of p log(p / q) + (1 - p) log((1 - p) / (1 - q)), p from the reference logits. */
  public static double meanKl(float[] referenceLogits, float[] logits) {
    double sum = 0;
    for (int i = 0; i < logits.length; i++) {
      double p = 1 / (1 + Math.exp(-referenceLogits[i]));
      double q = 1 / (1 + Math.exp(-logits[i]));
      sum += p * Math.log(p / q) + (1 - p) * Math.log((1 - p) / (1 - q));
    }
    return sum / logits.length;
  }
}
