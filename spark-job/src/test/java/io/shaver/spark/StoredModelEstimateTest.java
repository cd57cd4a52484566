package io.shaver.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaver.config.JobConfig;
import io.shaver.model.CtrModel;
import io.shaver.model.CtrModels;
import io.shaver.model.ModelConfig;
import io.shaver.model.ModelKind;
import io.shaver.model.ModelStore;
import io.shaver.shapley.Codebook;
import io.shaver.shapley.Estimate;
import io.shaver.shapley.ShapleyEstimator;
import io.shaver.shapley.TableLayout;
import io.shaver.testing.SharedSpark;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The estimate stage with a stored model ({@code model/model.safetensors} and
 * {@code model/model.json}) of each architecture, broadcast as bytes and loaded by ModelStore
 * on the executors, against the single-JVM estimator on the same loaded model. These models
 * compute in float and their rounding depends on which samples share a batch, so they match
 * only because both sides cut the same batches from the rows in row-key order.
 */
class StoredModelEstimateTest {

  static final TableLayout LAYOUT = DistributedEstimateTest.LAYOUT;
  static final PreparedFixture DATA = PreparedFixture.random(LAYOUT, 160, 21);

  @TempDir
  static Path run;

  private static SparkSession spark;

  @BeforeAll
  static void writeData() {
    spark = SharedSpark.get();
    DATA.write(spark, run);
  }

  @Test
  void everyArchitectureMatchesSingleJvm() throws Exception {
    for (ModelKind kind : ModelKind.values()) {
      ModelConfig architecture = architecture(kind, LAYOUT);
      ModelStore.save(run.resolve("model"), architecture,
          CtrModels.randomStateDict(architecture, 17, 0.3), Map.of("seed", "17"));
      StoredModelSource source = StoredModelSource.read(
          EstimateStage.modelDirectory(run.toString()), spark.sparkContext().hadoopConfiguration());
      CtrModel model = ModelStore.load(run.resolve("model")).model();
      int partitions = 1 + 2 * kind.ordinal();
      JobConfig config = DistributedEstimateTest.config(run, "max_passes: 2", "threshold: 1e-9",
          "partitions: " + partitions);
      Codebook codebook = Codebook.compute(LAYOUT, model.embeddingTable(), DATA.trainValCounts());
      Estimate expected = ShapleyEstimator.of(model, LAYOUT,
              config.estimate().toEstimatorSettings(config.seed()), codebook)
          .estimate(DATA.samples(config.estimate().data(), new RowSampler(0, 1.0)));

      EstimateResult result =
          new EstimateStage(spark, config, source, false, Duration.ofSeconds(5)).run();

      assertEquals(expected.samples(), result.samples(), kind + " samples");
      assertEquals(partitions, result.passReports().get(0).size(), kind + " walk tasks");
      ShapleyTable table = ShapleyTable.read(spark, run, LAYOUT.dimension());
      table.assertComplete(LAYOUT.parameters());
      table.assertMatches(expected, DistributedEstimateTest.TOLERANCE);
    }
  }

  @Test
  void modelOfOtherFieldsIsRejected() throws Exception {
    TableLayout other = TableLayout.of(new int[] {6, 9, 6}, 4);
    ModelConfig architecture = architecture(ModelKind.DEEPFM, other);
    ModelStore.save(run.resolve("model"), architecture,
        CtrModels.randomStateDict(architecture, 3, 0.3), Map.of());
    StoredModelSource source = StoredModelSource.read(
        EstimateStage.modelDirectory(run.toString()), spark.sparkContext().hadoopConfiguration());

    IllegalStateException error = assertThrows(IllegalStateException.class,
        () -> new EstimateStage(spark, DistributedEstimateTest.config(run, "max_passes: 1"),
            source, false).run());

    assertTrue(error.getMessage().contains("[6, 9, 6]"), error.getMessage());
  }

  private static ModelConfig architecture(ModelKind kind, TableLayout layout) {
    ModelConfig.Builder builder = ModelConfig.builder().kind(kind)
        .embeddingDim(layout.dimension()).hiddenSizes(List.of(8, 8)).crossLayers(2)
        .experts(2).rank(2);
    for (int f = 0; f < layout.fields(); f++) {
      builder.addField(PreparedFixture.fieldName(f), layout.fieldSize(f));
    }
    return builder.build();
  }
}
