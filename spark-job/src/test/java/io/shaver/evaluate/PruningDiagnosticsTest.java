package io.shaver.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaver.config.JobConfig;
import io.shaver.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PruningDiagnosticsTest {

  private static RunFixture run;
  private static List<MetricsRow> metrics;
  private static String report;

  @BeforeAll
  static void diagnose() throws Exception {
    run = RunFixture.create(Files.createTempDirectory("pruning-diagnostics-"), true);
    // The fixture has no validation split, so a copy of the test split serves as one.
    copyDirectory(run.root.resolve("prepared/test"), run.root.resolve("prepared/val"));
    JobConfig config = run.jobConfig();
    new EvaluateStage().run(run.context(config));
    metrics = MetricsTable.read(SharedSpark.get(), run.layout().metrics());
    report = PruningDiagnostics.report(SharedSpark.get(), config);
  }

  @Test
  void rescoredAucMatchesEvaluateStage() {
    int checked = 0;
    for (MetricsRow row : metrics) {
      if (row.method().equals(Variant.UNPRUNED) || row.method().equals("ptq")) {
        continue;
      }
      String line = String.format(Locale.ROOT, "| %s | %s | %.5f |", row.budget(), row.method(),
          row.auc());
      assertTrue(report.contains(line), "missing " + line + " in\n" + report);
      checked++;
    }
    // Four methods (shaver-codebook, shaver-zero, magnitude, random) times four budgets.
    assertEquals(4 * 4, checked);
  }

  @Test
  void unprunedAucMatchesExactAuc() {
    float[] logits = RunFixture.logits(run.model, run.testIds);
    double auc = ExactMetrics.mannWhitneyAuc(logits, run.testLabels);

    String expected = String.format(Locale.ROOT, "unpruned test AUC %.5f", auc);
    assertTrue(report.contains(expected), "missing " + expected + " in\n" + report);
  }

  @Test
  void zeroPhiCountMatchesFixture() {
    long zeros = Arrays.stream(run.phi).filter(value -> value == 0).count();
    String row = report.lines().filter(line -> line.startsWith("| shaver-codebook | "))
        .findFirst().orElseThrow();
    String[] cells = row.split("\\|");

    assertEquals(Long.toString(run.phi.length), cells[2].trim());
    assertEquals(Long.toString(zeros), cells[4].trim());
  }

  private static void copyDirectory(Path from, Path to) throws Exception {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
  }
}
