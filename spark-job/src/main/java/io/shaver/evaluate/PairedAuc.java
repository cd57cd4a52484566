package io.shaver.evaluate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Compares the ROC AUC of two scorers on the same samples and tests whether the difference
 * exceeds sampling noise.
 *
 * <p>Two standard errors of AUC(a) − AUC(b) are computed:
 * <ul>
 *   <li>DeLong, DeLong and Clarke-Pearson (Biometrics 44, 1988): the variance of the difference
 *       from the structural components of both AUCs, with their covariance across the shared
 *       samples. Placement values come from midranks, so ties count one half as in
 *       {@link ScoredSamples}.</li>
 *   <li>Paired bootstrap: samples are drawn with replacement, both scorers are scored on the
 *       same draw, and the standard deviation of the differences is returned. Draws that hold a
 *       single class have no AUC; they are skipped and counted.</li>
 * </ul>
 *
 * <p>Labels must be 0 or 1 and both classes must be present.
 */
public final class PairedAuc {

  private PairedAuc() {
  }

  /**
   * Result of one comparison.
   *
   * @param aucA AUC of scorer a
   * @param aucB AUC of scorer b
   * @param delongStandardError DeLong standard error of aucA − aucB
   * @param bootstrapStandardError standard deviation of the paired bootstrap differences; NaN
   *     when no replicates were requested
   * @param skippedReplicates bootstrap draws that held a single class
   */
  public record Comparison(double aucA, double aucB, double delongStandardError,
      double bootstrapStandardError, int skippedReplicates) {

    /** Returns aucA − aucB. */
    public double difference() {
      return aucA - aucB;
    }

    /** Returns the difference over its DeLong standard error; 0 when both are 0. */
    public double delongZ() {
      double difference = difference();
      return difference == 0 ? 0 : difference / delongStandardError;
    }
  }

  /**
   * Compares scorers {@code a} and {@code b} on the samples {@code labels}.
   *
   * @param replicates paired bootstrap draws, 0 for none
   * @param seed seed of the bootstrap draws; the same seed gives the same result
   * @throws IllegalArgumentException when the arrays differ in length, a label is not 0 or 1,
   *     or a class is missing
   */
  public static Comparison compare(double[] labels, double[] a, double[] b, int replicates,
      long seed) {
    checkInputs(labels, a, b);
    if (replicates < 0) {
      throw new IllegalArgumentException("replicates must be >= 0, got " + replicates);
    }
    double[][] placementsA = placements(labels, a);
    double[][] placementsB = placements(labels, b);
    double aucA = mean(placementsA[0]);
    double aucB = mean(placementsB[0]);
    double variance = differenceVariance(placementsA[0], placementsB[0])
        + differenceVariance(placementsA[1], placementsB[1]);
    double[] bootstrap = bootstrap(labels, a, b, replicates, seed);
    return new Comparison(aucA, aucB, Math.sqrt(Math.max(variance, 0)), bootstrap[0],
        (int) bootstrap[1]);
  }

  /** Returns the exact Mann-Whitney AUC of {@code scores}, ties counted one half. */
  public static double auc(double[] labels, double[] scores) {
    checkInputs(labels, scores, scores);
    return mean(placements(labels, scores)[0]);
  }

  /**
   * Returns the placement values: [0] for each positive, the share of negatives it outscores
   * (ties one half); [1] for each negative, the share of positives that outscore it. Both means
   * equal the AUC.
   */
  static double[][] placements(double[] labels, double[] scores) {
    double[] all = midranks(scores);
    int positives = 0;
    for (double label : labels) {
      positives += label == 1 ? 1 : 0;
    }
    int negatives = labels.length - positives;

    double[] positiveScores = new double[positives];
    double[] negativeScores = new double[negatives];
    int p = 0;
    int q = 0;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] == 1) {
        positiveScores[p++] = scores[i];
      } else {
        negativeScores[q++] = scores[i];
      }
    }

    double[] withinPositives = midranks(positiveScores);
    double[] withinNegatives = midranks(negativeScores);
    double[] positivePlacements = new double[positives];
    double[] negativePlacements = new double[negatives];
    p = 0;
    q = 0;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] == 1) {
        positivePlacements[p] = (all[i] - withinPositives[p]) / negatives;
        p++;
      } else {
        negativePlacements[q] = 1 - (all[i] - withinNegatives[q]) / positives;
        q++;
      }
    }
    return new double[][] {positivePlacements, negativePlacements};
  }

  /** Returns 1-based ranks of {@code values}, tied values sharing the mean of their ranks. */
  static double[] midranks(double[] values) {
    Integer[] order = new Integer[values.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Double.compare(values[x], values[y]));
    double[] ranks = new double[values.length];
    int start = 0;
    while (start < order.length) {
      int end = start + 1;
      while (end < order.length && values[order[end]] == values[order[start]]) {
        end++;
      }
      double rank = (start + 1 + end) / 2.0;
      for (int k = start; k < end; k++) {
        ranks[order[k]] = rank;
      }
      start = end;
    }
    return ranks;
  }

  /** Returns Var(mean(x) − mean(y)) for paired placements: (s_xx + s_yy − 2 s_xy) / count. */
  private static double differenceVariance(double[] x, double[] y) {
    int count = x.length;
    if (count < 2) {
      return 0;
    }
    double meanX = mean(x);
    double meanY = mean(y);
    double sum = 0;
    for (int i = 0; i < count; i++) {
      double delta = (x[i] - meanX) - (y[i] - meanY);
      sum += delta * delta;
    }
    return sum / (count - 1) / count;
  }

  /** Returns {standard deviation of the differences, skipped draws}. */
  private static double[] bootstrap(double[] labels, double[] a, double[] b, int replicates,
      long seed) {
    if (replicates == 0) {
      return new double[] {Double.NaN, 0};
    }
    SplittableRandom random = new SplittableRandom(seed);
    int size = labels.length;
    double[] drawnLabels = new double[size];
    double[] drawnA = new double[size];
    double[] drawnB = new double[size];
    double sum = 0;
    double sumOfSquares = 0;
    int used = 0;
    int skipped = 0;
    for (int r = 0; r < replicates; r++) {
      int positives = 0;
      for (int i = 0; i < size; i++) {
        int pick = random.nextInt(size);
        drawnLabels[i] = labels[pick];
        drawnA[i] = a[pick];
        drawnB[i] = b[pick];
        positives += labels[pick] == 1 ? 1 : 0;
      }
      if (positives == 0 || positives == size) {
        skipped++;
        continue;
      }
      double difference = mean(placements(drawnLabels, drawnA)[0])
          - mean(placements(drawnLabels, drawnB)[0]);
      sum += difference;
      sumOfSquares += difference * difference;
      used++;
    }
    double standardDeviation = used < 2
        ? Double.NaN
        : Math.sqrt(Math.max(sumOfSquares - sum * sum / used, 0) / (used - 1));
    return new double[] {standardDeviation, skipped};
  }

  private static void checkInputs(double[] labels, double[] a, double[] b) {
    if (a.length != labels.length || b.length != labels.length) {
      throw new IllegalArgumentException("expected one score per label: " + labels.length
          + " labels, " + a.length + " and " + b.length + " scores");
    }
    int positives = 0;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] != 0 && labels[i] != 1) {
        throw new IllegalArgumentException("label " + i + " is " + labels[i]
            + "; expected 0 or 1");
      }
      positives += labels[i] == 1 ? 1 : 0;
    }
    if (positives == 0 || positives == labels.length) {
      throw new IllegalArgumentException("AUC needs both classes, got " + positives
          + " positives among " + labels.length + " samples");
    }
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double value : values) {
      sum += value;
    }
    return sum / values.length;
  }
}
