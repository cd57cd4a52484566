package io.shaver.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shaver.cli.ShaverCli;
import io.shaver.evaluate.RunFixture;
import io.shaver.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code shaver evaluate} and {@code shaver report} through the command line. */
class EvaluateReportCommandsTest {

  @Test
  void commandsWriteMetricsAndReport(@TempDir Path directory) throws Exception {
    SharedSpark.get();
    RunFixture run = RunFixture.create(directory.resolve("run"), false);
    Path config = directory.resolve("job.yaml");
    Files.writeString(config, "output: " + run.root + "\n"
        + "data: {format: avazu, path: [a.csv, b.csv]}\n"
        + "compress: {sparsity: [0.5, 0.8]}\n"
        + "evaluate: {methods: [magnitude, ptq], ptq_bits: [8], batch_size: 32}\n");

    assertEquals(ShaverCli.EXIT_OK, ShaverCli.execute("evaluate", "--config", config.toString()));
    assertEquals(ShaverCli.EXIT_OK, ShaverCli.execute("report", "--config", config.toString()));

    JsonNode summary = new ObjectMapper().readTree(
        run.root.resolve("report/summary.json").toFile());
    assertEquals(3, summary.get("results").size(), summary.toString());
    assertEquals("avazu", summary.at("/dataset/format").asText());
    assertEquals("b.csv", summary.at("/dataset/path/1").asText());
    assertEquals("ptq", summary.at("/results/2/method").asText());
    assertTrue(Files.exists(run.root.resolve("metrics/_SUCCESS")));
    assertTrue(Files.exists(run.root.resolve("report/pruned-share-magnitude.png")));
  }
}
