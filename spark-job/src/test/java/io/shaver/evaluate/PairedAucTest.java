package io.shaver.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PairedAucTest {

  @Test
  void aucMatchesPairCountingWithTies() {
    SplittableRandom random = new SplittableRandom(5);
    int size = 300;
    double[] labels = new double[size];
    double[] scores = new double[size];
    float[] floatScores = new float[size];
    for (int i = 0; i < size; i++) {
      labels[i] = random.nextDouble() < 0.3 ? 1 : 0;
      // Few distinct values, so many positive-negative pairs tie.
      scores[i] = random.nextInt(12) + labels[i] * random.nextInt(3);
      floatScores[i] = (float) scores[i];
    }

    assertEquals(ExactMetrics.mannWhitneyAuc(floatScores, labels),
        PairedAuc.auc(labels, scores), 1e-12);
  }

  @Test
  void delongMatchesHandComputation() {
    // a: positives 0.9, 0.4 and negatives 0.5, 0.1 give placements [1, 0.5] and [0.5, 1];
    // b separates the classes, so its placements are all 1. The paired variance is
    // 0.125 / 2 over positives plus 0.125 / 2 over negatives.
    double[] labels = {1, 1, 0, 0};
    double[] a = {0.9, 0.4, 0.5, 0.1};
    double[] b = {0.8, 0.7, 0.3, 0.2};

    PairedAuc.Comparison comparison = PairedAuc.compare(labels, a, b, 0, 1);

    assertEquals(0.75, comparison.aucA(), 1e-15);
    assertEquals(1.0, comparison.aucB(), 1e-15);
    assertEquals(Math.sqrt(0.125), comparison.delongStandardError(), 1e-15);
    assertEquals(Double.NaN, comparison.bootstrapStandardError());
  }

  @Test
  void delongMatchesPairwiseDefinition() {
    SplittableRandom random = new SplittableRandom(11);
    int size = 400;
    double[] labels = new double[size];
    double[] a = new double[size];
    double[] b = new double[size];
    for (int i = 0; i < size; i++) {
      labels[i] = random.nextDouble() < 0.25 ? 1 : 0;
      a[i] = Math.round((labels[i] + random.nextGaussian()) * 4) / 4.0;
      b[i] = a[i] + Math.round(random.nextGaussian() * 2) / 2.0;
    }

    PairedAuc.Comparison comparison = PairedAuc.compare(labels, a, b, 0, 1);

    assertEquals(pairwiseDelongStandardError(labels, a, b), comparison.delongStandardError(),
        1e-12);
  }

  @Test
  void bootstrapMatchesExactEnumeration() {
    double[] labels = {1, 0, 1, 0, 0, 1};
    double[] a = {0.8, 0.3, 0.6, 0.7, 0.1, 0.2};
    double[] b = {0.4, 0.5, 0.9, 0.2, 0.2, 0.6};

    PairedAuc.Comparison comparison = PairedAuc.compare(labels, a, b, 40_000, 3);

    double exact = exactBootstrapStandardError(labels, a, b);
    // 40,000 draws estimate a standard deviation to about 0.4 % (1 / sqrt(2 * 40,000)).
    assertEquals(exact, comparison.bootstrapStandardError(), 0.02 * exact);
    // P(one class) = 2 * 0.5^6 = 1/32, so about 1,250 of 40,000 draws are skipped.
    assertEquals(1250, comparison.skippedReplicates(), 150);
  }

  @Test
  void identicalScorersHaveZeroError() {
    double[] labels = {1, 0, 1, 0, 0};
    double[] scores = {0.3, 0.2, 0.9, 0.4, 0.1};

    PairedAuc.Comparison comparison = PairedAuc.compare(labels, scores, scores, 200, 9);

    assertEquals(0.0, comparison.difference());
    assertEquals(0.0, comparison.delongStandardError());
    assertEquals(0.0, comparison.bootstrapStandardError());
    assertEquals(0.0, comparison.delongZ());
  }

  @Test
  void invalidInputsAreRejected() {
    double[] labels = {1, 0};
    assertThrows(IllegalArgumentException.class,
        () -> PairedAuc.compare(labels, new double[] {1, 2}, new double[] {1}, 0, 1));
    assertThrows(IllegalArgumentException.class,
        () -> PairedAuc.compare(new double[] {1, 2}, labels, labels, 0, 1));
    assertThrows(IllegalArgumentException.class,
        () -> PairedAuc.compare(new double[] {1, 1}, labels, labels, 0, 1));
    assertThrows(IllegalArgumentException.class,
        () -> PairedAuc.compare(labels, labels, labels, -1, 1));
  }

  /** DeLong's variance written from the pair kernel psi, with explicit covariance matrices. */
  private static double pairwiseDelongStandardError(double[] labels, double[] a, double[] b) {
    double[][] scorers = {a, b};
    int positives = 0;
    for (double label : labels) {
      positives += (int) label;
    }
    int negatives = labels.length - positives;
    double[][] v10 = new double[2][positives];
    double[][] v01 = new double[2][negatives];
    for (int k = 0; k < 2; k++) {
      int p = 0;
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] != 1) {
          continue;
        }
        int q = 0;
        for (int j = 0; j < labels.length; j++) {
          if (labels[j] != 0) {
            continue;
          }
          double psi = pairScore(scorers[k][i], scorers[k][j]);
          v10[k][p] += psi / negatives;
          v01[k][q] += psi / positives;
          q++;
        }
        p++;
      }
    }
    double[][] s10 = covariance(v10);
    double[][] s01 = covariance(v01);
    double variance = (s10[0][0] + s10[1][1] - 2 * s10[0][1]) / positives
        + (s01[0][0] + s01[1][1] - 2 * s01[0][1]) / negatives;
    return Math.sqrt(variance);
  }

  private static double[][] covariance(double[][] rows) {
    int count = rows[0].length;
    double[] means = new double[2];
    for (int k = 0; k < 2; k++) {
      for (double value : rows[k]) {
        means[k] += value / count;
      }
    }
    double[][] covariance = new double[2][2];
    for (int k = 0; k < 2; k++) {
      for (int l = 0; l < 2; l++) {
        for (int i = 0; i < count; i++) {
          covariance[k][l] += (rows[k][i] - means[k]) * (rows[l][i] - means[l]) / (count - 1);
        }
      }
    }
    return covariance;
  }

  /** Enumerates all n^n equally likely draws and returns the SD of the AUC difference. */
  private static double exactBootstrapStandardError(double[] labels, double[] a, double[] b) {
    int size = labels.length;
    int[] picks = new int[size];
    double[] drawnLabels = new double[size];
    double[] drawnA = new double[size];
    double[] drawnB = new double[size];
    double sum = 0;
    double sumOfSquares = 0;
    long used = 0;
    long total = (long) Math.pow(size, size);

    for (long draw = 0; draw < total; draw++) {
      long rest = draw;
      int positives = 0;
      for (int i = 0; i < size; i++) {
        picks[i] = (int) (rest % size);
        rest /= size;
        drawnLabels[i] = labels[picks[i]];
        drawnA[i] = a[picks[i]];
        drawnB[i] = b[picks[i]];
        positives += (int) drawnLabels[i];
      }
      if (positives == 0 || positives == size) {
        continue;
      }

      double difference = ExactMetrics.mannWhitneyAuc(drawnA, drawnLabels)
          - ExactMetrics.mannWhitneyAuc(drawnB, drawnLabels);
      sum += difference;
      sumOfSquares += difference * difference;
      used++;
    }

    double mean = sum / used;
    return Math.sqrt(sumOfSquares / used - mean * mean);
  }

  /** Returns the Mann-Whitney kernel of a positive's and a negative's score: 1, 1/2 or 0. */
  private static double pairScore(double positive, double negative) {
    if (positive > negative) {
      return 1;
    }
    return positive == negative ? 0.5 : 0;
  }
}
