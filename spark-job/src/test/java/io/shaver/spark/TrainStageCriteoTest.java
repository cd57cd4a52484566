package io.shaver.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaver.config.JobConfig;
import io.shaver.config.JobConfigLoader;
import io.shaver.model.CtrModel;
import io.shaver.model.ModelStore;
import io.shaver.output.AtomicDirectory;
import io.shaver.pipeline.RunLayout;
import io.shaver.pipeline.StageContext;
import io.shaver.prepare.PrepareStage;
import io.shaver.testing.SharedSpark;
import io.shaver.testing.TestData;
import io.shaver.train.EncodedSplit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains DeepFM on the real Criteo sample's train split and compares its test AUC with Spark
 * MLlib's logistic regression on the same encoded features (one-hot global ids).
 */
class TrainStageCriteoTest {

  private static final Logger LOG = LoggerFactory.getLogger(TrainStageCriteoTest.class);

  @TempDir
  static Path directory;

  private static JobConfig config;
  private static RunLayout layout;

  /**
   * Prepares the sample and trains DeepFM with the settings of the best validation AUC in the
   * grid of docs/benchmarks/train-criteo.md.
   */
  @BeforeAll
  static void prepareAndTrain() throws Exception {
    config = JobConfigLoader.parse("output: " + directory.resolve("run") + "\n"
        + "data:\n  format: criteo\n  path: " + TestData.criteoTrain10k() + "\n"
        + "  min_count: 10\n"
        + "model:\n  kind: deepfm\n  hidden: [64, 32]\n  batch_norm: true\n"
        + "train:\n  learning_rate: 0.003\n  batch_size: 128\n  max_epochs: 8\n"
        + "  patience: 2\n  weight_decay: 0.00001\n  dropout: 0.5\n  embedding_l2: 0.01\n",
        List.of());
    SparkSession spark = SharedSpark.get();
    PrepareStage.run(spark, config);
    layout = new RunLayout(config.output());
    new TrainStage().run(new StageContext(config, SharedSpark::get, false));
  }

  @Test
  void modelDirectoryComplete() throws Exception {
    Configuration conf = new Configuration();
    assertTrue(AtomicDirectory.isComplete(layout.model(), conf));

    ModelStore.StoredModel stored = ModelDirectories.load(layout.model(), conf);

    assertEquals(39, stored.config().fieldCount());
    assertEquals("train", stored.metadata().get("shaver.stage"));
  }

  @Test
  void deepFmBeatsLogisticRegression() throws Exception {
    SparkSession spark = SharedSpark.get();
    ModelStore.StoredModel stored = ModelDirectories.load(layout.model(), new Configuration());
    int fields = stored.config().fieldCount();
    EncodedSplit test = TrainStage.collectSplit(spark, layout, "test", fields);

    double deepFmAuc = auc(spark, scores(stored.model(), test, fields), test.labels());
    double deepFmLogLoss = logLoss(scores(stored.model(), test, fields), test.labels());
    Regression regression = logisticRegression(spark, stored.config().rowCount(), fields);
    double regressionAuc = regression.testAuc();
    LOG.info("Criteo sample, test split of {} rows: DeepFM AUC {} LogLoss {} (validation AUC"
        + " {}); MLlib logistic regression with regParam {}: AUC {} (validation AUC {})",
        test.size(), deepFmAuc, deepFmLogLoss, stored.metadata().get("train.best_validation_auc"),
        regression.regParam(), regressionAuc, regression.validationAuc());

    assertTrue(deepFmAuc > 0.65, "DeepFM test AUC " + deepFmAuc);
    assertTrue(deepFmLogLoss < 0.52, "constant predictor LogLoss is about 0.52: "
        + deepFmLogLoss);
    // NOTE: on this 8,000-row sample the two AUCs differ by less than their standard error
    // (about 0.016 for 1,026 test rows, Hanley-McNeil), so this ordering holds for these
    // settings and seed, not in general. Both models' settings were chosen on validation AUC
    // only (docs/benchmarks/train-criteo.md); DeepFM measured 0.739 against 0.728.
    assertTrue(deepFmAuc >= regressionAuc,
        "DeepFM AUC " + deepFmAuc + " below logistic regression AUC " + regressionAuc);
  }

  @Test
  void importRejectsWrongFieldCount() throws Exception {
    io.shaver.model.ModelConfig small = io.shaver.model.ModelConfig.builder()
        .kind(io.shaver.model.ModelKind.DEEPFM)
        .fields(List.of("a", "b"), new int[] {3, 4})
        .embeddingDim(4).hiddenSizes(List.of(8)).build();
    java.nio.file.Path external = directory.resolve("external-model");
    ModelStore.save(external, small,
        io.shaver.model.CtrModels.randomStateDict(small, 1L, 0.1), java.util.Map.of());
    java.nio.file.Path output = directory.resolve("import-run");
    JobConfig importing = JobConfigLoader.parse("output: " + output + "\n"
        + "data:\n  path: unused.txt\n"
        + "model:\n  path: " + external + "\n", List.of());
    java.nio.file.Path prepared = java.nio.file.Path.of(layout.prepared().toString());
    try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(prepared)) {
      for (java.nio.file.Path file : files.toList()) {
        java.nio.file.Path copy = output.resolve("prepared").resolve(prepared.relativize(file));
        if (java.nio.file.Files.isDirectory(file)) {
          java.nio.file.Files.createDirectories(copy);
        } else {
          java.nio.file.Files.copy(file, copy);
        }
      }
    }

    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class,
        () -> new TrainStage().run(new StageContext(importing, SharedSpark::get, false)));

    assertTrue(e.getMessage().contains("2 fields"), e.getMessage());
    assertTrue(e.getMessage().contains("39 fields"), e.getMessage());
    assertTrue(!java.nio.file.Files.exists(output.resolve("model")), "no partial model/");
  }

  private static double[] scores(CtrModel model, EncodedSplit split, int fields) {
    int d = model.config().embeddingDim();
    float[] table = model.embeddingTable();
    int size = split.size();
    float[] x0 = new float[size * fields * d];
    for (int s = 0; s < size; s++) {
      for (int f = 0; f < fields; f++) {
        int id = split.ids()[s * fields + f];
        System.arraycopy(table, id * d, x0, (s * fields + f) * d, d);
      }
    }
    float[] logits = new float[size];
    model.logits(split.ids(), x0, size, logits);
    double[] scores = new double[size];
    for (int s = 0; s < size; s++) {
      scores[s] = logits[s];
    }
    return scores;
  }

  private static double auc(SparkSession spark, double[] scores, float[] labels) {
    StructType schema = new StructType().add("label", DataTypes.DoubleType)
        .add("rawPrediction", DataTypes.DoubleType);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < scores.length; i++) {
      rows.add(RowFactory.create((double) labels[i], scores[i]));
    }
    return new BinaryClassificationEvaluator().setMetricName("areaUnderROC")
        .evaluate(spark.createDataFrame(rows, schema));
  }

  private static double logLoss(double[] logits, float[] labels) {
    double total = 0;
    for (int i = 0; i < logits.length; i++) {
      double z = logits[i];
      total += Math.max(z, 0) - z * labels[i] + Math.log1p(Math.exp(-Math.abs(z)));
    }
    return total / logits.length;
  }

  /** The logistic regression baseline: its chosen L2 strength and its AUCs. */
  private record Regression(double regParam, double validationAuc, double testAuc) {}

  /**
   * Fits MLlib's logistic regression on the one-hot global ids of the train split for each L2
   * strength of a grid (L2 only, at most 100 iterations, intercept on). Keeps the fit with the
   * best validation AUC and measures it on the test split.
   */
  private static Regression logisticRegression(SparkSession spark, int rows, int fields) {
    Dataset<Row> train = oneHot(spark, "train", rows, fields);
    Dataset<Row> validation = oneHot(spark, "val", rows, fields);
    Dataset<Row> test = oneHot(spark, "test", rows, fields);
    BinaryClassificationEvaluator evaluator = new BinaryClassificationEvaluator()
        .setMetricName("areaUnderROC");

    // The regularization strength is chosen on the validation split, never on test.
    double bestValidation = -1;
    double bestRegParam = Double.NaN;
    LogisticRegressionModel best = null;
    for (double regParam : new double[] {0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0}) {
      LogisticRegressionModel model = new LogisticRegression().setMaxIter(100)
          .setRegParam(regParam).setElasticNetParam(0.0).fit(train);
      double auc = evaluator.evaluate(model.transform(validation));
      LOG.info("Logistic regression regParam {}: validation AUC {}", regParam, auc);
      if (auc > bestValidation) {
        bestValidation = auc;
        bestRegParam = regParam;
        best = model;
      }
    }
    return new Regression(bestRegParam, bestValidation, evaluator.evaluate(best.transform(test)));
  }

  private static Dataset<Row> oneHot(SparkSession spark, String split, int rows, int fields) {
    List<Row> encoded = new ArrayList<>();
    EncodedSplit data = TrainStage.collectSplit(spark, layout, split, fields);
    for (int s = 0; s < data.size(); s++) {
      int[] indices = new int[fields];
      double[] values = new double[fields];
      for (int f = 0; f < fields; f++) {
        indices[f] = data.ids()[s * fields + f];
        values[f] = 1.0;
      }
      java.util.Arrays.sort(indices);
      encoded.add(RowFactory.create((double) data.labels()[s],
          Vectors.sparse(rows, indices, values)));
    }
    StructType schema = new StructType().add("label", DataTypes.DoubleType)
        .add("features", SQLDataTypes.VectorType());
    return spark.createDataFrame(encoded, schema);
  }
}
