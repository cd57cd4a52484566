package io.shaver.spark;

import io.shaver.config.JobConfig;
import io.shaver.model.ModelConfig;
import io.shaver.model.ModelStore;
import io.shaver.output.Provenance;
import io.shaver.pipeline.RunLayout;
import io.shaver.pipeline.Stage;
import io.shaver.pipeline.StageContext;
import io.shaver.train.EncodedSplit;
import io.shaver.train.TrainResult;
import io.shaver.train.Trainer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The train stage: trains a model on {@code prepared/train}, selected on {@code prepared/val},
 * and writes {@code model/}; or, when {@code model.path} is set, checks that model against the
 * prepared fields and copies it to {@code model/}.
 *
 * <p>Training runs on the driver: both splits are collected there, {@code 4 * m + 4} bytes per
 * sample (Criteo with 39 fields: 160 bytes, so 10 M training rows take 1.6 GB of driver heap).
 * Larger data calls for training elsewhere and bringing the model with {@code model.path}.
 */
public final class TrainStage implements Stage {

  public static final String NAME = "train";

  private static final Logger LOG = LoggerFactory.getLogger(TrainStage.class);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> configSections() {
    return List.of("model", "train");
  }

  @Override
  public List<String> upstream() {
    return List.of("prepare");
  }

  @Override
  public List<String> outputs() {
    return List.of("model");
  }

  @Override
  public void run(StageContext context) throws Exception {
    SparkSession spark = context.spark();
    JobConfig config = context.config();
    RunLayout layout = context.layout();
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    PreparedData fields = PreparedData.open(spark, layout.root());

    if (config.model().path().isPresent()) {
      importModel(new Path(config.model().path().get()), fields, layout, hadoopConf);
      return;
    }

    ModelConfig modelConfig = config.model().toModelConfig(fields.fieldNames(),
        fields.fieldSizes());
    long start = System.nanoTime();
    int fieldCount = fields.fieldNames().size();
    EncodedSplit train = collectSplit(spark, layout, "train", fieldCount);
    EncodedSplit validation = collectSplit(spark, layout, "val", fieldCount);
    LOG.info("Collected {} training and {} validation samples to the driver in {} s",
        train.size(), validation.size(), seconds(start));

    TrainResult result = new Trainer(config.train()).train(modelConfig, train, validation);

    Map<String, String> provenance = new LinkedHashMap<>();
    Provenance stage = Provenance.of(NAME, config.effectiveYaml(), config.train().seed());
    stage.asMap().forEach(provenance::put);
    provenance.putAll(config.train().toMetadata());
    provenance.putAll(result.toMetadata());
    ModelDirectories.save(layout.model(), modelConfig, result.stateDict(), provenance,
        hadoopConf);
    LOG.info("Wrote {} model to {}: best epoch {}, validation AUC {}", modelConfig.kind().id(),
        layout.model(), result.bestEpoch(), String.format("%.5f", result.bestValidationAuc()));
  }

  private static void importModel(Path source, PreparedData fields, RunLayout layout,
      Configuration hadoopConf) throws Exception {
    ModelStore.StoredModel stored = ModelDirectories.load(source, hadoopConf);
    ModelConfig modelConfig = stored.config();
    if (!modelConfig.fieldNames().equals(fields.fieldNames())
        || !Arrays.equals(modelConfig.fieldSizes(), fields.fieldSizes())) {
      throw new IllegalArgumentException("The model at model.path " + source + " does not fit"
          + " the prepared data: it has " + modelConfig.fieldCount() + " fields with sizes "
          + Arrays.toString(modelConfig.fieldSizes()) + " (" + modelConfig.fieldNames()
          + "), the data " + fields.fieldNames().size() + " fields with sizes "
          + Arrays.toString(fields.fieldSizes()) + " (" + fields.fieldNames() + ")."
          + " Prepare the data with the encoding the model was trained on"
          + " (data.format: encoded).");
    }
    Map<String, String> provenance = new LinkedHashMap<>(stored.metadata());
    provenance.put("imported_from", source.toString());
    ModelDirectories.save(layout.model(), modelConfig, stored.stateDict(), provenance,
        hadoopConf);
    LOG.info("Imported {} model from {} to {}", modelConfig.kind().id(), source, layout.model());
  }

  /** Collects one prepared split to the driver, in row key order. */
  static EncodedSplit collectSplit(SparkSession spark, RunLayout layout, String split,
      int fieldCount) {
    List<Row> rows = spark.read().parquet(layout.split(split).toString())
        .select("label", "ids").orderBy("row_key").collectAsList();
    int[] ids = new int[rows.size() * fieldCount];
    float[] labels = new float[rows.size()];
    for (int s = 0; s < rows.size(); s++) {
      Row row = rows.get(s);
      labels[s] = row.getInt(0);
      List<Integer> sample = row.getList(1);
      if (sample.size() != fieldCount) {
        throw new IllegalStateException("prepared/" + split + " row " + s + " has "
            + sample.size() + " ids, expected one per field (" + fieldCount + ")");
      }
      for (int f = 0; f < fieldCount; f++) {
        ids[s * fieldCount + f] = sample.get(f);
      }
    }
    return new EncodedSplit(ids, labels, fieldCount);
  }

  private static String seconds(long start) {
    return String.format("%.1f", (System.nanoTime() - start) / 1e9);
  }
}
