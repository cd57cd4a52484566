package io.shaver.shapley;

/** Binary cross-entropy computed from a logit, in double. */
public final class LogLoss {
  private LogLoss() {
  }

  /**
   * Returns -y log sigmoid(z) - (1 - y) log(1 - sigmoid(z)) as max(z, 0) - z y +
   * log1p(exp(-|z|)), which neither overflows nor loses precision for large |z|. Unlike
   * PyTorch's BCELoss on probabilities, the log is not clamped at -100, so the two differ only
   * for |z| beyond about 100.
   */
  public static double fromLogit(double logit, double label) {
    return Math.max(logit, 0.0) - logit * label + Math.log1p(Math.exp(-Math.abs(logit)));
  }
}
