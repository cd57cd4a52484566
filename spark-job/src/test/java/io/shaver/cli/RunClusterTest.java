package io.shaver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shaver.testing.AppJar;
import io.shaver.testing.SharedSpark;
import io.shaver.testing.StandaloneCluster;
import io.shaver.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Submits {@code run} through Spark's submit class to a real standalone cluster (a Master and
 * two Workers on 127.0.0.1) and checks that summary.json has the same numbers as a local run.
 */
class RunClusterTest {

  /**
   * OpenBLAS rounds a GEMM differently with the thread count and the batch split, so phi on
   * the cluster's one-core executors differs from local phi in the last float bits, which can
   * swap a few near-tied parameters at a budget boundary. Metrics must agree to 1e-4.
   */
  private static final double TOLERANCE = 1e-4;

  @TempDir
  static Path directory;

  private static String config(Path output) {
    return String.join("\n",
        "output: " + output,
        "seed: 2023",
        "data: {format: criteo, path: " + TestData.criteoTrain10k() + ", min_count: 10}",
        "model: {kind: deepfm, hidden: [16]}",
        "train: {batch_size: 256, max_epochs: 2, patience: 1}",
        "estimate: {data: val, max_passes: 1, batch_size: 128, sample_fraction: 0.3,"
            + " zero_baseline: false, partitions: 4}",
        "compress: {sparsity: [0.5, 0.9]}",
        "evaluate: {methods: [shaver-codebook, magnitude], ptq_bits: [8]}",
        "");
  }

  @Test
  void clusterSummaryEqualsLocal() throws Exception {
    SharedSpark.get();
    Path localConfig = directory.resolve("local.yaml");
    Files.writeString(localConfig, config(directory.resolve("local")));
    assertEquals(0, ShaverCli.execute("run", "--config", localConfig.toString()));

    Path clusterConfig = directory.resolve("cluster.yaml");
    Files.writeString(clusterConfig, config(directory.resolve("cluster-run")));
    Path jar = AppJar.ofTestClasses(directory);
    try (StandaloneCluster cluster = StandaloneCluster.start(directory.resolve("cluster"), 2, 1,
        0)) {
      StandaloneCluster.SubmitResult result = cluster.submit(List.of(
          "--deploy-mode", "client",
          "--class", ShaverCli.class.getName(),
          "--conf", "spark.driver.host=127.0.0.1",
          "--conf", "spark.driver.bindAddress=127.0.0.1",
          "--conf", "spark.ui.enabled=false",
          "--conf", "spark.executor.cores=1",
          "--conf", "spark.executor.memory=1g",
          "--conf", "spark.executorEnv.OMP_NUM_THREADS=1",
          jar.toString(), "run", "--config", clusterConfig.toString()),
          directory.resolve("submit.log"), Duration.ofMinutes(8));
      assertFalse(result.timedOut(), "run on the cluster timed out:\n" + tail(result.output()));
      assertEquals(0, result.exitCode(), tail(result.output()));
    }

    JsonNode local = summary(directory.resolve("local"));
    JsonNode remote = summary(directory.resolve("cluster-run"));
    assertEquals(local.get("unpruned").get("auc").asDouble(),
        remote.get("unpruned").get("auc").asDouble(), TOLERANCE);
    assertEquals(local.get("estimation").get("samples").asLong(),
        remote.get("estimation").get("samples").asLong());
    assertEquals(local.get("estimation").get("evaluations").asLong(),
        remote.get("estimation").get("evaluations").asLong());
    assertEquals(local.get("results").size(), remote.get("results").size());
    for (int i = 0; i < local.get("results").size(); i++) {
      JsonNode expected = local.get("results").get(i);
      JsonNode actual = remote.get("results").get(i);
      assertEquals(expected.get("budget").asText(), actual.get("budget").asText());
      assertEquals(expected.get("method").asText(), actual.get("method").asText());
      assertEquals(expected.get("kept").asLong(), actual.get("kept").asLong(), expected.toString());
      assertEquals(expected.get("bytes").asLong(), actual.get("bytes").asLong(),
          expected.toString());
      assertEquals(expected.get("auc").asDouble(), actual.get("auc").asDouble(), TOLERANCE,
          expected.toString());
      assertEquals(expected.get("logloss").asDouble(), actual.get("logloss").asDouble(),
          TOLERANCE, expected.toString());
    }
  }

  private static JsonNode summary(Path run) throws Exception {
    return new ObjectMapper().readTree(run.resolve("report/summary.json").toFile());
  }

  private static String tail(String output) {
    return output.length() > 6000 ? output.substring(output.length() - 6000) : output;
  }
}
