package io.shaver.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BudgetTest {

  private static final TableShape HUNDRED = new TableShape(25, 4, 3);

  @Test
  void sparsityPrunesFloorOfProduct() {
    TableShape shape = new TableShape(1000, 16, 5);
    double[] ratios = {0.0, 0.5, 0.8, 0.9, 0.95, 0.99, 0.999, 0.9999};
    long[] expectedPruned = {0, 8000, 12800, 14400, 15200, 15840, 15984, 15998};

    for (int i = 0; i < ratios.length; i++) {
      long kept = Budget.sparsity(ratios[i]).keptCount(shape);
      assertEquals(16000 - expectedPruned[i], kept, "sparsity " + ratios[i]);
    }
  }

  @Test
  void sparsityUsesDecimalValue() {
    // 100 * 0.29 in double is 28.999999999999996; the decimal product is 29.
    assertEquals(71, Budget.sparsity(0.29).keptCount(HUNDRED));
    assertEquals(43, Budget.sparsity(0.57).keptCount(HUNDRED));
  }

  @Test
  void sparsityOnTinyTableRoundsDown() {
    TableShape tiny = new TableShape(1, 3, 1);

    assertEquals(3, Budget.sparsity(0.3).keptCount(tiny));
    assertEquals(2, Budget.sparsity(0.34).keptCount(tiny));
    assertEquals(2, Budget.sparsity(0.66).keptCount(tiny));
    assertEquals(1, Budget.sparsity(0.67).keptCount(tiny));
    assertEquals(1, Budget.sparsity(0.999).keptCount(tiny));
  }

  @Test
  void sparsityOneRejectedWithHint() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Budget.sparsity(1.0));

    assertTrue(e.getMessage().contains("1.0"), e.getMessage());
    assertTrue(e.getMessage().contains("kept budget of 0"), e.getMessage());
  }

  @Test
  void invalidValuesNamedInMessage() {
    assertMessageContains(() -> Budget.sparsity(-0.1), "-0.1");
    assertMessageContains(() -> Budget.sparsity(1.5), "1.5");
    assertMessageContains(() -> Budget.sparsity(Double.NaN), "NaN");
    assertMessageContains(() -> Budget.kept(-3), "-3");
    assertMessageContains(() -> Budget.bytes(0, StorageFormat.INT8), "0");
    assertMessageContains(() -> Budget.kept(101).keptCount(HUNDRED), "101");
  }

  private static void assertMessageContains(Runnable action, String value) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
    assertTrue(e.getMessage().contains(value), e.getMessage());
  }

  @Test
  void keptBudgetExactIncludingEdges() {
    assertEquals(0, Budget.kept(0).keptCount(HUNDRED));
    assertEquals(37, Budget.kept(37).keptCount(HUNDRED));
    assertEquals(100, Budget.kept(100).keptCount(HUNDRED));
  }

  @Test
  void byteBudgetExactAtBoundary() {
    TableShape shape = new TableShape(1000, 16, 5);
    for (StorageFormat format : StorageFormat.values()) {
      StorageCost cost = new StorageCost(shape, format);
      long bytes = cost.fixedBytes() + 1234 * cost.bytesPerKept() + cost.bytesPerKept() - 1;

      long kept = Budget.bytes(bytes, format).keptCount(shape);

      assertEquals(1234, kept, format.configName());
      assertTrue(cost.payloadBytes(kept) <= bytes, format.configName());
      assertTrue(cost.payloadBytes(kept + 1) > bytes, format.configName());
      assertEquals(1235, Budget.bytes(bytes + 1, format).keptCount(shape), format.configName());
    }
  }

  @Test
  void storageCostCountsEveryPart() {
    TableShape shape = new TableShape(1000, 16, 5);

    // row pointers 4*1001, codebook 4*5*16, field offsets 4*6, scale and zero point 8
    assertEquals(4004 + 320 + 24 + 8, new StorageCost(shape, StorageFormat.INT8).fixedBytes());
    assertEquals(4004 + 320 + 24, new StorageCost(shape, StorageFormat.FLOAT32).fixedBytes());
    assertEquals(5, new StorageCost(shape, StorageFormat.FLOAT32).bytesPerKept());
    assertEquals(3, new StorageCost(shape, StorageFormat.FP16).bytesPerKept());
    assertEquals(2, new StorageCost(shape, StorageFormat.INT8).bytesPerKept());
    TableShape wide = new TableShape(10, 300, 2);
    assertEquals(6, new StorageCost(wide, StorageFormat.FLOAT32).bytesPerKept());
  }

  @Test
  void byteBudgetCapsAtAllParameters() {
    assertEquals(100, Budget.bytes(1L << 40, StorageFormat.FLOAT32).keptCount(HUNDRED));
  }

  @Test
  void byteBudgetBelowFixedPayloadRejected() {
    TableShape shape = new TableShape(1000, 16, 5);
    long fixed = new StorageCost(shape, StorageFormat.FP16).fixedBytes();

    assertEquals(0, Budget.bytes(fixed, StorageFormat.FP16).keptCount(shape));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Budget.bytes(fixed - 1, StorageFormat.FP16).keptCount(shape));
    assertTrue(e.getMessage().contains(Long.toString(fixed - 1)), e.getMessage());
    assertTrue(e.getMessage().contains("at least " + fixed), e.getMessage());
  }

  @Test
  void labelsAreStableAndSafe() {
    assertEquals("sparsity=0.9", Budget.sparsity(0.9).label());
    assertEquals("sparsity=0", Budget.sparsity(0.0).label());
    assertEquals("sparsity=0.0001", Budget.sparsity(1e-4).label());
    assertEquals("sparsity=0.999", Budget.sparsity(0.999).label());
    assertEquals("kept=10000", Budget.kept(10000).label());
    assertEquals("bytes=1MB-int8", Budget.bytes(1_000_000, StorageFormat.INT8).label());
    assertEquals("bytes=1MiB-fp16", Budget.bytes(1 << 20, StorageFormat.FP16).label());
    assertEquals("bytes=1500B-float32", Budget.bytes(1500, StorageFormat.FLOAT32).label());
    assertEquals("budget=kept=5", Budget.kept(5).directoryName());
    for (Budget budget : new Budget[] {Budget.sparsity(0.123456789), Budget.kept(7),
        Budget.bytes(123_456_789, StorageFormat.FP16)}) {
      assertTrue(budget.label().matches("[A-Za-z0-9=.-]+"), budget.label());
    }
  }

  @Test
  void byteSizesParseUnits() {
    assertEquals(1_000_000, ByteSizes.parse("1MB"));
    assertEquals(1_048_576, ByteSizes.parse("1MiB"));
    assertEquals(1_500_000, ByteSizes.parse("1.5 mb"));
    assertEquals(512 * 1024, ByteSizes.parse("512KiB"));
    assertEquals(262_144, ByteSizes.parse("262144"));
    assertEquals(7, ByteSizes.parse("7B"));
    assertThrows(IllegalArgumentException.class, () -> ByteSizes.parse("1.0000001KB"));
    assertThrows(IllegalArgumentException.class, () -> ByteSizes.parse("12 parsecs"));
    assertThrows(IllegalArgumentException.class, () -> ByteSizes.parse("-5MB"));
  }

  @Test
  void byteSizesFormatShortest() {
    assertEquals("1MB", ByteSizes.format(1_000_000));
    assertEquals("1MiB", ByteSizes.format(1_048_576));
    assertEquals("1024KB", ByteSizes.format(1_024_000));
    assertEquals("1500B", ByteSizes.format(1500));
    assertEquals("2GB", ByteSizes.format(2_000_000_000L));
    for (long bytes : new long[] {1, 999, 1000, 4096, 1_500_000, 3L << 30}) {
      assertEquals(bytes, ByteSizes.parse(ByteSizes.format(bytes)), "round trip " + bytes);
    }
  }
}
