package io.shaver.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaver.backend.DeviceBinding;
import io.shaver.config.EstimationData;
import io.shaver.config.JobConfig;
import io.shaver.config.JobConfigLoader;
import io.shaver.output.AtomicDirectory;
import io.shaver.output.ParquetTables;
import io.shaver.shapley.Codebook;
import io.shaver.shapley.Estimate;
import io.shaver.shapley.ShapleyEstimator;
import io.shaver.shapley.TableLayout;
import io.shaver.shapley.TinyMlpModel;
import io.shaver.testing.SharedSpark;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The estimate stage under a local master against the single-JVM estimator. */
class DistributedEstimateTest {

  // 3 fields of 6, 9 and 5 rows (20 rows), d = 4: 12 players per sample, 80 parameters.
  static final TableLayout LAYOUT = TableLayout.of(new int[] {6, 9, 5}, 4);
  static final TinyModelSource MODEL = new TinyModelSource(LAYOUT.fieldSizes(), 4, 6, 11, 0);
  static final PreparedFixture DATA = PreparedFixture.random(LAYOUT, 160, 5);
  static final double TOLERANCE = 1e-9;

  private static SparkSession spark;

  @TempDir
  static Path run;

  @BeforeAll
  static void writeData() {
    spark = SharedSpark.get();
    DATA.write(spark, run);
  }

  static JobConfig config(Path run, String... estimate) {
    StringBuilder yaml = new StringBuilder("output: " + run + "\nseed: 2023\n"
        + "data: {path: raw.txt}\nestimate:\n  batch_size: 5\n");
    for (String line : estimate) {
      yaml.append("  ").append(line).append('\n');
    }
    return JobConfigLoader.parse(yaml.toString(), List.of());
  }

  static Estimate reference(JobConfig config, PreparedFixture data, TinyModelSource source) {
    TinyMlpModel model = source.model();
    Codebook codebook = Codebook.compute(data.layout, model.embeddingTable(),
        data.trainValCounts());
    RowSampler sampler = new RowSampler(config.seed(), config.estimate().sampleFraction());
    return ShapleyEstimator.of(model, data.layout,
            config.estimate().toEstimatorSettings(config.seed()), codebook)
        .estimate(data.samples(config.estimate().data(), sampler));
  }

  static EstimateResult estimate(JobConfig config, ModelSource source, boolean resume) {
    return new EstimateStage(SharedSpark.get(), config, source, resume, Duration.ofSeconds(1))
        .run();
  }

  @Test
  void matchesSingleJvmEstimatorForAnyPartitioning() {
    Estimate expected = reference(config(run, "max_passes: 3", "threshold: 1e-9"), DATA, MODEL);
    for (int partitions : new int[] {1, 3, 7}) {
      JobConfig config = config(run, "max_passes: 3", "threshold: 1e-9",
          "partitions: " + partitions);
      EstimateResult result = estimate(config, MODEL, false);

      assertEquals(3, result.passes(), "passes with " + partitions + " partitions");
      assertEquals(expected.samples(), result.samples(), "samples");
      assertEquals(expected.evaluations(), result.evaluations(), "evaluations");
      assertEquals(expected.convergenceRatio(), result.convergenceRatio(),
          TOLERANCE * expected.convergenceRatio(), "convergence ratio");
      assertEquals(partitions, result.passReports().get(0).size(), "walk tasks per pass");
      ShapleyTable table = ShapleyTable.read(spark, run, LAYOUT.dimension());
      table.assertComplete(LAYOUT.parameters());
      table.assertMatches(expected, TOLERANCE);
    }
  }

  @Test
  void stopsAtSamePassAsSingleJvm() {
    Estimate twoPasses = reference(config(run, "max_passes: 2", "threshold: 1e-9"), DATA, MODEL);
    double threshold = twoPasses.convergenceRatio() * 1.0001;
    JobConfig config = config(run, "max_passes: 6", "threshold: " + threshold, "partitions: 2");
    Estimate expected = reference(config, DATA, MODEL);

    EstimateResult result = estimate(config, MODEL, false);

    assertTrue(expected.converged(), "the reference converges below " + threshold);
    assertEquals(expected.passes(), result.passes(), "passes");
    assertTrue(result.converged(), "converged");
    ShapleyTable.read(spark, run, LAYOUT.dimension()).assertMatches(expected, TOLERANCE);
  }

  @Test
  void writesCodebookTokensAndZeroForUnseenRows() {
    JobConfig config = config(run, "max_passes: 1", "partitions: 2");
    estimate(config, MODEL, false);

    Codebook expected = Codebook.compute(LAYOUT, MODEL.model().embeddingTable(),
        DATA.trainValCounts());
    List<Row> codebook = spark.read().parquet(run.resolve("codebook").toString())
        .orderBy("field", "dimension").collectAsList();
    assertEquals(LAYOUT.coordinates(), codebook.size(), "codebook rows");
    for (Row row : codebook) {
      int field = Integer.parseInt(row.getString(0).substring("field_".length()));
      assertEquals(expected.value(field, row.getInt(1)), row.getFloat(2),
          "codebook value of " + row);
    }

    ShapleyTable table = ShapleyTable.read(spark, run, LAYOUT.dimension());
    for (int j = 0; j < LAYOUT.dimension(); j++) {
      long parameter = (long) DATA.unseenRow() * LAYOUT.dimension() + j;
      Row row = table.row(parameter);
      assertNull(row.get(row.fieldIndex("token")), "token of a row missing from the vocabulary");
      assertEquals(0.0, table.phi(parameter), "phi of an unseen parameter");
      assertEquals(0.0, table.stderr(parameter), "stderr of an unseen parameter");
      assertEquals(0L, table.occurrences(parameter), "occurrences of an unseen parameter");
    }
    Row first = table.row(0);
    assertEquals("token-0", first.getString(first.fieldIndex("token")), "token of row 0");
    assertEquals("field_0", first.getString(first.fieldIndex("field")), "field of row 0");
    Row last = table.row(LAYOUT.parameters() - 1);
    assertEquals("field_2", last.getString(last.fieldIndex("field")), "field of the last row");

    Map<String, String> metadata = ParquetTables.readMetadata(
        new org.apache.hadoop.fs.Path(run.resolve("shapley").toString()),
        spark.sparkContext().hadoopConfiguration());
    assertEquals("1", metadata.get("shaver.passes"), "passes in metadata");
    assertEquals("codebook", metadata.get("shaver.placeholder"), "placeholder in metadata");
    assertEquals("2023", metadata.get("shaver.seed"), "seed in metadata");
    assertTrue(metadata.containsKey("shaver.convergence_ratio"), "ratio in metadata");
  }

  @Test
  void sampleFractionAndValidationSplitMatchSingleJvm() {
    JobConfig config = config(run, "max_passes: 2", "threshold: 1e-9", "partitions: 3",
        "data: val", "sample_fraction: 0.6", "placeholder: zero");
    Estimate expected = reference(config, DATA, MODEL);
    long validationRows = DATA.samples(EstimationData.VAL, new RowSampler(0, 1.0)).size();

    EstimateResult result = estimate(config, MODEL, false);

    assertTrue(expected.samples() < 2 * validationRows, "the fraction drops rows");
    assertEquals(expected.samples(), result.samples(), "samples");
    ShapleyTable.read(spark, run, LAYOUT.dimension()).assertMatches(expected, TOLERANCE);
  }

  @Test
  void resumeEndsWithUninterruptedResult() {
    estimate(config(run, "max_passes: 3", "threshold: 1e-9", "partitions: 3"), MODEL, false);
    ShapleyTable uninterrupted = ShapleyTable.read(spark, run, LAYOUT.dimension());

    EstimateResult first = estimate(config(run, "max_passes: 1", "partitions: 2"), MODEL, false);
    assertEquals(1, first.passes(), "passes before the interruption");
    assertTrue(AtomicDirectory.isComplete(checkpoint(1), hadoopConf()), "checkpoint pass-1");
    assertFalse(AtomicDirectory.isComplete(checkpoint(2), hadoopConf()),
        "a fresh run deletes the older checkpoints");
    EstimateResult resumed = estimate(
        config(run, "max_passes: 3", "threshold: 1e-9", "partitions: 4"), MODEL, true);

    assertEquals(3, resumed.passes(), "passes after resuming");
    assertEquals(2, resumed.passReports().size(), "passes run by the resumed run");
    assertEquals(3 * first.samples(), resumed.samples(), "samples over all passes");
    ShapleyTable.read(spark, run, LAYOUT.dimension()).assertMatches(uninterrupted, TOLERANCE);
    Map<String, String> metadata = ParquetTables.readMetadata(checkpoint(3), hadoopConf());
    assertEquals("3", metadata.get("shaver.pass"), "pass in checkpoint metadata");
    assertEquals(Long.toString(resumed.samples()), metadata.get("shaver.samples"),
        "samples in checkpoint metadata");

    EstimateResult again = estimate(
        config(run, "max_passes: 3", "threshold: 1e-9", "partitions: 4"), MODEL, true);
    assertEquals(3, again.passes(), "passes when the checkpoint is already final");
    assertEquals(0, again.passReports().size(), "passes run when the checkpoint is final");
    ShapleyTable.read(spark, run, LAYOUT.dimension()).assertMatches(uninterrupted, TOLERANCE);
  }

  @Test
  void resumeRejectsCheckpointOfOtherSeed() {
    estimate(config(run, "max_passes: 1", "partitions: 2"), MODEL, false);
    JobConfig otherSeed = JobConfigLoader.parse("output: " + run + "\nseed: 7\n"
        + "data: {path: raw.txt}\nestimate: {max_passes: 2}\n", List.of());

    IllegalStateException error = assertThrows(IllegalStateException.class,
        () -> estimate(otherSeed, MODEL, true));

    assertTrue(error.getMessage().contains("seed=2023"), error.getMessage());
    assertTrue(error.getMessage().contains("seed=7"), error.getMessage());
    assertTrue(error.getMessage().contains("without --resume"), error.getMessage());
  }

  @Test
  void gpuOnLocalMasterFailsWhenAsked() {
    JobConfig config = config(run, "max_passes: 1",
        "gpu: {enabled: true, on_local_master: fail}");

    IllegalStateException error = assertThrows(IllegalStateException.class,
        () -> estimate(config, MODEL, false));

    assertTrue(error.getMessage().contains("local"), error.getMessage());
    assertTrue(error.getMessage().contains("estimate.gpu.on_local_master: cpu"),
        error.getMessage());
  }

  @Test
  void gpuOnLocalMasterFallsBackToCpu() {
    JobConfig config = config(run, "max_passes: 1", "partitions: 2", "gpu: {enabled: true}");

    EstimateResult result = estimate(config, MODEL, false);

    assertEquals(1, result.passes(), "passes");
    List<TaskSummary> tasks = result.passReports().get(0);
    assertEquals(2, tasks.size(), "walk tasks");
    for (TaskSummary task : tasks) {
      assertEquals(DeviceBinding.none(), task.device(), "device of " + task);
      assertEquals("cpu (ND4J)", task.backend(), "backend of " + task);
    }
  }

  private static org.apache.hadoop.fs.Path checkpoint(int pass) {
    return new org.apache.hadoop.fs.Path(run.resolve("checkpoints/pass-" + pass).toString());
  }

  private static org.apache.hadoop.conf.Configuration hadoopConf() {
    return spark.sparkContext().hadoopConfiguration();
  }
}
