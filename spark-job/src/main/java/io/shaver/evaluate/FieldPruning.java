package io.shaver.evaluate;

import java.util.Arrays;

/**
 * Counts, per field, how many parameters each budget of one pruning order prunes.
 *
 * <p>One pass over the n·d positions: each parameter is credited to the first budget (in
 * ascending pruned count) that prunes it, and a prefix sum over budgets gives the counts,
 * because nested masks prune every parameter of a smaller budget in each larger one.
 */
final class FieldPruning {

  private FieldPruning() {
  }

  /**
   * Returns {@code counts[v][f]}: parameters of field {@code f} pruned by variant {@code v}.
   *
   * @param positions ranking position of each flat index r·d + j
   * @param prunedCounts pruned parameters of each variant
   * @param offsets m + 1 row offsets: field f owns rows [offsets[f], offsets[f + 1])
   * @param dimension d
   */
  static long[][] prunedPerField(int[] positions, int[] prunedCounts, int[] offsets,
      int dimension) {
    int fields = offsets.length - 1;
    int[] ascending = prunedCounts.clone();
    Arrays.sort(ascending);
    // firstPruning[s][f]: parameters of field f whose first pruning budget is ascending[s].
    long[][] firstPruning = new long[ascending.length][fields];
    for (int f = 0; f < fields; f++) {
      int end = offsets[f + 1] * dimension;
      for (int flat = offsets[f] * dimension; flat < end; flat++) {
        int budget = firstBudgetPruning(ascending, positions[flat]);
        if (budget < ascending.length) {
          firstPruning[budget][f]++;
        }
      }
    }
    for (int s = 1; s < ascending.length; s++) {
      for (int f = 0; f < fields; f++) {
        firstPruning[s][f] += firstPruning[s - 1][f];
      }
    }
    long[][] counts = new long[prunedCounts.length][];
    for (int v = 0; v < prunedCounts.length; v++) {
      counts[v] = firstPruning[lastIndexOf(ascending, prunedCounts[v])].clone();
    }
    return counts;
  }

  /** Returns the first s with position < ascending[s], or ascending.length if none. */
  private static int firstBudgetPruning(int[] ascending, int position) {
    int low = 0;
    int high = ascending.length;
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (position < ascending[middle]) {
        high = middle;
      } else {
        low = middle + 1;
      }
    }
    return low;
  }

  private static int lastIndexOf(int[] ascending, int value) {
    int index = Arrays.binarySearch(ascending, value);
    while (index + 1 < ascending.length && ascending[index + 1] == value) {
      index++;
    }
    return index;
  }
}
