package io.shaver.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class FieldLayoutTest {

  @Test
  void fieldOfAtBoundaries() {
    FieldLayout layout = FieldLayout.fromSizes(List.of("a", "b", "c"), new int[] {3, 1, 2});

    assertArrayEquals(new int[] {0, 3, 4, 6}, layout.offsets());
    assertEquals(6, layout.rows());
    int[] expected = {0, 0, 0, 1, 2, 2};
    for (int row = 0; row < 6; row++) {
      assertEquals(expected[row], layout.fieldOf(row), "row " + row);
    }
    assertThrows(IndexOutOfBoundsException.class, () -> layout.fieldOf(6));
    assertThrows(IndexOutOfBoundsException.class, () -> layout.fieldOf(-1));
  }

  @Test
  void invalidLayoutsRejected() {
    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
        () -> FieldLayout.fromSizes(List.of("a", "b"), new int[] {2, 0}));
    assertTrue(empty.getMessage().contains("'b'"), empty.getMessage());

    IllegalArgumentException duplicate = assertThrows(IllegalArgumentException.class,
        () -> FieldLayout.of(List.of("a", "a"), new int[] {0, 1, 2}));
    assertTrue(duplicate.getMessage().contains("twice"), duplicate.getMessage());

    assertThrows(IllegalArgumentException.class,
        () -> FieldLayout.of(List.of("a"), new int[] {1, 2}));
    assertThrows(IllegalArgumentException.class,
        () -> FieldLayout.of(List.of("a", "b"), new int[] {0, 2}));
  }

  @Test
  void tableRejectsNonFiniteAndWrongLengths() {
    FieldLayout layout = FieldLayout.fromSizes(List.of("a"), new int[] {2});

    IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
        () -> EmbeddingTable.withZeroPlaceholder(layout, 2, new float[] {0, 1, Float.NaN, 2},
            null));
    assertTrue(nan.getMessage().contains("flat index 2"), nan.getMessage());

    assertThrows(IllegalArgumentException.class,
        () -> EmbeddingTable.withZeroPlaceholder(layout, 2, new float[3], null));
    assertThrows(IllegalArgumentException.class,
        () -> EmbeddingTable.withCodebook(layout, 2, new float[4], new float[3], null));
    assertThrows(IllegalArgumentException.class,
        () -> EmbeddingTable.withZeroPlaceholder(layout, 2, new float[4], new String[3]));
    assertThrows(IllegalArgumentException.class, () -> new TableShape(10, 40000, 1));
  }
}
