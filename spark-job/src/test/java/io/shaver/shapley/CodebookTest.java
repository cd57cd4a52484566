package io.shaver.shapley;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CodebookTest {
  // Field sizes [2, 4, 2], d = 2. Row r is (r + 1, -(r + 1) * 0.5).
  private static final TableLayout LAYOUT = TableLayout.of(new int[] {2, 4, 2}, 2);
  private static final float[] TABLE = table();

  private static float[] table() {
    float[] table = new float[16];
    for (int r = 0; r < 8; r++) {
      table[2 * r] = r + 1;
      table[2 * r + 1] = -(r + 1) * 0.5f;
    }
    return table;
  }

  @Test
  void weightedMeanMatchesHandComputation() {
    long[] counts = {5, 4, 5, 2, 1, 1, 8, 1};
    Codebook codebook = Codebook.compute(LAYOUT, TABLE, counts);
    // field 0: (5*1 + 4*2) / 9; field 1: (5*3 + 2*4 + 1*5 + 1*6) / 9; field 2: (8*7 + 1*8) / 9
    float[] expected = {
        13f / 9, -13f / 18,
        34f / 9, -17f / 9,
        64f / 9, -32f / 9};
    assertArrayEquals(expected, codebook.values(), 1e-6f);
  }

  @Test
  void fieldWithoutCountsFallsBackToPlainMean() {
    long[] counts = {0, 0, 1, 0, 0, 0, 3, 1};
    Codebook codebook = Codebook.compute(LAYOUT, TABLE, counts);
    assertEquals(1.5f, codebook.value(0, 0), 1e-6f);
    assertEquals(-0.75f, codebook.value(0, 1), 1e-6f);
    assertEquals(3f, codebook.value(1, 0), 1e-6f);
    assertEquals((3 * 7 + 8) / 4f, codebook.value(2, 0), 1e-6f);
  }

  @Test
  void rejectsMismatchedInputs() {
    assertThrows(IllegalArgumentException.class,
        () -> Codebook.compute(LAYOUT, new float[15], new long[8]));
    assertThrows(IllegalArgumentException.class,
        () -> Codebook.compute(LAYOUT, TABLE, new long[7]));
    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
        () -> Codebook.compute(LAYOUT, TABLE, new long[] {1, 1, 1, -1, 1, 1, 1, 1}));
    assertEquals("counts[3] must be >= 0, got -1", negative.getMessage());
  }

  @Test
  void placeholderTakesCodebookOrZero() {
    Codebook codebook = Codebook.compute(LAYOUT, TABLE, new long[] {1, 1, 1, 1, 1, 1, 1, 1});
    Placeholder fromCodebook = Placeholder.of(PlaceholderKind.CODEBOOK, LAYOUT, codebook);
    assertEquals(codebook.value(2, 1), fromCodebook.value(5));
    Placeholder zero = Placeholder.of(PlaceholderKind.ZERO, LAYOUT, codebook);
    assertEquals(0f, zero.value(5));
    assertEquals(6, zero.coordinates());
    assertThrows(IllegalArgumentException.class,
        () -> Placeholder.of(PlaceholderKind.CODEBOOK, LAYOUT, null));
  }

  @Test
  void layoutFindsFieldOfRow() {
    int[] expected = {0, 0, 1, 1, 1, 1, 2, 2};
    for (int r = 0; r < 8; r++) {
      assertEquals(expected[r], LAYOUT.fieldOfRow(r), "row " + r);
    }
    assertEquals(16, LAYOUT.parameters());
    assertEquals(6, LAYOUT.coordinates());
    assertThrows(IllegalArgumentException.class, () -> LAYOUT.fieldOfRow(8));
  }
}
