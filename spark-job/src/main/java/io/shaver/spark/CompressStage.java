package io.shaver.spark;

import io.shaver.compress.BudgetResult;
import io.shaver.compress.CompressSettings;
import io.shaver.compress.EmbeddingTable;
import io.shaver.compress.FieldLayout;
import io.shaver.compress.SweepWriter;
import io.shaver.config.JobConfig;
import io.shaver.evaluate.EstimateOutputs;
import io.shaver.model.ModelConfig;
import io.shaver.model.ModelStore;
import io.shaver.output.AtomicDirectory;
import io.shaver.output.ParquetTables;
import io.shaver.output.Provenance;
import io.shaver.pipeline.RunLayout;
import io.shaver.pipeline.Stage;
import io.shaver.pipeline.StageContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compress stage: ranks every embedding parameter once by its Shapley value and writes one
 * pruned table per budget of the sweep under {@code budgets/}, plus {@code budgets/summary}
 * with kept counts and bytes per budget.
 *
 * <p>Pruned parameters are served as the placeholder the Shapley values were estimated with
 * ({@code shaver.placeholder} in the {@code shapley/} metadata): the field-aware codebook or 0.
 * The whole {@code budgets/} directory is published at once, so budgets of an earlier sweep
 * never mix with the current ones.
 */
public final class CompressStage implements Stage {

  public static final String NAME = "compress";

  static final StructType SUMMARY_SCHEMA = new StructType()
      .add("budget", DataTypes.StringType, false)
      .add("kind", DataTypes.StringType, false)
      .add("format", DataTypes.StringType, false)
      .add("kept", DataTypes.LongType, false)
      .add("pruned", DataTypes.LongType, false)
      .add("pruned_rows", DataTypes.LongType, false)
      .add("payload_bytes", DataTypes.LongType, false)
      .add("artifact_bytes", DataTypes.LongType, false)
      .add("dense_bytes", DataTypes.LongType, false);

  private static final Logger LOG = LoggerFactory.getLogger(CompressStage.class);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> configSections() {
    return List.of("compress");
  }

  @Override
  public List<String> upstream() {
    return List.of("prepare", "train", "estimate");
  }

  @Override
  public List<String> outputs() {
    return List.of("budgets");
  }

  @Override
  public void run(StageContext context) throws Exception {
    long start = System.nanoTime();
    SparkSession spark = context.spark();
    JobConfig config = context.config();
    RunLayout layout = context.layout();
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();

    ModelStore.StoredModel stored = ModelDirectories.load(layout.model(), hadoopConf);
    ModelConfig modelConfig = stored.config();
    double[] phi = EstimateOutputs.readPhi(spark, layout.shapley(), modelConfig);
    Map<String, String> shapleyMetadata = ParquetTables.readMetadata(layout.shapley(), hadoopConf);
    String placeholder = shapleyMetadata.getOrDefault(Provenance.PREFIX + "placeholder",
        "codebook");
    EmbeddingTable table = table(spark, layout, modelConfig, stored.model().embeddingTable(),
        placeholder);

    CompressSettings settings = config.compress();
    Provenance provenance = Provenance.of(NAME, config.effectiveYaml(), config.seed())
        .with("placeholder", placeholder);
    List<BudgetResult> results;
    try (AtomicDirectory budgets = AtomicDirectory.begin(layout.budgets(), hadoopConf)) {
      results = new SweepWriter(settings, provenance, hadoopConf)
          .write(table, phi, layout.shapley().toString(), budgets.staging());
      writeSummary(results, new Path(budgets.staging(), "summary"), provenance, hadoopConf);
      budgets.commit();
    }
    for (BudgetResult result : results) {
      LOG.info("Budget {}: kept {} of {} parameters, {} bytes on disk ({} bytes dense)",
          result.budget().label(), result.kept(), result.kept() + result.pruned(),
          result.artifactBytes(), result.denseBytes());
    }
    LOG.info("Compress finished: {} budgets in {} s", results.size(),
        String.format("%.1f", (System.nanoTime() - start) / 1e9));
  }

  private static EmbeddingTable table(SparkSession spark, RunLayout layout,
      ModelConfig modelConfig, float[] values, String placeholder) {
    FieldLayout fields = FieldLayout.fromSizes(modelConfig.fieldNames(),
        modelConfig.fieldSizes());
    String[] tokens = tokens(spark, layout, modelConfig.rowCount());
    int d = modelConfig.embeddingDim();
    if ("zero".equals(placeholder)) {
      return EmbeddingTable.withZeroPlaceholder(fields, d, values, tokens);
    }
    float[] codebook = EstimateOutputs.readCodebook(spark, layout.codebook(), modelConfig);
    return EmbeddingTable.withCodebook(fields, d, values, codebook, tokens);
  }

  /** Returns the token of every global row from {@code prepared/vocabulary}; null for OOV. */
  private static String[] tokens(SparkSession spark, RunLayout layout, int rows) {
    String[] tokens = new String[rows];
    Iterator<Row> iterator = spark.read().parquet(layout.vocabulary().toString())
        .select("global_id", "token").toLocalIterator();
    while (iterator.hasNext()) {
      Row row = iterator.next();
      long id = ((Number) row.get(0)).longValue();
      if (id >= 0 && id < rows && !row.isNullAt(1)) {
        tokens[(int) id] = row.getString(1);
      }
    }
    return tokens;
  }

  private static void writeSummary(List<BudgetResult> results, Path target,
      Provenance provenance, Configuration hadoopConf) {
    List<Row> rows = new ArrayList<>();
    for (BudgetResult result : results) {
      rows.add(RowFactory.create(result.budget().label(), result.budget().kind().configName(),
          result.format().configName(), result.kept(),
          result.pruned(), result.prunedRows(), result.payloadBytes(), result.artifactBytes(),
          result.denseBytes()));
    }
    ParquetTables.writeLocal(rows, SUMMARY_SCHEMA, target, provenance, hadoopConf);
  }
}
