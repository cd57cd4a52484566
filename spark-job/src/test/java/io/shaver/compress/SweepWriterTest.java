package io.shaver.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaver.output.AtomicDirectory;
import io.shaver.output.ParquetTables;
import io.shaver.output.Provenance;
import io.shaver.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepWriterTest {

  private static final Provenance PROVENANCE = Provenance.of("compress", "output: x\n", 2023);

  private static org.apache.hadoop.fs.Path hadoop(Path path) {
    return new org.apache.hadoop.fs.Path(path.toString());
  }

  /** Reads a budget's kept/ as flat index → value. */
  private static Map<Long, Float> readKept(SparkSession spark, Path budget, int dimension) {
    Map<Long, Float> kept = new HashMap<>();
    for (Row row : spark.read().parquet(budget.resolve("kept").toString()).collectAsList()) {
      long flat = row.getLong(row.fieldIndex("global_id")) * dimension
          + row.getInt(row.fieldIndex("dimension"));
      kept.put(flat, row.getFloat(row.fieldIndex("value")));
    }
    return kept;
  }

  @Test
  void sweepWritesNestedBudgetsThatReadBack(@TempDir Path directory) {
    SparkSession spark = SharedSpark.get();
    Random random = new Random(61);
    EmbeddingTable table = SyntheticTables.codebookTable(SyntheticTables.layout(120, 45, 35), 8,
        random);
    double[] phi = SyntheticTables.tiedPhi(table.shape().parameters(), random);
    long fixed = new StorageCost(table.shape(), StorageFormat.FLOAT32).fixedBytes();
    CompressSettings settings = CompressSettings.builder()
        .sparsities(List.of(0.9, 0.0, 0.5, 0.999))
        .keptCounts(List.of(321L))
        .byteBudgets(List.of(fixed + 5 * 400 + 4))
        .build();
    Path budgets = directory.resolve("budgets");

    List<BudgetResult> results = new SweepWriter(settings, PROVENANCE, new Configuration())
        .write(table, phi, "shapley/", hadoop(budgets));

    int parameters = 1600;
    long[] expectedKept = {160, 1600, 800, 2, 321, 400};
    assertEquals(6, results.size());
    Map<Long, Map<Long, Float>> keptByCount = new HashMap<>();
    for (int i = 0; i < results.size(); i++) {
      BudgetResult result = results.get(i);
      Path budget = budgets.resolve(result.budget().directoryName());
      assertEquals(expectedKept[i], result.kept(), result.budget().label());
      assertEquals(parameters - expectedKept[i], result.pruned(), result.budget().label());
      assertTrue(Files.exists(budget.resolve(AtomicDirectory.SUCCESS_MARKER)));

      Map<Long, Float> kept = readKept(spark, budget, 8);
      assertEquals(expectedKept[i], kept.size(), result.budget().label());
      kept.forEach((flat, value) -> assertEquals(table.value(Math.toIntExact(flat)), value, 0f));
      keptByCount.put(result.kept(), kept);
      assertArtifactMatchesParquet(table, kept, budget);
      assertPrunedRowsMatch(spark, table, kept, budget);
    }

    long[] ascending = {2, 160, 321, 400, 800, 1600};
    for (int i = 1; i < ascending.length; i++) {
      Set<Long> smaller = keptByCount.get(ascending[i - 1]).keySet();
      Set<Long> larger = keptByCount.get(ascending[i]).keySet();
      assertTrue(larger.containsAll(smaller), "kept " + ascending[i - 1] + " not inside kept "
          + ascending[i]);
    }
  }

  private static void assertArtifactMatchesParquet(EmbeddingTable table, Map<Long, Float> kept,
      Path budget) {
    ArtifactReader artifact = ArtifactReader.open(budget.resolve(BudgetWriter.ARTIFACT));
    int dimension = table.shape().dimension();
    for (int row = 0; row < table.shape().rows(); row++) {
      float[] served = artifact.lookup(row);
      int field = table.layout().fieldOf(row);
      for (int j = 0; j < dimension; j++) {
        Float value = kept.get((long) row * dimension + j);
        float expected = value != null ? value : table.codebookValue(field, j);
        assertEquals(expected, served[j], 0f, budget.getFileName() + " row " + row);
      }
    }
  }

  private static void assertPrunedRowsMatch(SparkSession spark, EmbeddingTable table,
      Map<Long, Float> kept, Path budget) {
    Set<Long> rowsWithKept = new HashSet<>();
    kept.keySet().forEach(flat -> rowsWithKept.add(flat / table.shape().dimension()));
    List<Row> pruned = spark.read().parquet(budget.resolve("pruned_rows").toString())
        .collectAsList();
    assertEquals(table.shape().rows() - rowsWithKept.size(), pruned.size());
    for (Row row : pruned) {
      long id = row.getLong(row.fieldIndex("global_id"));
      assertFalse(rowsWithKept.contains(id), "row " + id + " keeps an entry");
      int field = table.layout().fieldOf(Math.toIntExact(id));
      assertEquals(table.layout().name(field), row.getString(row.fieldIndex("field")));
      assertEquals(table.token(Math.toIntExact(id)), row.getString(row.fieldIndex("token")));
    }
  }

  @Test
  void parquetCarriesProvenanceAndCodebook(@TempDir Path directory) {
    SparkSession spark = SharedSpark.get();
    Random random = new Random(62);
    EmbeddingTable table = SyntheticTables.codebookTable(SyntheticTables.layout(10, 6), 4,
        random);
    double[] phi = SyntheticTables.tiedPhi(table.shape().parameters(), random);
    CompressSettings settings = CompressSettings.builder().sparsities(List.of(0.75))
        .format(StorageFormat.INT8).ranking(RankingKey.SIGNED).build();
    Path budgets = directory.resolve("budgets");

    BudgetResult result = new SweepWriter(settings, PROVENANCE, new Configuration())
        .write(table, phi, "runs/x/shapley", hadoop(budgets)).get(0);

    Path budget = budgets.resolve("budget=sparsity=0.75");
    Map<String, String> metadata = ParquetTables.readMetadata(hadoop(budget.resolve("kept")),
        new Configuration());
    assertEquals("sparsity=0.75", metadata.get("shaver.compress.budget"));
    assertEquals("sparsity", metadata.get("shaver.compress.budget_kind"));
    assertEquals("0.75", metadata.get("shaver.compress.requested"));
    assertEquals("16", metadata.get("shaver.compress.kept"));
    assertEquals("48", metadata.get("shaver.compress.pruned"));
    assertEquals("16", metadata.get("shaver.compress.rows"));
    assertEquals("4", metadata.get("shaver.compress.dimension"));
    assertEquals("signed", metadata.get("shaver.compress.ranking"));
    assertEquals("codebook", metadata.get("shaver.compress.placeholder"));
    assertEquals("runs/x/shapley", metadata.get("shaver.compress.phi_source"));
    assertEquals("int8", metadata.get("shaver.compress.format"));
    assertEquals(Long.toString(result.artifactBytes()),
        metadata.get("shaver.compress.artifact_bytes"));
    assertEquals("256", metadata.get("shaver.compress.dense_bytes"));
    assertEquals("2023", metadata.get("shaver.seed"));

    List<Row> codebook = spark.read().parquet(budget.resolve("codebook").toString())
        .orderBy("field", "dimension").collectAsList();
    assertEquals(8, codebook.size());
    Row last = codebook.get(7);
    assertEquals("f1", last.getString(0));
    assertEquals(3, last.getInt(1));
    assertEquals(table.codebookValue(1, 3), last.getFloat(2), 0f);

    ArtifactReader artifact = ArtifactReader.open(budget.resolve(BudgetWriter.ARTIFACT));
    assertEquals(StorageFormat.INT8, artifact.format());
    assertEquals("sparsity=0.75", artifact.metadata().get("shaver.compress.budget"));
  }

  @Test
  void invalidBudgetRejectedBeforeAnyOutput(@TempDir Path directory) throws Exception {
    EmbeddingTable table = SyntheticTables.codebookTable(SyntheticTables.layout(5), 2,
        new Random(63));
    CompressSettings settings = CompressSettings.builder().sparsities(List.of(0.5))
        .keptCounts(List.of(11L)).build();
    Path budgets = directory.resolve("budgets");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SweepWriter(settings, PROVENANCE, new Configuration())
            .write(table, new double[10], "phi", hadoop(budgets)));

    assertTrue(e.getMessage().contains("kept=11"), e.getMessage());
    assertTrue(e.getMessage().contains("n·d = 10"), e.getMessage());
    assertFalse(Files.exists(budgets));
  }

  @Test
  void rewriteReplacesBudgetWithoutStagingLeftovers(@TempDir Path directory) throws Exception {
    EmbeddingTable table = SyntheticTables.codebookTable(SyntheticTables.layout(20), 4,
        new Random(64));
    Random random = new Random(65);
    CompressSettings settings = CompressSettings.builder().keptCounts(List.of(10L)).build();
    Path budgets = directory.resolve("budgets");
    SweepWriter writer = new SweepWriter(settings, PROVENANCE, new Configuration());

    writer.write(table, SyntheticTables.tiedPhi(80, random), "first", hadoop(budgets));
    writer.write(table, SyntheticTables.tiedPhi(80, random), "second", hadoop(budgets));

    Map<String, String> metadata = ParquetTables.readMetadata(
        hadoop(budgets.resolve("budget=kept=10").resolve("kept")), new Configuration());
    assertEquals("second", metadata.get("shaver.compress.phi_source"));
    try (Stream<Path> entries = Files.list(budgets)) {
      assertEquals(List.of("budget=kept=10"),
          entries.map(path -> path.getFileName().toString()).toList());
    }
  }
}
