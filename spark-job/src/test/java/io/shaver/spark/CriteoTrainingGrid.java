package io.shaver.spark;

import io.shaver.config.JobConfig;
import io.shaver.config.JobConfigLoader;
import io.shaver.model.ModelConfig;
import io.shaver.model.ModelKind;
import io.shaver.pipeline.RunLayout;
import io.shaver.prepare.PrepareStage;
import io.shaver.testing.SharedSpark;
import io.shaver.testing.TestData;
import io.shaver.train.EncodedSplit;
import io.shaver.train.TrainResult;
import io.shaver.train.TrainSettings;
import io.shaver.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * Trains DeepFM on the real Criteo sample over a grid of settings and prints each setting's
 * best validation AUC. It reads the train and validation splits only, never the test split, so
 * that settings chosen from its output are not fitted to the test split.
 *
 * <p>Run from {@code spark-job} with the test classpath:
 * {@code java -cp target/test-classes:target/classes:$(cat cp.txt) io.shaver.spark.CriteoTrainingGrid}.
 */
public final class CriteoTrainingGrid {

  private CriteoTrainingGrid() {
  }

  public static void main(String[] args) throws Exception {
    Path directory = Files.createTempDirectory("criteo-grid");
    JobConfig config = JobConfigLoader.parse("output: " + directory.resolve("run") + "\n"
        + "data:\n  format: criteo\n  path: " + TestData.criteoTrain10k() + "\n"
        + "  min_count: 10\n", List.of());
    SparkSession spark = SharedSpark.get();
    PrepareStage.run(spark, config);
    RunLayout layout = new RunLayout(config.output());
    PreparedData splits = PreparedData.open(spark, layout.root());
    int fields = splits.fieldNames().size();
    EncodedSplit train = TrainStage.collectSplit(spark, layout, "train", fields);
    EncodedSplit validation = TrainStage.collectSplit(spark, layout, "val", fields);

    int[] dims = parseInts(System.getProperty("grid.dims", "4,8,16"));
    double[] penalties = parseDoubles(System.getProperty("grid.l2", "0,1e-4,1e-3,1e-2"));
    double[] rates = parseDoubles(System.getProperty("grid.lr", "0.001,0.003"));
    int[] batches = parseInts(System.getProperty("grid.batch", "256"));
    double[] dropouts = parseDoubles(System.getProperty("grid.dropout", "0"));
    String[] hiddens = System.getProperty("grid.hidden", "64-32").split(",");
    long[] seeds = java.util.Arrays.stream(System.getProperty("grid.seed", "2023").split(","))
        .mapToLong(Long::parseLong).toArray();
    System.out.println("hidden\tdim\tembedding_l2\tlearning_rate\tbatch_size\tdropout\tseed"
        + "\tbest_epoch\tvalidation_auc");
    for (String hidden : hiddens) {
      for (int dim : dims) {
        ModelConfig model = ModelConfig.builder().kind(ModelKind.DEEPFM)
            .fields(splits.fieldNames(), splits.fieldSizes()).embeddingDim(dim)
            .hiddenSizes(java.util.Arrays.stream(hidden.split("-")).map(Integer::valueOf)
                .toList()).batchNorm(true).build();
        runGrid(model, hidden, dim, penalties, rates, batches, dropouts, seeds, train,
            validation);
      }
    }
    spark.stop();
  }

  private static void runGrid(ModelConfig model, String hidden, int dim, double[] penalties,
      double[] rates, int[] batches, double[] dropouts, long[] seeds, EncodedSplit train,
      EncodedSplit validation) {
    for (double l2 : penalties) {
      for (double rate : rates) {
        for (int batch : batches) {
          for (double dropout : dropouts) {
            for (long seed : seeds) {
              TrainSettings settings = TrainSettings.builder().learningRate(rate)
                  .batchSize(batch).dropout(dropout).maxEpochs(15).patience(2)
                  .weightDecay(1e-5).embeddingL2(l2).seed(seed).build();
              TrainResult result = new Trainer(settings).train(model, train, validation);
              System.out.printf(Locale.ROOT, "%s\t%d\t%g\t%g\t%d\t%g\t%d\t%d\t%.4f%n",
                  hidden, dim, l2, rate, batch, dropout, seed, result.bestEpoch(),
                  result.bestValidationAuc());
            }
          }
        }
      }
    }
  }

  private static int[] parseInts(String values) {
    return java.util.Arrays.stream(values.split(",")).mapToInt(Integer::parseInt).toArray();
  }

  private static double[] parseDoubles(String values) {
    return java.util.Arrays.stream(values.split(",")).mapToDouble(Double::parseDouble).toArray();
  }
}
