package io.shaver.shapley;

/**
 * Test permutation source that gives pass p the p-th permutation of 0..size-1 in
 * lexicographic order, for every sample. Averaging size! passes averages over every
 * permutation, which yields the exact Shapley values.
 */
final class AllPermutations implements PermutationSource {

  @Override
  public void permutation(long pass, long sampleKey, int size, int[] out, int offset) {
    boolean[] used = new boolean[size];
    long rank = pass;
    long factorial = 1;
    for (int i = 2; i < size; i++) {
      factorial *= i;
    }
    for (int i = 0; i < size; i++) {
      int skip = (int) (rank / factorial);
      rank %= factorial;
      if (i < size - 1) {
        factorial /= size - 1 - i;
      }
      int value = -1;
      for (int skipped = -1; skipped < skip; ) {
        value++;
        if (!used[value]) {
          skipped++;
        }
      }
      used[value] = true;
      out[offset + i] = value;
    }
  }

  static long factorial(int n) {
    long result = 1;
    for (int i = 2; i <= n; i++) {
      result *= i;
    }
    return result;
  }
}
