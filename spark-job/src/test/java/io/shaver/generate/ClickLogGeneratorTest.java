package io.shaver.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shaver.cli.ShaverCli;
import io.shaver.config.JobConfigLoader;
import io.shaver.prepare.PrepareResult;
import io.shaver.prepare.PrepareStage;
import io.shaver.testing.SharedSpark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClickLogGeneratorTest {

  @TempDir
  Path directory;

  private static long generate(Path out, long rows, long seed, boolean gzip, int files) {
    return ClickLogGenerator.generate(SharedSpark.get(), rows, out.toString(), seed, gzip, files);
  }

  private static List<Path> parts(Path out) throws IOException {
    try (Stream<Path> files = Files.list(out)) {
      return files.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
    }
  }

  /** Concatenated, decompressed content of all part files. */
  private static byte[] content(Path out) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (Path part : parts(out)) {
      try (InputStream in = part.toString().endsWith(".gz")
          ? new GZIPInputStream(Files.newInputStream(part)) : Files.newInputStream(part)) {
        in.transferTo(all);
      }
    }
    return all.toByteArray();
  }

  @Test
  void sameSeedSameBytes() throws Exception {
    generate(directory.resolve("a"), 5_000, 9, true, 2);
    generate(directory.resolve("b"), 5_000, 9, true, 2);
    generate(directory.resolve("c"), 5_000, 10, true, 2);

    List<Path> first = parts(directory.resolve("a"));
    List<Path> second = parts(directory.resolve("b"));
    assertEquals(2, first.size());
    for (int i = 0; i < first.size(); i++) {
      assertArrayEquals(Files.readAllBytes(first.get(i)), Files.readAllBytes(second.get(i)));
    }
    assertFalse(java.util.Arrays.equals(content(directory.resolve("a")),
        content(directory.resolve("c"))), "another seed gives other rows");
  }

  @Test
  void rowsIndependentOfFileCount() throws Exception {
    generate(directory.resolve("one"), 3_001, 4, false, 1);
    generate(directory.resolve("three"), 3_001, 4, true, 3);

    assertEquals(3, parts(directory.resolve("three")).size());
    assertArrayEquals(content(directory.resolve("one")), content(directory.resolve("three")));
    long lines = new String(content(directory.resolve("one"))).lines().count();
    assertEquals(3_001, lines);
  }

  @Test
  void expectedRateMatchesMeanClickProbability() throws Exception {
    // Independent of the enumeration: parse generated lines, look tokens up in the weights of
    // _generator.json and average the click probability.
    Path out = directory.resolve("mean");
    generate(out, 100_000, 21, false, 2);

    JsonNode model = new ObjectMapper().readTree(out.resolve(ClickLogGenerator.MODEL_FILE)
        .toFile()).get("model");
    List<Map<String, Double>> weights = new java.util.ArrayList<>();
    for (JsonNode field : model.get("informative_categorical")) {
      Map<String, Double> byToken = new HashMap<>();
      Iterator<Map.Entry<String, JsonNode>> entries = field.get("weights").fields();
      entries.forEachRemaining(entry -> byToken.put(entry.getKey(), entry.getValue().asDouble()));
      weights.add(byToken);
    }

    double sum = 0;
    long rows = 0;
    for (String line : new String(content(out)).split("\n")) {
      String[] columns = line.split("\t", -1);
      double logit = model.get("bias").asDouble();
      if (!columns[1].isEmpty()) {
        logit += model.get("gamma").asDouble()
            * (Math.log(1 + Long.parseLong(columns[1])) - model.get("i1_center").asDouble());
      }
      for (int f = 0; f < 3; f++) {
        logit += weights.get(f).get(columns[14 + f]);
      }
      sum += 1 / (1 + Math.exp(-logit));
      rows++;
    }

    double expected = model.get("expected_positive_rate").asDouble();
    // The mean of p over 100,000 rows has a standard deviation below 0.001.
    assertEquals(expected, sum / rows, 0.004);
    assertEquals(new ClickModel().expectedPositiveRate(), expected, 1e-12);
  }

  @Test
  void preparedByCriteoReaderWithKnownRate() throws Exception {
    Path out = directory.resolve("data");
    generate(out, 40_000, 5, false, 2);
    Path run = directory.resolve("run");

    PrepareResult result = PrepareStage.run(SharedSpark.get(), JobConfigLoader.parse("output: "
        + run + "\ndata:\n  format: criteo\n  path: " + out + "\n  error_budget: 0\n",
        List.of()));

    assertEquals(40_000, result.rowsRead());
    assertEquals(0, result.rowsRejected());
    JsonNode report = new ObjectMapper().readTree(run.resolve("prepared/report.json").toFile());
    long positives = 0;
    for (String split : List.of("train", "val", "test")) {
      positives += report.get("splits").get(split).get("positives").asLong();
    }
    double expected = new ClickModel().expectedPositiveRate();
    double deviation = Math.sqrt(expected * (1 - expected) / 40_000);
    assertEquals(expected, positives / 40_000.0, 4 * deviation);
    JsonNode c1 = report.get("fields").get(13);
    assertEquals("C1", c1.get("field").asText());
    assertEquals(21, c1.get("size").asInt(), "20 C1 tokens, all frequent, plus OOV");
  }

  @Test
  void informativeTokensDriveClickRate() throws Exception {
    Path out = directory.resolve("signal");
    generate(out, 40_000, 8, false, 1);
    Map<String, long[]> byToken = new HashMap<>();
    for (String line : new String(content(out)).split("\n")) {
      String[] columns = line.split("\t", -1);
      long[] counts = byToken.computeIfAbsent(columns[14], token -> new long[2]);
      counts[0]++;
      counts[1] += columns[0].equals("1") ? 1 : 0;
    }
    double[] weights = new double[10];
    double[] logits = new double[10];
    for (int rank = 0; rank < 10; rank++) {
      long[] counts = byToken.get(ClickModel.token(1, rank));
      double rate = (counts[1] + 0.5) / (counts[0] + 1.0);
      weights[rank] = ClickModel.weight(0, rank);
      logits[rank] = Math.log(rate / (1 - rate));
    }
    assertTrue(correlation(weights, logits) > 0.9,
        "C1 weight and empirical logit of its 10 most frequent tokens");
  }

  private static double correlation(double[] x, double[] y) {
    double mx = java.util.Arrays.stream(x).average().orElse(0);
    double my = java.util.Arrays.stream(y).average().orElse(0);
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / Math.sqrt(sxx * syy);
  }

  @Test
  void commandWritesGzipFiles() throws Exception {
    Path out = directory.resolve("cli");
    // Start the shared session first, so the command reuses it (local, 127.0.0.1, no UI).
    SharedSpark.get();

    int code = ShaverCli.execute("generate", "--rows", "2000", "--out", out.toString(),
        "--seed", "3", "--gzip", "--files", "2");

    assertEquals(ShaverCli.EXIT_OK, code);
    assertEquals(List.of("part-00000.txt.gz", "part-00001.txt.gz"),
        parts(out).stream().map(p -> p.getFileName().toString()).toList());
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
    assertEquals(2_000, new String(content(out)).lines().count());
  }

  @Test
  void commandRejectsZeroRows() {
    int code = ShaverCli.execute("generate", "--rows", "0", "--out",
        directory.resolve("none").toString());

    assertEquals(ShaverCli.EXIT_USAGE, code);
    assertFalse(Files.exists(directory.resolve("none")));
  }
}
