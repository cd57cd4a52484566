package io.shaver.evaluate;

/**
 * Per-sample losses of a binary classifier, computed from logits in double precision.
 *
 * <p>Both functions avoid forming a probability first, so they stay finite and accurate for
 * saturated logits: the reference PyTorch evaluation computes BCE on sigmoid outputs and clamps
 * the log at -100, so the two agree except where |logit| is large.
 */
public final class BinaryMetrics {

  private BinaryMetrics() {
  }

  /** Returns log(1 + e^x) without overflow: max(x, 0) + log1p(e^-|x|). */
  public static double softplus(double x) {
    return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
  }

  /** Returns 1 / (1 + e^-x). */
  public static double sigmoid(double x) {
    if (x >= 0) {
      return 1 / (1 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1 + e);
  }

  /**
   * Returns binary cross-entropy of a logit against a 0/1 label: softplus(z) - y·z, which equals
   * -[y·log σ(z) + (1 - y)·log(1 - σ(z))].
   */
  public static double logLoss(double logit, double label) {
    return softplus(logit) - label * logit;
  }

  /**
   * Returns KL(P || Q) of two Bernoulli distributions given by logits: P = Bernoulli(σ(a)) (the
   * unpruned model) and Q = Bernoulli(σ(b)) (the pruned one), in nats.
   *
   * <p>Computed as softplus(b) - softplus(a) - σ(a)·(b - a), an exact rewrite of
   * p·log(p/q) + (1 - p)·log((1 - p)/(1 - q)). It is exactly 0 when a == b. Rounding can make
   * it a few ulps negative when a and b are close, so the result is clamped at 0.
   */
  public static double bernoulliKl(double unprunedLogit, double prunedLogit) {
    double a = unprunedLogit;
    double b = prunedLogit;
    if (a == b) {
      return 0;
    }
    double kl = softplus(b) - softplus(a) - sigmoid(a) * (b - a);
    return Math.max(kl, 0);
  }
}
