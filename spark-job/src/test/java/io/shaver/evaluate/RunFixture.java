package io.shaver.evaluate;

import io.shaver.config.JobConfig;
import io.shaver.config.JobConfigLoader;
import io.shaver.model.CtrModel;
import io.shaver.model.CtrModels;
import io.shaver.model.ModelConfig;
import io.shaver.model.ModelKind;
import io.shaver.model.ModelStore;
import io.shaver.model.StateDictSchema;
import io.shaver.model.Tensor;
import io.shaver.output.ParquetTables;
import io.shaver.output.Provenance;
import io.shaver.pipeline.RunLayout;
import io.shaver.pipeline.StageContext;
import io.shaver.testing.SharedSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A small run directory written as the upstream stages would: a random DeepFM in
 * {@code model/}, an encoded test split whose labels are drawn from the model's own click
 * probabilities, and {@code shapley/}, {@code codebook/} (and optionally {@code shapley-zero/})
 * with random phi that contains ties and zeros.
 */
public final class RunFixture {

  public static final int[] FIELD_SIZES = {5, 7, 3, 6};
  public static final int DIMENSION = 4;
  public static final int TEST_SAMPLES = 500;

  public final Path root;
  public final ModelConfig config;
  public final Map<String, Tensor> stateDict;
  public final CtrModel model;
  public final int[] testIds;
  public final double[] testLabels;
  public final double[] phi;
  public final float[] codebook;
  public final double[] zeroPhi;

  private RunFixture(Path root, boolean withZeroPhi) throws IOException {
    this.root = root;
    ModelConfig.Builder builder = ModelConfig.builder().kind(ModelKind.DEEPFM)
        .embeddingDim(DIMENSION).hiddenSizes(List.of(8)).batchNorm(true);
    for (int f = 0; f < FIELD_SIZES.length; f++) {
      builder.addField("field" + f, FIELD_SIZES[f]);
    }
    this.config = builder.build();
    this.stateDict = CtrModels.randomStateDict(config, 3, 0.8);
    this.model = CtrModels.fromStateDict(config, stateDict);
    ModelStore.save(root.resolve("model"), config, stateDict, Map.of());

    SplittableRandom random = new SplittableRandom(17);
    int m = config.fieldCount();
    this.testIds = new int[TEST_SAMPLES * m];
    for (int b = 0; b < TEST_SAMPLES; b++) {
      for (int f = 0; f < m; f++) {
        testIds[b * m + f] = config.offset(f) + random.nextInt(config.fieldSize(f));
      }
    }
    float[] logits = logits(model, testIds);
    this.testLabels = new double[TEST_SAMPLES];
    for (int b = 0; b < TEST_SAMPLES; b++) {
      testLabels[b] = random.nextDouble() < BinaryMetrics.sigmoid(logits[b]) ? 1 : 0;
    }
    writeTestSplit();

    int parameters = config.rowCount() * DIMENSION;
    this.phi = randomPhi(random, parameters);
    this.codebook = new float[m * DIMENSION];
    for (int i = 0; i < codebook.length; i++) {
      codebook[i] = (float) (random.nextGaussian() * 0.2);
    }
    writePhi(phi, "shapley");
    writeCodebook();
    this.zeroPhi = withZeroPhi ? randomPhi(random, parameters) : null;
    if (withZeroPhi) {
      writePhi(zeroPhi, "shapley-zero");
    }
    Files.createDirectories(root.resolve("_stages"));
    Files.writeString(root.resolve("_stages/estimate.json"),
        "{\"stage\": \"estimate\", \"fingerprint\": \"abc\", \"seconds\": 12.5}",
        StandardCharsets.UTF_8);
  }

  /** Writes a run directory under {@code root}; {@code shapley-zero/} only if asked. */
  public static RunFixture create(Path root, boolean withZeroPhi) throws IOException {
    return new RunFixture(root, withZeroPhi);
  }

  /** Returns the job config of this run (scoring batch size 1) with {@code overrides} applied. */
  public JobConfig jobConfig(String... overrides) {
    String yaml = "output: " + root + "\n"
        + "seed: 7\n"
        + "data: {format: criteo, path: unused.txt}\n"
        + "compress: {sparsity: [0, 0.5, 0.9], kept: [0]}\n"
        + "evaluate: {batch_size: 1}\n";
    return JobConfigLoader.parse(yaml, List.of(overrides));
  }

  /** Returns a stage context over the shared test SparkSession. */
  public StageContext context(JobConfig jobConfig) {
    return new StageContext(jobConfig, SharedSpark::get, false);
  }

  public RunLayout layout() {
    return new RunLayout(root.toString());
  }

  /**
   * Returns the logits of the test samples under {@code ctrModel}, computed without Spark one
   * sample at a time. A model's logit can differ in the last float bit between batch sizes, so
   * the stage runs of the tests use batch size 1 as well.
   */
  public static float[] logits(CtrModel ctrModel, int[] ids) {
    int m = ctrModel.config().fieldCount();
    int samples = ids.length / m;
    float[] out = new float[samples];
    float[] one = new float[1];
    for (int b = 0; b < samples; b++) {
      ctrModel.predict(java.util.Arrays.copyOfRange(ids, b * m, b * m + m), 1, one);
      out[b] = one[0];
    }
    return out;
  }

  /** Returns the model with its embedding table replaced by {@code table} (n·d). */
  public CtrModel withTable(float[] table) {
    Map<String, Tensor> edited = new LinkedHashMap<>(stateDict);
    edited.put(StateDictSchema.EMBEDDING,
        Tensor.ofFloats(table, config.rowCount(), config.embeddingDim()));
    return CtrModels.fromStateDict(config, edited);
  }

  private static double[] randomPhi(SplittableRandom random, int parameters) {
    double[] values = new double[parameters];
    for (int i = 0; i < parameters; i++) {
      // A coarse grid gives ties; about one value in five is exactly 0.
      values[i] = random.nextDouble() < 0.2 ? 0 : Math.round(random.nextGaussian() * 8) * 1e-3;
    }
    return values;
  }

  private void writeTestSplit() {
    SparkSession spark = SharedSpark.get();
    StructType schema = new StructType()
        .add("row_key", DataTypes.LongType, false)
        .add("label", DataTypes.IntegerType, false)
        .add("ids", DataTypes.createArrayType(DataTypes.IntegerType, false), false);
    int m = config.fieldCount();
    List<Row> rows = new ArrayList<>();
    for (int b = 0; b < TEST_SAMPLES; b++) {
      List<Integer> ids = new ArrayList<>();
      for (int f = 0; f < m; f++) {
        ids.add(testIds[b * m + f]);
      }
      rows.add(RowFactory.create((long) b, (int) testLabels[b], ids));
    }
    ParquetTables.write(spark.createDataFrame(rows, schema).repartition(3),
        hadoopPath("prepared/test"), Provenance.of("prepare", "", 7));
  }

  private void writePhi(double[] values, String directory) {
    StructType schema = new StructType()
        .add("global_id", DataTypes.LongType, false)
        .add("field", DataTypes.StringType, false)
        .add("token", DataTypes.StringType, true)
        .add("dimension", DataTypes.IntegerType, false)
        .add("phi", DataTypes.DoubleType, false)
        .add("stderr", DataTypes.DoubleType, false)
        .add("occurrences", DataTypes.LongType, false);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      int row = i / DIMENSION;
      String field = config.fieldNames().get(config.fieldOfRow(row));
      rows.add(RowFactory.create((long) row, field, "t" + row, i % DIMENSION, values[i],
          Math.abs(values[i]) * 0.1, (long) (i % 5)));
    }
    Provenance provenance = Provenance.of("estimate", "", 7)
        .with("samples", 4000).with("evaluations", 68000).with("passes", 2)
        .with("convergence_ratio", 0.0075);
    ParquetTables.write(SharedSpark.get().createDataFrame(rows, schema).repartition(2),
        hadoopPath(directory), provenance);
  }

  private void writeCodebook() {
    StructType schema = new StructType()
        .add("field", DataTypes.StringType, false)
        .add("dimension", DataTypes.IntegerType, false)
        .add("value", DataTypes.FloatType, false);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < codebook.length; i++) {
      rows.add(RowFactory.create(config.fieldNames().get(i / DIMENSION), i % DIMENSION,
          codebook[i]));
    }
    ParquetTables.write(SharedSpark.get().createDataFrame(rows, schema),
        hadoopPath("codebook"), Provenance.of("estimate", "", 7));
  }

  private org.apache.hadoop.fs.Path hadoopPath(String relative) {
    return new org.apache.hadoop.fs.Path(root.resolve(relative).toString());
  }
}
