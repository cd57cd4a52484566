package io.shaver.shapley;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PermutationSourceTest {

  @Test
  void sameInputsGiveSamePermutation() {
    int[] first = permutation(PermutationSource.seeded(11), 3, 42, 624);
    int[] again = permutation(PermutationSource.seeded(11), 3, 42, 624);
    assertArrayEquals(first, again);
  }

  @Test
  void everyInputChangesPermutation() {
    int[] base = permutation(PermutationSource.seeded(11), 3, 42, 624);
    assertFalse(Arrays.equals(base, permutation(PermutationSource.seeded(12), 3, 42, 624)));
    assertFalse(Arrays.equals(base, permutation(PermutationSource.seeded(11), 4, 42, 624)));
    assertFalse(Arrays.equals(base, permutation(PermutationSource.seeded(11), 3, 43, 624)));
  }

  @Test
  void writesValidPermutationAtOffset() {
    int[] out = new int[700];
    Arrays.fill(out, -7);
    PermutationSource.seeded(1).permutation(0, 5, 624, out, 50);
    int[] written = Arrays.copyOfRange(out, 50, 674);
    Arrays.sort(written);
    for (int i = 0; i < 624; i++) {
      assertEquals(i, written[i]);
    }
    assertEquals(-7, out[49]);
    assertEquals(-7, out[674]);
  }

  @Test
  void allPermutationsOfFourAreEquallyLikely() {
    // 24 permutations, 48,000 draws: chi-square with 23 degrees of freedom; 49.7 is its
    // 0.999 quantile.
    PermutationSource source = PermutationSource.seeded(2023);
    int[] counts = new int[24];
    int draws = 48_000;
    for (int key = 0; key < draws; key++) {
      counts[rank(permutation(source, 0, key, 4))]++;
    }
    double expected = draws / 24.0;
    double chiSquare = 0;
    for (int count : counts) {
      chiSquare += (count - expected) * (count - expected) / expected;
    }
    assertTrue(chiSquare < 49.7, "chi-square " + chiSquare);
  }

  @Test
  void firstPositionUniformOverLargePermutation() {
    // Position 0 of a 624-element permutation over 62,400 keys: chi-square, 623 degrees of
    // freedom, 0.999 quantile about 738.
    PermutationSource source = PermutationSource.seeded(5);
    int[] counts = new int[624];
    int draws = 62_400;
    for (int key = 0; key < draws; key++) {
      counts[permutation(source, 1, key, 624)[0]]++;
    }
    double expected = draws / 624.0;
    double chiSquare = 0;
    for (int count : counts) {
      chiSquare += (count - expected) * (count - expected) / expected;
    }
    assertTrue(chiSquare < 738, "chi-square " + chiSquare);
  }

  private static int[] permutation(PermutationSource source, long pass, long key, int size) {
    int[] out = new int[size];
    source.permutation(pass, key, size, out, 0);
    return out;
  }

  /** Returns the lexicographic rank of a permutation of 0..3. */
  private static int rank(int[] permutation) {
    int rank = 0;
    for (int i = 0; i < permutation.length; i++) {
      int smaller = 0;
      for (int j = i + 1; j < permutation.length; j++) {
        if (permutation[j] < permutation[i]) {
          smaller++;
        }
      }
      rank = rank * (permutation.length - i) + smaller;
    }
    return rank;
  }
}
