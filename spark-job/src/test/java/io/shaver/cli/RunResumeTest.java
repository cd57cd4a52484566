package io.shaver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shaver.generate.ClickLogGenerator;
import io.shaver.output.AtomicDirectory;
import io.shaver.testing.LogCapture;
import io.shaver.testing.SharedSpark;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills {@code run} with SIGKILL in a child JVM while the estimate stage walks its last pass,
 * starts the same {@code run} again, and checks that the second run skips prepare and train,
 * resumes the estimate after the last complete checkpoint, and ends with the phi and
 * summary.json of an uninterrupted run.
 *
 * <p>The second run and the uninterrupted reference run in this JVM, which saves a JVM and
 * Spark start. The reference uses copies of the killed run's {@code prepared/} and
 * {@code model/}, so the two runs differ only in the interruption.
 */
class RunResumeTest {

  /**
   * Relative tolerance of phi and stderr. An uninterrupted run also reads the totals of each
   * pass back from its checkpoint before the next pass. Walks are keyed by (seed, pass, row
   * key), and both runs cut the same batches on local[2] with the same BLAS threads, so phi
   * normally agrees to the last bit. The tolerance admits only another order of double
   * additions when Spark combines the records of a parameter block, which EstimateStage bounds
   * by 1e-9 relative.
   */
  private static final double PHI_TOLERANCE = 1e-9;

  /**
   * Relative tolerance of the summary's metrics. Phi within {@link #PHI_TOLERANCE} gives the
   * same parameter ranking unless two values tie to 9 digits, so the pruned models, and with
   * them AUC, log loss and KL, are the same up to the last bits of the scoring sums.
   */
  private static final double SUMMARY_TOLERANCE = 1e-9;

  private static final long ROWS = 5_000;
  private static final int MAX_PASSES = 3;
  private static final Duration TIMEOUT = Duration.ofMinutes(4);

  @TempDir
  static Path directory;

  private final List<Process> children = new ArrayList<>();

  @AfterEach
  void killChildren() throws InterruptedException {
    for (Process child : children) {
      if (child.isAlive()) {
        child.destroyForcibly().waitFor();
      }
    }
  }

  /**
   * Returns a config whose estimate takes exactly {@value #MAX_PASSES} passes of about 2,000
   * validation rows each, about 2 s per pass on 2 cores. The threshold is too small to be met,
   * so every pass runs.
   */
  private static String config(Path data, Path output) {
    return String.join("\n",
        "output: " + output,
        "seed: 2023",
        "data: {format: criteo, path: " + data + ", min_count: 5,"
            + " split: {train: 0.5, val: 0.4, test: 0.1}}",
        "model: {kind: deepfm, embedding_dim: 16, hidden: [16]}",
        "train: {batch_size: 256, max_epochs: 1, patience: 1}",
        "estimate: {data: val, min_passes: " + MAX_PASSES + ", max_passes: " + MAX_PASSES + ","
            + " threshold: 1e-9, batch_size: 64, partitions: 2, zero_baseline: false}",
        "compress: {sparsity: [0.5, 0.9]}",
        "evaluate: {methods: [shaver-codebook, magnitude], ptq_bits: [8]}",
        "");
  }

  @Test
  void killedRunResumesAtLastPass() throws Exception {
    SparkSession spark = SharedSpark.get();
    Path data = directory.resolve("data");
    ClickLogGenerator.generate(spark, ROWS, data.toString(), 7, false, 1);
    Path run = directory.resolve("resumed").resolve("run");
    Path configFile = directory.resolve("job.yaml");
    Files.writeString(configFile, config(data, run));

    Path killedLog = directory.resolve("killed.log");
    Process killed = startRun(configFile, killedLog);
    int lastPass = MAX_PASSES - 1;
    awaitPassDone(killed, killedLog, run, lastPass);
    // The pass-done line follows the checkpoint, and the walks of the next pass start at once
    // and take about 2 s, so 200 ms later the driver is inside them.
    Thread.sleep(200);
    assertFalse(checkpointComplete(run, MAX_PASSES),
        "pass " + MAX_PASSES + " still runs when the driver is killed");
    killed.destroyForcibly();
    assertTrue(killed.waitFor(30, TimeUnit.SECONDS), "the killed run exits");
    assertEquals(128 + 9, killed.exitValue(), "exit code of a JVM killed by SIGKILL");

    assertNoEstimateOutputs(run);
    Map<String, String> upstream = snapshot(run, "prepared", "model", "_stages/prepare.json",
        "_stages/train.json");
    Map<String, String> checkpoints = snapshot(run, "checkpoints/pass-1",
        "checkpoints/pass-" + lastPass);

    String log;
    try (LogCapture capture = LogCapture.of("io.shaver")) {
      assertEquals(0, ShaverCli.execute("run", "--config", configFile.toString()),
          "exit code of the resumed run");
      log = capture.text();
    }
    assertTrue(log.contains("Skipping stage 'prepare'"), "prepare is skipped:\n" + tail(log));
    assertTrue(log.contains("Skipping stage 'train'"), "train is skipped:\n" + tail(log));
    assertTrue(log.contains("Resuming from checkpoint " + checkpointPath(run, lastPass) + ": "
        + lastPass + " passes"), "the estimate resumes at pass-" + lastPass + ":\n" + tail(log));
    assertEquals(List.of(MAX_PASSES), passesDone(log), "passes walked by the resumed run");
    assertEquals(upstream, snapshot(run, "prepared", "model", "_stages/prepare.json",
        "_stages/train.json"), "prepare and train outputs are untouched");
    assertEquals(checkpoints, snapshot(run, "checkpoints/pass-1", "checkpoints/pass-" + lastPass),
        "the resumed run keeps the checkpoints it resumed from");

    Path reference = runUninterrupted(configFile, run);
    assertPhiEquals(spark, reference, run);
    assertSummaryEquals(reference, run);
  }

  /** Runs the same config to the end in this JVM, on copies of the run's prepare and train. */
  private static Path runUninterrupted(Path configFile, Path run) throws IOException {
    Path reference = directory.resolve("reference").resolve("run");
    for (String name : List.of("prepared", "model", "_stages/prepare.json",
        "_stages/train.json")) {
      copy(run.resolve(name), reference.resolve(name));
    }
    assertEquals(0, ShaverCli.execute("run", "--config", configFile.toString(), "--output",
        reference.toString()));
    return reference;
  }

  /**
   * Asserts that the kill left no estimate output that a later run could take as done: no
   * stage record, and {@code codebook/} and {@code shapley/} absent or without a success
   * marker, which are the two conditions the pipeline checks before skipping a stage.
   */
  private static void assertNoEstimateOutputs(Path run) {
    assertFalse(Files.exists(run.resolve("_stages/estimate.json")), "estimate stage record");
    for (String output : List.of("codebook", "shapley")) {
      assertFalse(Files.exists(run.resolve(output).resolve(AtomicDirectory.SUCCESS_MARKER)),
          output + "/ is complete after the kill");
    }
    assertFalse(checkpointComplete(run, MAX_PASSES), "checkpoint pass-" + MAX_PASSES);
  }

  private static void assertPhiEquals(SparkSession spark, Path expectedRun, Path actualRun) {
    List<Row> expected = readShapley(spark, expectedRun);
    List<Row> actual = readShapley(spark, actualRun);

    assertEquals(expected.size(), actual.size(), "rows of shapley/");
    assertTrue(expected.stream().anyMatch(row -> row.getDouble(2) != 0.0), "some phi is non-zero");
    for (int i = 0; i < expected.size(); i++) {
      Row want = expected.get(i);
      Row got = actual.get(i);
      String parameter = "parameter (" + want.getLong(0) + ", " + want.getInt(1) + ")";
      assertEquals(want.getLong(0), got.getLong(0), "global_id of row " + i);
      assertEquals(want.getInt(1), got.getInt(1), "dimension of row " + i);
      assertEquals(want.getDouble(2), got.getDouble(2),
          PHI_TOLERANCE * Math.abs(want.getDouble(2)), "phi of " + parameter);
      assertEquals(want.getDouble(3), got.getDouble(3),
          PHI_TOLERANCE * Math.abs(want.getDouble(3)), "stderr of " + parameter);
      assertEquals(want.getLong(4), got.getLong(4), "occurrences of " + parameter);
    }
  }

  private static List<Row> readShapley(SparkSession spark, Path run) {
    return spark.read().parquet(run.resolve("shapley").toString())
        .select("global_id", "dimension", "phi", "stderr", "occurrences")
        .orderBy("global_id", "dimension")
        .collectAsList();
  }

  /** Asserts equal summaries, leaving out the timings, which differ between any two runs. */
  private static void assertSummaryEquals(Path expectedRun, Path actualRun) throws IOException {
    ObjectMapper json = new ObjectMapper();
    JsonNode expected = json.readTree(expectedRun.resolve("report/summary.json").toFile());
    JsonNode actual = json.readTree(actualRun.resolve("report/summary.json").toFile());

    assertEquals(MAX_PASSES, actual.get("estimation").get("passes").asInt(), "passes");
    assertTrue(expected.get("results").size() >= 4, "results in " + expected);
    assertJsonEquals(expected, actual, "summary");
  }

  private static void assertJsonEquals(JsonNode expected, JsonNode actual, String where) {
    if (expected.isNumber() && !expected.isIntegralNumber()) {
      assertTrue(actual.isNumber(), where + " is " + actual);
      double want = expected.asDouble();
      assertEquals(want, actual.asDouble(), SUMMARY_TOLERANCE * Math.abs(want), where);
      return;
    }
    if (!expected.isContainerNode()) {
      assertEquals(expected, actual, where);
      return;
    }
    assertEquals(expected.size(), actual.size(), "entries of " + where);
    if (expected.isArray()) {
      for (int i = 0; i < expected.size(); i++) {
        assertJsonEquals(expected.get(i), actual.get(i), where + "[" + i + "]");
      }
      return;
    }
    for (Iterator<String> names = expected.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("seconds")) {
        assertTrue(actual.has(name), where + " lacks '" + name + "'");
        assertJsonEquals(expected.get(name), actual.get(name), where + "." + name);
      }
    }
  }

  /**
   * Starts {@code shaver run} in a child JVM with this JVM's flags (surefire's argLine) and
   * classpath, and the Spark settings of {@link SharedSpark}, writing its output to {@code log}.
   */
  private Process startRun(Path configFile, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!flag.startsWith("-Xmx") && !flag.startsWith("-agentlib:jdwp")) {
        command.add(flag);
      }
    }
    command.addAll(List.of("-Xmx2g", "-Dspark.master=local[2]", "-Dspark.ui.enabled=false",
        "-Dspark.driver.host=127.0.0.1", "-Dspark.driver.bindAddress=127.0.0.1",
        "-Dspark.sql.shuffle.partitions=4"));
    command.add("-cp");
    // Surefire passes the classpath through a manifest-only jar and names the real one here.
    command.add(System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path")));
    command.addAll(List.of(ShaverCli.class.getName(), "run", "--config", configFile.toString()));
    Process child = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    children.add(child);
    return child;
  }

  /** Waits until the child logs that {@code pass} is done, which follows its checkpoint. */
  private static void awaitPassDone(Process child, Path log, Path run, int pass)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!(checkpointComplete(run, pass) && passesDone(readLog(log)).contains(pass))) {
      assertTrue(child.isAlive(), "the run ended before pass " + pass + " was done:\n"
          + tail(log));
      assertTrue(System.nanoTime() < deadline, "timed out waiting for pass " + pass + ":\n"
          + tail(log));
      Thread.sleep(20);
    }
  }

  /** Returns the pass numbers of the log's pass-done lines, in log order. */
  private static List<Integer> passesDone(String log) {
    List<Integer> passes = new ArrayList<>();
    java.util.regex.Matcher matcher = java.util.regex.Pattern
        .compile("EstimationPass: Pass (\\d+) of at most \\d+ done").matcher(log);
    while (matcher.find()) {
      passes.add(Integer.parseInt(matcher.group(1)));
    }
    return passes;
  }

  private static boolean checkpointComplete(Path run, int pass) {
    return Files.exists(run.resolve("checkpoints/pass-" + pass)
        .resolve(AtomicDirectory.SUCCESS_MARKER));
  }

  private static String checkpointPath(Path run, int pass) {
    return run.resolve("checkpoints/pass-" + pass).toString();
  }

  /** Maps every file under the named paths to its size, modification time and SHA-256. */
  private static Map<String, String> snapshot(Path run, String... names) throws Exception {
    Map<String, String> files = new TreeMap<>();
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    for (String name : names) {
      assertTrue(Files.exists(run.resolve(name)), name + " exists");
      List<Path> paths;
      try (Stream<Path> walk = Files.walk(run.resolve(name))) {
        paths = walk.filter(Files::isRegularFile).sorted().toList();
      }
      for (Path path : paths) {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        files.put(run.relativize(path).toString(), attributes.size() + " bytes, modified "
            + attributes.lastModifiedTime() + ", sha256 "
            + HexFormat.of().formatHex(digest.digest(Files.readAllBytes(path))));
      }
    }
    return files;
  }

  private static void copy(Path source, Path target) throws IOException {
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(source)) {
      paths = walk.sorted().toList();
    }
    for (Path path : paths) {
      Path destination = target.resolve(source.relativize(path).toString());
      if (Files.isDirectory(path)) {
        Files.createDirectories(destination);
      } else {
        Files.createDirectories(destination.getParent());
        Files.copy(path, destination);
      }
    }
  }

  private static String readLog(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  private static String tail(Path log) throws IOException {
    return tail(readLog(log));
  }

  private static String tail(String text) {
    return text.length() > 6_000 ? text.substring(text.length() - 6_000) : text;
  }
}
