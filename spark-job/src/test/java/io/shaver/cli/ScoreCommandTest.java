package io.shaver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shaver.output.ParquetTables;
import io.shaver.testing.SharedSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs {@code shaver score} in-process on the PyTorch checkpoints written by
 * {@code src/test/python/make_golden.py} and compares the logits with PyTorch's.
 */
class ScoreCommandTest {

  /** Absolute tolerance on logits, as in the model parity tests. */
  private static final double TOLERANCE = 1e-5;

  private static final StructType INPUT = new StructType()
      .add("row_key", DataTypes.LongType, false)
      .add("label", DataTypes.IntegerType, false)
      .add("ids", DataTypes.createArrayType(DataTypes.IntegerType), false);

  @TempDir
  Path directory;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"deepfm_bn", "deepfm_nobn", "deepfm_field_tables", "deepfm_bn_f16",
      "dcn_mix", "dcn_mix_compiled", "dcn_mix_bf16", "dcnv2_stacked", "dcnv2_parallel"})
  void scoresMatchPyTorchLogits(String variant) throws Exception {
    Path model = golden(variant);
    JsonNode golden = new ObjectMapper().readTree(model.resolve("golden.json").toFile());
    int batch = golden.get("batch").intValue();
    int fields = golden.get("ids").size() / batch;
    Path data = writeInput(golden, fields, fields);
    Path output = directory.resolve("scores");

    Result result = run("score", "--model", model.toString(), "--data", data.toString(),
        "--output", output.toString(), "--batch-size", "3");

    assertEquals(ShaverCli.EXIT_OK, result.code, result.err);
    List<Row> rows = SharedSpark.get().read().parquet(output.toString())
        .select("row_key", "label", "logit", "probability").collectAsList();
    assertEquals(batch, rows.size());
    for (int r = 0; r < rows.size(); r++) {
      Row row = rows.get(r);
      long rowKey = row.getLong(0);
      int sample = sampleOf(rowKey);
      double expected = golden.get("logits").get(sample).doubleValue();
      if (r > 0) {
        assertTrue(rowKey > rows.get(r - 1).getLong(0), "rows sorted by row_key");
      }
      assertEquals(sample % 2, row.getInt(1), "label of sample " + sample);
      assertEquals(expected, row.getDouble(2), TOLERANCE, "logit of sample " + sample);
      assertEquals(1 / (1 + Math.exp(-expected)), row.getDouble(3), TOLERANCE,
          "probability of sample " + sample);
    }
    Map<String, String> metadata = ParquetTables.readMetadata(
        new org.apache.hadoop.fs.Path(output.toString()), new Configuration());
    assertEquals("score", metadata.get("shaver.stage"));
    assertEquals(model.toString(), metadata.get("shaver.model"));
    assertEquals(Integer.toString(batch), metadata.get("shaver.rows"));
  }

  @Test
  void preparedRunScoresMatchPyTorchLogits() throws Exception {
    Path model = golden("dcn_mix");
    JsonNode golden = new ObjectMapper().readTree(model.resolve("golden.json").toFile());
    int batch = golden.get("batch").intValue();
    int[] offsets = {0, 3, 7, 12, 18};
    Map<List<Integer>, Double> logitOfIds = new java.util.HashMap<>();
    StringBuilder csv = new StringBuilder("label,user,item,category,hour,device\n");
    for (int copy = 0; copy < 30; copy++) {
      for (int b = 0; b < batch; b++) {
        List<Integer> ids = new ArrayList<>();
        csv.append((b + copy) % 2);
        for (int f = 0; f < offsets.length; f++) {
          int id = golden.get("ids").get(b * offsets.length + f).intValue();
          ids.add(id);
          csv.append(',').append(id - offsets[f]);
        }
        csv.append('\n');
        logitOfIds.put(ids, golden.get("logits").get(b).doubleValue());
      }
    }
    Files.writeString(directory.resolve("encoded.csv"), csv);
    Path config = directory.resolve("job.yaml");
    Path run = directory.resolve("run");
    Files.writeString(config, "output: " + run + "\n"
        + "data:\n  format: encoded\n  file_type: csv\n  path: " + directory.resolve("encoded.csv")
        + "\n  fields: [user, item, category, hour, device]\n"
        + "  field_sizes: [3, 4, 5, 6, 7]\n");
    assertEquals(ShaverCli.EXIT_OK, run("prepare", "--config", config.toString()).code);
    Path output = directory.resolve("scores");

    Result result = run("score", "--model", model.toString(), "--data", run.toString(),
        "--split", "val", "--output", output.toString());

    assertEquals(ShaverCli.EXIT_OK, result.code, result.err);
    SparkSession spark = SharedSpark.get();
    List<Row> rows = spark.read().parquet(output.toString())
        .join(spark.read().parquet(run.resolve("prepared/val").toString()), "row_key")
        .select("logit", "ids").collectAsList();
    long expectedRows = spark.read().parquet(run.resolve("prepared/val").toString()).count();
    assertTrue(expectedRows > 0, "validation rows");
    assertEquals(expectedRows, rows.size());
    for (Row row : rows) {
      List<Integer> ids = row.getList(1);
      assertEquals(logitOfIds.get(ids), row.getDouble(0), TOLERANCE, "logit of ids " + ids);
    }
  }

  @Test
  void wrongFieldCountFailsWithoutOutput() throws Exception {
    Path model = golden("deepfm_bn");
    JsonNode golden = new ObjectMapper().readTree(model.resolve("golden.json").toFile());
    int fields = golden.get("ids").size() / golden.get("batch").intValue();
    Path data = writeInput(golden, fields, fields - 1);
    Path output = directory.resolve("scores");

    Result result = run("score", "--model", model.toString(), "--data", data.toString(),
        "--output", output.toString());

    assertEquals(ShaverCli.EXIT_FAILED, result.code, result.err);
    assertTrue(result.err.contains("Field count mismatch"), result.err);
    assertTrue(result.err.contains("has 5 fields [user, item, category, hour, device]"),
        result.err);
    assertTrue(result.err.contains("has 4 ids"), result.err);
    assertTrue(result.err.contains("Score data encoded for this model"), result.err);
    assertFalse(Files.exists(output), "no output directory");
  }

  @Test
  void idOutsideFieldFailsWithoutOutput() throws Exception {
    Path model = golden("deepfm_bn");
    List<Row> rows = List.of(RowFactory.create(1L, 0, List.of(0, 3, 7, 12, 18)),
        RowFactory.create(2L, 1, List.of(0, 3, 7, 12, 99)));
    Path data = directory.resolve("out-of-range");
    SharedSpark.get().createDataFrame(rows, INPUT).write().parquet(data.toString());
    Path output = directory.resolve("scores");

    Result result = run("score", "--model", model.toString(), "--data", data.toString(),
        "--output", output.toString());

    assertEquals(ShaverCli.EXIT_FAILED, result.code, result.err);
    assertTrue(result.err.contains("Invalid global id 99 for field 4 ('device') in row_key 2"),
        result.err);
    assertTrue(result.err.contains("expected 18 <= id < 25"), result.err);
    assertFalse(result.err.contains("Job aborted"), "Spark's job-failure text: " + result.err);
    assertFalse(Files.exists(output), "no output directory");
  }

  @Test
  void longIdsScoreLikeIntIds() throws Exception {
    Path model = golden("deepfm_bn");
    JsonNode golden = new ObjectMapper().readTree(model.resolve("golden.json").toFile());
    int batch = golden.get("batch").intValue();
    int fields = golden.get("ids").size() / batch;
    List<Row> rows = new ArrayList<>();
    for (int b = 0; b < batch; b++) {
      List<Long> ids = new ArrayList<>();
      for (int f = 0; f < fields; f++) {
        ids.add(golden.get("ids").get(b * fields + f).longValue());
      }
      rows.add(RowFactory.create(rowKeyOf(b), ids));
    }
    StructType longIds = new StructType()
        .add("row_key", DataTypes.LongType, false)
        .add("ids", DataTypes.createArrayType(DataTypes.LongType), false);
    Path data = directory.resolve("long-ids");
    SharedSpark.get().createDataFrame(rows, longIds).write().parquet(data.toString());
    Path output = directory.resolve("scores");

    Result result = run("score", "--model", model.toString(), "--data", data.toString(),
        "--output", output.toString());

    assertEquals(ShaverCli.EXIT_OK, result.code, result.err);
    List<Row> scored = SharedSpark.get().read().parquet(output.toString())
        .select("row_key", "label", "logit").collectAsList();
    assertEquals(batch, scored.size());
    for (Row row : scored) {
      int sample = sampleOf(row.getLong(0));
      assertTrue(row.isNullAt(1), "no label column, so a null label");
      assertEquals(golden.get("logits").get(sample).doubleValue(), row.getDouble(2), TOLERANCE,
          "logit of sample " + sample);
    }
  }

  @Test
  void checkpointOfOtherFieldsFailsWithoutOutput() throws Exception {
    Path source = golden("deepfm_bn");
    Path model = directory.resolve("four-field-model");
    Files.createDirectories(model);
    Files.copy(source.resolve("model.safetensors"), model.resolve("model.safetensors"));
    ObjectNode config = (ObjectNode) new ObjectMapper().readTree(
        source.resolve("model.json").toFile());
    ((ArrayNode) config.get("field_names")).remove(4);
    ((ArrayNode) config.get("field_sizes")).remove(4);
    new ObjectMapper().writeValue(model.resolve("model.json").toFile(), config);
    JsonNode golden = new ObjectMapper().readTree(source.resolve("golden.json").toFile());
    Path data = writeInput(golden, 5, 4);
    Path output = directory.resolve("scores");

    Result result = run("score", "--model", model.toString(), "--data", data.toString(),
        "--output", output.toString());

    assertEquals(ShaverCli.EXIT_FAILED, result.code, result.err);
    assertTrue(result.err.contains(
        "tensor 'embedding.weight' has shape [25, 4], expected [18, 4]"), result.err);
    assertTrue(result.err.contains("(rows = sum of the 4 field sizes in model.json)"),
        result.err);
    assertFalse(Files.exists(output), "no output directory");
  }

  @Test
  void invalidSplitIsUsageError() throws Exception {
    Result result = run("score", "--model", "m", "--data", "d", "--output", "o",
        "--split", "holdout");

    assertEquals(ShaverCli.EXIT_USAGE, result.code);
    assertTrue(result.err.contains("--split must be train, val or test, got 'holdout'"),
        result.err);
  }

  /** Row key of golden sample {@code b}: decreasing, so sorting reverses the input order. */
  private static long rowKeyOf(int sample) {
    return 1000L - 10L * sample;
  }

  private static int sampleOf(long rowKey) {
    return (int) ((1000L - rowKey) / 10L);
  }

  /** Writes the golden ids as an encoded Parquet table, keeping the first {@code keep} ids. */
  private Path writeInput(JsonNode golden, int fields, int keep) {
    int batch = golden.get("batch").intValue();
    List<Row> rows = new ArrayList<>();
    for (int b = 0; b < batch; b++) {
      List<Integer> ids = new ArrayList<>();
      for (int f = 0; f < keep; f++) {
        ids.add(golden.get("ids").get(b * fields + f).intValue());
      }
      rows.add(RowFactory.create(rowKeyOf(b), b % 2, ids));
    }
    SparkSession spark = SharedSpark.get();
    Path data = directory.resolve("encoded-" + keep);
    spark.createDataFrame(rows, INPUT).repartition(2).write().parquet(data.toString());
    return data;
  }

  private static Path golden(String variant) throws Exception {
    URL url = ScoreCommandTest.class.getResource("/golden/" + variant);
    assertTrue(url != null, "missing test resource golden/" + variant);
    return Path.of(url.toURI());
  }

  private record Result(int code, String err) {}

  private static Result run(String... args) {
    SharedSpark.get();
    PrintStream originalErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = ShaverCli.execute(args);
      return new Result(code, err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(originalErr);
    }
  }
}
