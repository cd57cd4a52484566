package io.shaver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shaver.testing.SharedSpark;
import io.shaver.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the whole pipeline on the real Criteo sample through the CLI and checks summary.json
 * against the Parquet outputs, then that a rerun skips every stage and a changed setting
 * reruns exactly the stages that depend on it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunCriteoEndToEndTest {

  @TempDir
  static Path directory;

  private static Path config;
  private static Path output;

  @BeforeAll
  static void runPipeline() throws IOException {
    SharedSpark.get();
    output = directory.resolve("run");
    config = directory.resolve("criteo.yaml");
    Files.writeString(config, String.join("\n",
        "output: " + output,
        "seed: 2023",
        "data:",
        "  format: criteo",
        "  path: " + TestData.criteoTrain10k(),
        "  min_count: 10",
        "model:",
        "  kind: deepfm",
        "  hidden: [32, 16]",
        "train:",
        "  batch_size: 256",
        "  max_epochs: 3",
        "  patience: 1",
        "estimate:",
        "  data: val",
        "  max_passes: 1",
        "  batch_size: 128",
        "compress:",
        "  sparsity: [0.5, 0.9, 0.99]",
        "evaluate:",
        "  ptq_bits: [8]",
        ""));

    assertEquals(0, ShaverCli.execute("run", "--config", config.toString()));
  }

  @Test
  @Order(1)
  void summaryMatchesMetricsParquet() throws IOException {
    JsonNode summary = new ObjectMapper().readTree(output.resolve("report/summary.json")
        .toFile());
    SparkSession spark = SharedSpark.get();
    List<Row> metrics = spark.read().parquet(output.resolve("metrics").toString())
        .select("method", "budget", "kept", "auc", "logloss").collectAsList();

    Map<String, Row> byKey = new TreeMap<>();
    for (Row row : metrics) {
      byKey.put(row.getString(0) + "|" + row.getString(1), row);
    }
    JsonNode results = summary.get("results");
    assertTrue(results.size() >= 3 * 4, "budgets x methods in " + summary);
    for (JsonNode result : results) {
      Row row = byKey.get(result.get("method").asText() + "|" + result.get("budget").asText());
      assertTrue(row != null, "no metrics row for " + result);
      assertEquals(row.getLong(2), result.get("kept").asLong(), result.toString());
      assertEquals(row.getDouble(3), result.get("auc").asDouble(), 1e-12, result.toString());
      assertEquals(row.getDouble(4), result.get("logloss").asDouble(), 1e-12,
          result.toString());
    }
    Row unpruned = byKey.get("unpruned|none");
    assertEquals(unpruned.getDouble(3), summary.get("unpruned").get("auc").asDouble(), 1e-12);
    assertTrue(unpruned.getDouble(3) > 0.6, "unpruned test AUC " + unpruned.getDouble(3));
  }

  @Test
  @Order(2)
  void keptCountsMatchBudgets() {
    SparkSession spark = SharedSpark.get();
    List<Row> budgets = spark.read().parquet(output.resolve("budgets/summary").toString())
        .select("budget", "kept", "pruned").collectAsList();

    assertEquals(3, budgets.size());
    for (Row budget : budgets) {
      long parameters = budget.getLong(1) + budget.getLong(2);
      double sparsity = Double.parseDouble(budget.getString(0).substring("sparsity=".length()));
      assertEquals((long) Math.floor(parameters * sparsity), budget.getLong(2),
          budget.toString());
      long keptRows = spark.read().parquet(output.resolve("budgets")
          .resolve("budget=" + budget.getString(0)).resolve("kept").toString()).count();
      assertEquals(budget.getLong(1), keptRows, budget.toString());
    }
  }

  @Test
  @Order(3)
  void rerunSkipsAndKeepsBytes() throws Exception {
    Map<String, String> before = hashes(output);

    assertEquals(0, ShaverCli.execute("run", "--config", config.toString()));

    assertEquals(before, hashes(output));
  }

  @Test
  @Order(4)
  void changedSweepRerunsDownstreamOnly() throws Exception {
    Map<String, String> before = hashes(output);

    assertEquals(0, ShaverCli.execute("run", "--config", config.toString(),
        "--set", "compress.sparsity=[0.5, 0.8]"));

    Map<String, String> after = hashes(output);
    for (String unchanged : List.of("prepared/", "model/", "shapley/", "codebook/")) {
      assertEquals(subset(before, unchanged), subset(after, unchanged), unchanged);
    }
    assertTrue(after.keySet().stream().anyMatch(key -> key.contains("budget=sparsity=0.8")));
    assertTrue(after.keySet().stream().noneMatch(key -> key.contains("budget=sparsity=0.99")));
  }

  /**
   * Checks that every Parquet table and column the analyst notebooks read exists in a real run
   * with one of the types they accept; notebooks/schema.json lists them.
   */
  @Test
  @Order(5)
  void notebookContractHolds() throws IOException {
    Path schemaFile = Path.of(System.getProperty("user.dir")).getParent()
        .resolve("notebooks/schema.json");
    JsonNode tables = new ObjectMapper().readTree(schemaFile.toFile()).get("parquet")
        .get("tables");
    SparkSession spark = SharedSpark.get();
    List<String> labels = spark.read().parquet(output.resolve("budgets/summary").toString())
        .select("budget").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();

    int checked = 0;
    for (Map.Entry<String, JsonNode> table : tables.properties()) {
      List<String> paths = table.getKey().contains("{label}")
          ? labels.stream().map(label -> table.getKey().replace("{label}", label)).toList()
          : List.of(table.getKey());
      for (String relative : paths) {
        Path directory = output.resolve(relative);
        assertTrue(Files.exists(directory.resolve("_SUCCESS")), relative + " is incomplete");
        org.apache.spark.sql.types.StructType schema =
            spark.read().parquet(directory.toString()).schema();
        for (Map.Entry<String, JsonNode> column : table.getValue().get("columns").properties()) {
          List<String> accepted = new java.util.ArrayList<>();
          column.getValue().get("spark").forEach(type -> accepted.add(type.asText()));
          assertTrue(List.of(schema.fieldNames()).contains(column.getKey()),
              relative + " lacks column " + column.getKey() + "; it has " + schema.simpleString());
          String actual = schema.apply(column.getKey()).dataType().simpleString();
          assertTrue(accepted.contains(actual), relative + "." + column.getKey() + " is "
              + actual + ", the notebooks accept " + accepted);
          checked++;
        }
      }
    }
    assertTrue(checked > 30, "checked only " + checked + " columns");
  }

  private static Map<String, String> subset(Map<String, String> hashes, String prefix) {
    Map<String, String> subset = new TreeMap<>();
    hashes.forEach((key, value) -> {
      if (key.startsWith(prefix)) {
        subset.put(key, value);
      }
    });
    return subset;
  }

  private static Map<String, String> hashes(Path root) throws Exception {
    Map<String, String> hashes = new TreeMap<>();
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String name = root.relativize(file).toString();
        if (name.endsWith(".crc")) {
          continue;
        }
        hashes.put(name, HexFormat.of().formatHex(digest.digest(Files.readAllBytes(file))));
      }
    }
    return hashes;
  }
}
