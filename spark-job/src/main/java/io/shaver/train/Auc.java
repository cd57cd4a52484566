package io.shaver.train;

import java.util.Arrays;

/** Area under the ROC curve, computed exactly. */
public final class Auc {

  private Auc() {}

  /**
   * Returns the exact ROC AUC of {@code scores} against binary {@code labels} by the
   * Mann-Whitney U statistic: the probability that a random positive scores above a random
   * negative, counting ties as one half.
   *
   * <p>Ranks are averaged over tied scores, so the result equals the trapezoidal area under the
   * ROC curve. Runs in {@code O(count log count)}. Labels above 0.5 are positives.
   *
   * @return the AUC in {@code [0, 1]}, or NaN if there are no positives or no negatives
   * @throws IllegalArgumentException if the arrays are shorter than {@code count} or a score is
   *     NaN
   */
  public static double mannWhitney(float[] scores, float[] labels, int count) {
    if (scores.length < count || labels.length < count) {
      throw new IllegalArgumentException("Invalid AUC input: " + count + " samples but "
          + scores.length + " scores and " + labels.length + " labels");
    }
    long[] keys = new long[count];
    for (int i = 0; i < count; i++) {
      if (Float.isNaN(scores[i])) {
        throw new IllegalArgumentException("Invalid score NaN at index " + i);
      }
      keys[i] = ((long) sortableBits(scores[i]) << 32) | i;
    }
    Arrays.sort(keys);
    long positives = 0;
    double positiveRankSum = 0;
    int start = 0;
    while (start < count) {
      int end = start;
      int bits = (int) (keys[start] >> 32);
      while (end < count && (int) (keys[end] >> 32) == bits) {
        end++;
      }
      // Samples start..end-1 tie; each gets the mean of ranks start+1..end.
      double meanRank = (start + 1 + end) / 2.0;
      for (int k = start; k < end; k++) {
        if (labels[(int) keys[k]] > 0.5f) {
          positives++;
          positiveRankSum += meanRank;
        }
      }
      start = end;
    }
    long negatives = count - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    double u = positiveRankSum - positives * (positives + 1) / 2.0;
    return u / ((double) positives * negatives);
  }

  /** Maps a float to an int whose signed order is the float order, with -0 equal to +0. */
  private static int sortableBits(float value) {
    int bits = Float.floatToIntBits(value == 0f ? 0f : value);
    return bits >= 0 ? bits : bits ^ 0x7fffffff;
  }
}
