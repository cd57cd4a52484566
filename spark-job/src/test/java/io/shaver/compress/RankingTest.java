package io.shaver.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RankingTest {

  /** Orders indices independently, by sorting boxed indices with the documented comparator. */
  private static int[] referenceOrder(EmbeddingTable table, double[] phi, RankingKey key) {
    int dimension = table.shape().dimension();
    Integer[] indices = new Integer[phi.length];
    Arrays.setAll(indices, i -> i);
    Comparator<Integer> primary = Comparator.comparingDouble(i -> {
      double value = key == RankingKey.ABSOLUTE ? Math.abs(phi[i]) : phi[i];
      return value == 0.0 ? 0.0 : value;
    });
    Comparator<Integer> distance = Comparator.comparingDouble(i -> {
      int row = i / dimension;
      float placeholder = table.codebookValue(table.layout().fieldOf(row), i % dimension);
      return Math.abs(table.value(i) - placeholder);
    });
    Arrays.sort(indices, primary.thenComparing(distance).thenComparing(i -> i));
    return Arrays.stream(indices).mapToInt(Integer::intValue).toArray();
  }

  private static int[] order(Ranking ranking) {
    return ranking.prefix(ranking.size());
  }

  @Test
  void matchesReferenceWithManyTies() {
    Random random = new Random(11);
    EmbeddingTable table = SyntheticTables.codebookTable(SyntheticTables.layout(40, 25, 60), 8,
        random);
    double[] phi = SyntheticTables.tiedPhi(table.shape().parameters(), random);

    for (RankingKey key : RankingKey.values()) {
      assertArrayEquals(referenceOrder(table, phi, key), order(Ranking.rank(table, phi, key)),
          key.configName());
    }
  }

  @Test
  void matchesReferenceWithDistinctValues() {
    Random random = new Random(12);
    EmbeddingTable table = SyntheticTables.codebookTable(SyntheticTables.layout(500, 300), 16,
        random);
    double[] phi = new double[Math.toIntExact(table.shape().parameters())];
    for (int i = 0; i < phi.length; i++) {
      phi[i] = random.nextGaussian() * Math.pow(10, random.nextInt(12) - 8);
    }

    for (RankingKey key : RankingKey.values()) {
      assertArrayEquals(referenceOrder(table, phi, key), order(Ranking.rank(table, phi, key)),
          key.configName());
    }
  }

  @Test
  void separatesValuesThatDifferInLowBits() {
    // These phi share their top 33 bits, so only the refinement pass orders them.
    Random random = new Random(13);
    EmbeddingTable table = SyntheticTables.codebookTable(SyntheticTables.layout(50), 4, random);
    double[] phi = new double[200];
    for (int i = 0; i < phi.length; i++) {
      long bits = Double.doubleToLongBits(0.25) + random.nextInt(1000);
      phi[i] = (random.nextBoolean() ? 1 : -1) * Double.longBitsToDouble(bits);
    }

    for (RankingKey key : RankingKey.values()) {
      assertArrayEquals(referenceOrder(table, phi, key), order(Ranking.rank(table, phi, key)),
          key.configName());
    }
  }

  @Test
  void zeroPhiTiesBrokenByDistanceThenIndex() {
    FieldLayout layout = SyntheticTables.layout(2, 1);
    float[] values = {
        0.5f, 0.1f,
        0.3f, 0.3f,
        -2f, 1f};
    float[] codebook = {0.3f, 0f, 0f, 1f};
    EmbeddingTable table = EmbeddingTable.withCodebook(layout, 2, values, codebook, null);
    double[] phi = {0.0, -0.0, 0.0, 0.0, 0.0, 7.0};

    Ranking ranking = Ranking.rank(table, phi, RankingKey.ABSOLUTE);

    // distances |E - C|: 0.2, 0.1, 0.0, 0.3, 2.0, then flat index 5 last by phi
    assertArrayEquals(new int[] {2, 1, 0, 3, 4, 5}, order(ranking));
  }

  @Test
  void signedRankingPrunesMostHarmfulFirst() {
    FieldLayout layout = SyntheticTables.layout(3);
    EmbeddingTable table = EmbeddingTable.withZeroPlaceholder(layout, 1,
        new float[] {1f, 1f, 1f}, null);
    double[] phi = {0.1, -5.0, 0.0};

    assertArrayEquals(new int[] {2, 0, 1},
        order(Ranking.rank(table, phi, RankingKey.ABSOLUTE)));
    assertArrayEquals(new int[] {1, 2, 0},
        order(Ranking.rank(table, phi, RankingKey.SIGNED)));
  }

  @Test
  void sameResultWhenTiedSignsShuffled() {
    Random random = new Random(14);
    EmbeddingTable table = SyntheticTables.codebookTable(SyntheticTables.layout(300, 200), 16,
        random);
    double[] phi = SyntheticTables.tiedPhi(table.shape().parameters(), random);
    double[] flipped = phi.clone();
    for (int i = 0; i < flipped.length; i++) {
      if (random.nextBoolean()) {
        flipped[i] = -flipped[i];
      }
    }

    int[] first = order(Ranking.rank(table, phi, RankingKey.ABSOLUTE));
    int[] second = order(Ranking.rank(table, flipped, RankingKey.ABSOLUTE));
    int[] repeated = order(Ranking.rank(table, phi, RankingKey.ABSOLUTE));

    assertArrayEquals(first, second);
    assertArrayEquals(first, repeated);
  }

  @Test
  void orderIsPermutationAndMasksNest() {
    Random random = new Random(15);
    EmbeddingTable table = SyntheticTables.codebookTable(SyntheticTables.layout(97, 3), 5,
        random);
    double[] phi = SyntheticTables.tiedPhi(table.shape().parameters(), random);
    Ranking ranking = Ranking.rank(table, phi, RankingKey.ABSOLUTE);
    int size = ranking.size();

    int[] sorted = order(ranking);
    Arrays.sort(sorted);
    for (int i = 0; i < size; i++) {
      assertEquals(i, sorted[i]);
    }

    PruneMask grown = PruneMask.empty(ranking);
    boolean[] previous = new boolean[size];
    for (double ratio : new double[] {0.0, 0.2, 0.5, 0.9, 0.99, 0.999}) {
      int pruned = Math.toIntExact(size - Budget.sparsity(ratio).keptCount(table.shape()));
      grown.extendTo(pruned);
      PruneMask fresh = PruneMask.prefix(ranking, pruned);
      int count = 0;
      for (int i = 0; i < size; i++) {
        assertEquals(fresh.isPruned(i), grown.isPruned(i), "index " + i);
        if (previous[i]) {
          assertTrue(fresh.isPruned(i), "mask of " + ratio + " drops index " + i);
        }
        previous[i] = fresh.isPruned(i);
        count += fresh.isPruned(i) ? 1 : 0;
      }
      assertEquals(pruned, count, "pruned count at " + ratio);
      assertEquals((long) Math.floor(size * ratio + 1e-9), pruned, "floor at " + ratio);
    }
    assertThrows(IllegalArgumentException.class, () -> grown.extendTo(0));
  }

  @Test
  void nonFinitePhiRejectedWithIndex() {
    EmbeddingTable table = EmbeddingTable.withZeroPlaceholder(SyntheticTables.layout(2), 2,
        new float[4], null);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Ranking.rank(table, new double[] {0, 1, Double.NaN, 2}, RankingKey.ABSOLUTE));

    assertTrue(e.getMessage().contains("flat index 2"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Ranking.rank(table, new double[3], RankingKey.ABSOLUTE));
  }

  @Test
  void sortableBitsPreserveOrder() {
    double[] ascending = {-Double.MAX_VALUE, -3.5, -1e-300, -Double.MIN_VALUE, 0.0,
        Double.MIN_VALUE, 1e-300, 2.0, Double.MAX_VALUE};
    for (int i = 1; i < ascending.length; i++) {
      assertTrue(Ranking.sortableBits(ascending[i - 1], RankingKey.SIGNED)
          < Ranking.sortableBits(ascending[i], RankingKey.SIGNED), "at " + ascending[i]);
    }
    assertEquals(Ranking.sortableBits(0.0, RankingKey.SIGNED),
        Ranking.sortableBits(-0.0, RankingKey.SIGNED));
    assertEquals(Ranking.sortableBits(3.0, RankingKey.ABSOLUTE),
        Ranking.sortableBits(-3.0, RankingKey.ABSOLUTE));
  }
}
