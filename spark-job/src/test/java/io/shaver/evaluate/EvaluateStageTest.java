package io.shaver.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaver.compress.StorageCost;
import io.shaver.compress.StorageFormat;
import io.shaver.compress.TableShape;
import io.shaver.model.CtrModel;
import io.shaver.output.ParquetTables;
import io.shaver.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs the evaluate stage once on a small real model and checks each row independently. */
class EvaluateStageTest {

  private static final double TOLERANCE = 1e-12;

  private static RunFixture run;
  private static List<MetricsRow> metrics;
  private static List<FieldShareRow> shares;
  private static float[] unprunedLogits;

  @BeforeAll
  static void evaluate() throws Exception {
    run = RunFixture.create(Files.createTempDirectory("evaluate-stage-"), true);
    new EvaluateStage().run(run.context(run.jobConfig()));
    metrics = MetricsTable.read(SharedSpark.get(), run.layout().metrics());
    shares = FieldShareTable.read(SharedSpark.get(), run.layout().prunedByField());
    unprunedLogits = RunFixture.logits(run.model, run.testIds);
  }

  private static MetricsRow row(String method, String budget) {
    return metrics.stream()
        .filter(row -> row.method().equals(method) && row.budget().equals(budget))
        .findFirst().orElseThrow(() -> new AssertionError("no row " + method + " " + budget
            + " in " + metrics));
  }

  private static int parameters() {
    return run.config.rowCount() * run.config.embeddingDim();
  }

  /** Asserts that a metrics row equals the metrics of {@code served}, computed without Spark. */
  private static void assertMatchesModel(MetricsRow row, CtrModel served) {
    float[] logits = RunFixture.logits(served, run.testIds);
    double auc = ExactMetrics.mannWhitneyAuc(logits, run.testLabels);
    assertEquals(auc, row.auc(), TOLERANCE, row + " auc");
    assertEquals(ExactMetrics.meanLogLoss(logits, run.testLabels), row.logloss(), 1e-9,
        row + " logloss");
    assertEquals(ExactMetrics.meanKl(unprunedLogits, logits), row.kl(), 1e-9, row + " kl");
    assertEquals(auc - row("unpruned", "none").auc(), row.deltaAuc(), TOLERANCE,
        row + " delta_auc");
  }

  /** Returns the table with the first {@code pruned} parameters of {@code order} replaced. */
  private static float[] servedTable(Integer[] order, int pruned, float[] placeholders) {
    float[] table = run.model.embeddingTable().clone();
    int d = run.config.embeddingDim();
    for (int k = 0; k < pruned; k++) {
      int flat = order[k];
      int field = run.config.fieldOfRow(flat / d);
      table[flat] = placeholders[field * d + flat % d];
    }
    return table;
  }

  @Test
  void unprunedMatchesExactComputation() {
    MetricsRow unpruned = row("unpruned", "none");

    double auc = ExactMetrics.mannWhitneyAuc(unprunedLogits, run.testLabels);
    assertEquals(auc, unpruned.auc(), TOLERANCE);
    assertTrue(auc > 0.6, "labels follow the model, so AUC is informative: " + auc);
    assertEquals(ExactMetrics.meanLogLoss(unprunedLogits, run.testLabels), unpruned.logloss(),
        1e-9);
    assertEquals(0, unpruned.kl(), 0);
    assertEquals(0, unpruned.deltaAuc(), 0);
    assertEquals(0, unpruned.sparsity(), 0);
    assertEquals(parameters(), unpruned.kept());
    assertEquals(4L * parameters(), unpruned.bytes());
  }

  @Test
  void zeroSparsityEqualsUnpruned() {
    MetricsRow unpruned = row("unpruned", "none");
    for (String method : List.of("magnitude", "random", "shaver-codebook", "shaver-zero")) {
      MetricsRow same = row(method, "sparsity=0");

      // Logits are identical (KL exactly 0); MLlib's sums may round in another order.
      assertEquals(unpruned.auc(), same.auc(), TOLERANCE, method);
      assertEquals(unpruned.logloss(), same.logloss(), TOLERANCE, method);
      assertEquals(0, same.kl(), 0, method);
      assertEquals(parameters(), same.kept(), method);
    }
  }

  @Test
  void allPrunedZeroFillEqualsZeroTable() {
    CtrModel zeroTable = run.withTable(new float[parameters()]);
    for (String method : List.of("magnitude", "random", "shaver-zero")) {
      MetricsRow row = row(method, "kept=0");

      assertMatchesModel(row, zeroTable);
      assertEquals(0, row.kept(), method);
      assertEquals(1, row.sparsity(), 0, method);
    }
  }

  @Test
  void allPrunedCodebookServesCodebook() {
    Integer[] order = IntStream.range(0, parameters()).boxed().toArray(Integer[]::new);
    CtrModel codebookTable = run.withTable(servedTable(order, parameters(), run.codebook));

    assertMatchesModel(row("shaver-codebook", "kept=0"), codebookTable);
  }

  @Test
  void magnitudeMatchesIndependentMask() {
    float[] values = run.model.embeddingTable();
    Integer[] order = IntStream.range(0, parameters()).boxed().toArray(Integer[]::new);
    java.util.Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> Math.abs(values[i]))
        .thenComparingInt(i -> i));
    int pruned = parameters() / 2;

    MetricsRow row = row("magnitude", "sparsity=0.5");

    assertMatchesModel(row, run.withTable(servedTable(order, pruned, new float[16])));
    assertEquals(parameters() - pruned, row.kept());
    assertTrue(row.kl() > 0, "pruning half the table changes predictions: " + row.kl());
  }

  @Test
  void shaverCodebookMatchesIndependentRanking() {
    float[] values = run.model.embeddingTable();
    int d = run.config.embeddingDim();
    Integer[] order = IntStream.range(0, parameters()).boxed().toArray(Integer[]::new);
    // |phi| ascending, then |E - codebook| in float32, then flat index.
    java.util.Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> Math.abs(run.phi[i]))
        .thenComparingDouble(i -> Math.abs(values[i]
            - run.codebook[run.config.fieldOfRow(i / d) * d + i % d]))
        .thenComparingInt(i -> i));
    int pruned = (int) Math.floor(parameters() * 0.9);

    MetricsRow row = row("shaver-codebook", "sparsity=0.9");

    assertMatchesModel(row, run.withTable(servedTable(order, pruned, run.codebook)));
    assertEquals(parameters() - pruned, row.kept());
  }

  @Test
  void rowsCoverEveryMethodAndBudget() {
    assertEquals(1 + 4 * 4 + 2, metrics.size(), metrics.toString());
    assertEquals("unpruned", metrics.get(0).method());
    TableShape shape = new TableShape(run.config.rowCount(), run.config.embeddingDim(),
        run.config.fieldCount());
    long kept = parameters() - parameters() / 2;

    MetricsRow half = row("random", "sparsity=0.5");

    assertEquals(kept, half.kept());
    assertEquals(new StorageCost(shape, StorageFormat.FLOAT32).payloadBytes(kept), half.bytes());
    // Row pointers 4(n + 1), codebook 4·m·d, field offsets 4(m + 1), 4 + 1 bytes per kept value.
    assertEquals(4 * 22 + 4 * 16 + 4 * 5 + 5 * kept, half.bytes());
    assertEquals(0.5, half.sparsity(), 0);
  }

  @Test
  void ptqRowsCloseToUnpruned() {
    MetricsRow sixteen = row("ptq", "bits=16");
    MetricsRow eight = row("ptq", "bits=8");

    assertEquals(parameters() * 2L + 8, sixteen.bytes());
    assertEquals(parameters() + 8L, eight.bytes());
    assertEquals(parameters(), sixteen.kept());
    assertEquals(0, sixteen.sparsity(), 0);
    assertEquals(0, sixteen.deltaAuc(), 1e-3);
    assertTrue(sixteen.kl() < 1e-6, "16-bit codes barely move predictions: " + sixteen.kl());
    assertTrue(eight.kl() > sixteen.kl(), "8 bits " + eight.kl() + ", 16 " + sixteen.kl());
  }

  @Test
  void prunedByFieldAddsUpToBudget() {
    for (MetricsRow row : metrics) {
      if (row.method().equals("unpruned") || row.method().equals("ptq")) {
        continue;
      }
      long pruned = shares.stream()
          .filter(s -> s.method().equals(row.method()) && s.budget().equals(row.budget()))
          .mapToLong(FieldShareRow::pruned).sum();
      assertEquals(parameters() - row.kept(), pruned, row.toString());
    }
    FieldShareRow first = shares.stream()
        .filter(s -> s.method().equals("magnitude") && s.budget().equals("kept=0")
            && s.fieldIndex() == 1)
        .findFirst().orElseThrow();
    assertEquals("field1", first.field());
    assertEquals(7L * 4, first.parameters());
    assertEquals(1, first.share(), 0);
  }

  @Test
  void metricsCarryProvenance() {
    Map<String, String> metadata = ParquetTables.readMetadata(
        new org.apache.hadoop.fs.Path(run.layout().metrics().toString()), new Configuration());

    assertEquals("evaluate", metadata.get("shaver.stage"));
    assertEquals(Integer.toString(RunFixture.TEST_SAMPLES), metadata.get("shaver.test_samples"));
    assertNotNull(metadata.get("shaver.config"));
    assertTrue(metadata.get("shaver.config").contains("random_seed: 7"),
        metadata.get("shaver.config"));
  }

  @Test
  void missingZeroPhiSkipsShaverZero() throws Exception {
    Path root = Files.createTempDirectory("evaluate-no-zero-");
    RunFixture noZero = RunFixture.create(root, false);

    // Batches of 64 leave a partial batch in each of the three test partitions.
    new EvaluateStage().run(noZero.context(noZero.jobConfig(
        "evaluate.methods=[shaver-zero, magnitude]", "compress.sparsity=[0.5]",
        "compress.kept=[]", "evaluate.batch_size=64")));

    List<MetricsRow> rows = MetricsTable.read(SharedSpark.get(), noZero.layout().metrics());
    assertEquals(2, rows.size(), rows.toString());
    assertEquals("unpruned", rows.get(0).method());
    assertEquals("magnitude", rows.get(1).method());
    assertFalse(rows.stream().anyMatch(r -> r.method().equals("shaver-zero")));

    // The same data scored one sample at a time: batching changes logits by float rounding
    // only, so just a pair or two of near-equal scores may change order.
    MetricsRow batched = rows.get(1);
    MetricsRow single = row("magnitude", "sparsity=0.5");
    assertEquals(single.auc(), batched.auc(), 2e-5);
    assertEquals(single.logloss(), batched.logloss(), 1e-6);
    assertEquals(single.kl(), batched.kl(), 1e-6);
  }
}
