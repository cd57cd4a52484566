package io.shaver.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PrunedTableTest {

  @Test
  void servedMatchesMaskEntryByEntry() {
    Random random = new Random(21);
    EmbeddingTable table = SyntheticTables.codebookTable(SyntheticTables.layout(30, 12, 8), 6,
        random);
    double[] phi = SyntheticTables.tiedPhi(table.shape().parameters(), random);
    Ranking ranking = Ranking.rank(table, phi, RankingKey.ABSOLUTE);
    int dimension = table.shape().dimension();

    for (int pruned : new int[] {0, 1, 100, 200, 299, 300}) {
      PruneMask mask = PruneMask.prefix(ranking, pruned);
      PrunedTable pruneResult = PrunedTable.build(table, mask);

      assertEquals(300 - pruned, pruneResult.keptCount());
      assertEquals(pruned, pruneResult.prunedCount());
      float[] row = new float[dimension];
      for (int r = 0; r < table.shape().rows(); r++) {
        pruneResult.servedRow(r, row);
        int field = table.layout().fieldOf(r);
        for (int j = 0; j < dimension; j++) {
          int flat = r * dimension + j;
          float expected = mask.isPruned(flat) ? table.codebookValue(field, j) : table.value(flat);
          assertEquals(expected, row[j], 0f, "row " + r + " dim " + j);
          assertEquals(expected, pruneResult.served(r, j), 0f, "served " + r + " " + j);
        }
      }
    }
  }

  @Test
  void csrEntriesAndRowLookup() {
    FieldLayout layout = SyntheticTables.layout(2, 2);
    float[] values = {
        1, 2, 3,
        4, 5, 6,
        7, 8, 9,
        10, 11, 12};
    EmbeddingTable table = EmbeddingTable.withZeroPlaceholder(layout, 3, values, null);
    // Prune everything in rows 1 and 2, and dims 0 and 2 of row 3.
    double[] phi = {5, 5, 5, 0, 0, 0, 0, 0, 0, 0, 5, 0};
    PrunedTable pruned = PrunedTable.build(table,
        PruneMask.prefix(Ranking.rank(table, phi, RankingKey.ABSOLUTE), 8));

    assertEquals(4, pruned.keptCount());
    assertEquals(0, pruned.keptStart(0));
    assertEquals(3, pruned.keptEnd(0));
    assertEquals(3, pruned.keptStart(1));
    assertEquals(3, pruned.keptEnd(2));
    assertEquals(4, pruned.keptEnd(3));
    assertEquals(1, pruned.column(3));
    assertEquals(11f, pruned.keptValue(3), 0f);
    assertEquals(0, pruned.rowOf(0));
    assertEquals(0, pruned.rowOf(2));
    assertEquals(3, pruned.rowOf(3));
    assertArrayEquals(new int[] {1, 2}, pruned.prunedRows());
    assertArrayEquals(new int[] {0, -1, -1, 1}, pruned.rowRemap());
  }

  @Test
  void keptZeroStaysZero() {
    FieldLayout layout = SyntheticTables.layout(2);
    float[] values = {0f, 0.5f, 0f, -0.25f};
    float[] codebook = {0.75f, 0.75f};
    EmbeddingTable table = EmbeddingTable.withCodebook(layout, 2, values, codebook, null);
    // Keep flat 0 (value 0.0) and flat 3; prune 1 and 2.
    double[] phi = {9, 0, 0, 9};
    PrunedTable pruned = PrunedTable.build(table,
        PruneMask.prefix(Ranking.rank(table, phi, RankingKey.ABSOLUTE), 2));

    assertEquals(0f, pruned.served(0, 0), 0f);
    assertEquals(0.75f, pruned.served(0, 1), 0f);
    assertEquals(0.75f, pruned.served(1, 0), 0f);
    assertEquals(-0.25f, pruned.served(1, 1), 0f);
    assertTrue(pruned.prunedRows().length == 0);
  }
}
