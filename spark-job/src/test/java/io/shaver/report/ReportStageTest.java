package io.shaver.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shaver.evaluate.EvaluateStage;
import io.shaver.evaluate.MetricsRow;
import io.shaver.evaluate.MetricsTable;
import io.shaver.evaluate.RunFixture;
import io.shaver.output.AtomicDirectory;
import io.shaver.testing.SharedSpark;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs evaluate, then report, on a small real run and checks the report against metrics/. */
class ReportStageTest {

  private static RunFixture run;
  private static Path report;
  private static List<MetricsRow> metrics;
  private static JsonNode summary;

  @BeforeAll
  static void writeReport() throws Exception {
    Path parent = Files.createDirectories(Path.of("target", "report-stage-test"));
    run = RunFixture.create(Files.createTempDirectory(parent, "run-").toAbsolutePath(), true);
    new EvaluateStage().run(run.context(run.jobConfig()));
    new ReportStage().run(run.context(run.jobConfig()));
    report = run.root.resolve("report");
    metrics = MetricsTable.read(SharedSpark.get(), run.layout().metrics());
    summary = new ObjectMapper().readTree(report.resolve(ReportStage.SUMMARY_FILE).toFile());
  }

  @Test
  void summaryDescribesRun() {
    assertEquals(run.root.getFileName().toString(), summary.get("run_id").asText());
    assertEquals("criteo", summary.at("/dataset/format").asText());
    assertEquals("unused.txt", summary.at("/dataset/path/0").asText());
    assertEquals("deepfm", summary.at("/model/kind").asText());
    assertEquals(4, summary.at("/model/fields").asInt());
    assertEquals(21, summary.at("/model/n").asInt());
    assertEquals(4, summary.at("/model/d").asInt());
  }

  @Test
  void summaryEstimationFromMetadata() {
    JsonNode estimation = summary.get("estimation");

    assertEquals(4000, estimation.get("samples").asLong());
    assertEquals(68000, estimation.get("evaluations").asLong());
    assertEquals(2, estimation.get("passes").asLong());
    assertEquals(0.0075, estimation.get("convergence_ratio").asDouble(), 0);
    assertEquals(12.5, estimation.get("seconds").asDouble(), 0);
  }

  @Test
  void summaryNumbersEqualMetricsRows() {
    MetricsRow unpruned = metrics.get(0);
    assertEquals("unpruned", unpruned.method());
    assertEquals(unpruned.auc(), summary.at("/unpruned/auc").asDouble(), 0);
    assertEquals(unpruned.logloss(), summary.at("/unpruned/logloss").asDouble(), 0);

    JsonNode results = summary.get("results");
    assertEquals(metrics.size() - 1, results.size());
    for (int i = 1; i < metrics.size(); i++) {
      MetricsRow row = metrics.get(i);
      JsonNode result = results.get(i - 1);
      String where = row.method() + " " + row.budget();
      assertEquals(row.method(), result.get("method").asText(), where);
      assertEquals(row.budget(), result.get("budget").asText(), where);
      assertEquals(row.sparsity(), result.get("sparsity").asDouble(), 0, where);
      assertEquals(row.kept(), result.get("kept").asLong(), where);
      assertEquals(row.bytes(), result.get("bytes").asLong(), where);
      assertEquals(row.auc(), result.get("auc").asDouble(), 0, where);
      assertEquals(row.logloss(), result.get("logloss").asDouble(), 0, where);
      assertEquals(row.kl(), result.get("kl").asDouble(), 0, where);
      assertEquals(row.deltaAuc(), result.get("delta_auc").asDouble(), 0, where);
    }
  }

  @Test
  void htmlReferencesEveryPlot() throws IOException {
    String html = Files.readString(report.resolve(ReportStage.HTML_FILE), StandardCharsets.UTF_8);
    Set<String> referenced = new TreeSet<>();
    Matcher images = Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
    while (images.find()) {
      referenced.add(images.group(1));
    }
    Set<String> written;
    try (Stream<Path> files = Files.list(report)) {
      written = files.map(path -> path.getFileName().toString())
          .filter(name -> name.endsWith(".png")).collect(Collectors.toCollection(TreeSet::new));
    }

    assertEquals(Set.of("auc-vs-kept.png", "auc-vs-bytes.png", "phi-by-field.png",
        "pruned-share-shaver-codebook.png", "pruned-share-shaver-zero.png",
        "pruned-share-magnitude.png", "pruned-share-random.png"), referenced);
    assertEquals(referenced, written);
    assertTrue(html.contains("summary.json"), "links the summary");
    assertTrue(Files.exists(report.resolve(AtomicDirectory.SUCCESS_MARKER)));
  }

  @Test
  void plotsAreNonTrivialImages() throws IOException {
    try (Stream<Path> files = Files.list(report)) {
      for (Path png : files.filter(path -> path.toString().endsWith(".png")).toList()) {
        BufferedImage image = ImageIO.read(png.toFile());

        assertTrue(image.getWidth() >= ReportCharts.WIDTH, png + " width " + image.getWidth());
        assertTrue(image.getHeight() >= ReportCharts.HEIGHT, png + " height "
            + image.getHeight());
        assertTrue(distinctColors(image) >= 20, png + " has "
            + distinctColors(image) + " colors");
        assertTrue(nonBackgroundShare(image) > 0.02, png + " is almost blank: "
            + nonBackgroundShare(image));
      }
    }
  }

  private static int distinctColors(BufferedImage image) {
    Set<Integer> colors = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        colors.add(image.getRGB(x, y));
      }
    }
    return colors.size();
  }

  /** Returns the share of pixels that differ from the top-left (background) pixel. */
  private static double nonBackgroundShare(BufferedImage image) {
    int background = image.getRGB(0, 0);
    long differ = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if (image.getRGB(x, y) != background) {
          differ++;
        }
      }
    }
    return (double) differ / ((long) image.getWidth() * image.getHeight());
  }
}
