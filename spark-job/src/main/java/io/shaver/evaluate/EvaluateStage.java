package io.shaver.evaluate;


import io.shaver.config.JobConfig;
import io.shaver.model.ModelStore;
import io.shaver.output.Provenance;
import io.shaver.pipeline.RunLayout;
import io.shaver.pipeline.Stage;
import io.shaver.pipeline.StageContext;
import io.shaver.spark.ModelDirectories;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evaluate stage: scores the unpruned model and every method × budget on the test split and
 * writes {@code metrics/} and {@code pruned-by-field/}.
 *
 * <p>Reads {@code prepared/test}, the model ({@code model.path} when set, else {@code model/}),
 * and, for the Shaver methods, {@code shapley/}, {@code codebook/} and {@code shapley-zero/}.
 * The budgets, ranking key and storage format come from the {@code compress} section, so the
 * masks are the ones the compress stage writes; the compress stage's outputs are not read.
 */
public final class EvaluateStage implements Stage {

  public static final String NAME = "evaluate";

  private static final Logger LOG = LoggerFactory.getLogger(EvaluateStage.class);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> configSections() {
    return List.of("model", "compress", "evaluate");
  }

  @Override
  public List<String> upstream() {
    return List.of("prepare", "train", "estimate", "estimate-zero");
  }

  @Override
  public List<String> outputs() {
    return List.of("metrics", "pruned-by-field");
  }

  @Override
  public void run(StageContext context) throws Exception {
    JobConfig config = context.config();
    RunLayout layout = context.layout();
    SparkSession spark = context.spark();
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();

    Path modelDirectory = modelDirectory(config, layout);
    ModelStore.StoredModel model = ModelDirectories.load(modelDirectory, hadoopConf);
    Dataset<Row> test = spark.read().parquet(layout.split("test").toString());
    LOG.info("Evaluating methods {} over {} budgets on {}", config.evaluate().methods(),
        config.compress().budgets().size(), layout.split("test"));

    Evaluator evaluator = new Evaluator(model, config.compress(), config.evaluate(),
        new RunEstimates(spark, layout, model.config()));
    Evaluator.Result result = evaluator.run(test);

    Provenance provenance = Provenance.of(NAME, config.effectiveYaml(), config.seed())
        .with("model", modelDirectory)
        .with("test_samples", result.testSamples())
        .with("variants", result.metrics().size());
    MetricsTable.write(result.metrics(), layout.metrics(), provenance, hadoopConf);
    FieldShareTable.write(result.fieldShares(), layout.prunedByField(), provenance, hadoopConf);
    LOG.info("Wrote {} metrics rows to {} and {} field rows to {}", result.metrics().size(),
        layout.metrics(), result.fieldShares().size(), layout.prunedByField());
  }

  /** Returns {@code model.path} when configured, else the run's {@code model/}. */
  static Path modelDirectory(JobConfig config, RunLayout layout) {
    return config.model().path().map(Path::new).orElse(layout.model());
  }
}
