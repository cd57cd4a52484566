package io.shaver.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaver.config.JobConfig;
import io.shaver.config.JobConfigLoader;
import io.shaver.output.AtomicDirectory;
import io.shaver.shapley.TableLayout;
import io.shaver.testing.AppJar;
import io.shaver.testing.SharedSpark;
import io.shaver.testing.StandaloneCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The estimate stage submitted through SparkSubmit to a real standalone cluster: a Master and
 * two Workers on 127.0.0.1, each with 2 cores and one fake GPU (address 0). Every result is
 * compared with an uninterrupted local-mode run of the same data, model and seed.
 */
class EstimateClusterTest {

  static final TableLayout LAYOUT = DistributedEstimateTest.LAYOUT;
  static final PreparedFixture DATA = PreparedFixture.random(LAYOUT, 420, 8);
  static final TinyModelSource MODEL = DistributedEstimateTest.MODEL;
  static final String ESTIMATE = "estimate:\n  max_passes: 3\n  threshold: 1e-9\n"
      + "  batch_size: 5\n  partitions: 6\n";
  static final Duration TIMEOUT = Duration.ofMinutes(5);

  @TempDir
  static Path directory;

  private static StandaloneCluster cluster;
  private static Path jar;
  private static ShapleyTable reference;

  @BeforeAll
  static void startCluster() throws Exception {
    jar = AppJar.ofTestClasses(directory);
    cluster = StandaloneCluster.start(directory.resolve("cluster"), 2, 2, 1);
    SparkSession spark = SharedSpark.get();
    Path run = prepare("reference");
    new EstimateStage(spark, config(run, ""), MODEL, false).run();
    reference = ShapleyTable.read(spark, run, LAYOUT.dimension());
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void gpuProfileRunsOnBothWorkers() throws Exception {
    Path run = prepare("gpu");
    Path tasks = run.resolve("tasks.txt");
    StandaloneCluster.SubmitResult result = submit(run,
        config(run, "  gpu: {enabled: true}\n"), MODEL.withDelay(2_000), "fresh", tasks,
        List.of("spark.dynamicAllocation.enabled=true",
            "spark.dynamicAllocation.shuffleTracking.enabled=true",
            "spark.dynamicAllocation.maxExecutors=2"));

    assertFalse(result.timedOut(), "submission timed out:\n" + result.output());
    assertEquals(0, result.exitCode(), result.output());
    String application = application(tasks);
    List<String[]> lines = taskLines(tasks);
    assertEquals(3 * 6, lines.size(), "walk tasks over 3 passes of 6 partitions");
    Set<String> executors = new HashSet<>();
    for (String[] task : lines) {
      assertEquals("gpu:0", task[4], "device bound by task " + String.join(" ", task));
      assertEquals("cpu_(ND4J)", task[5], "backend of task " + String.join(" ", task));
      executors.add(task[3]);
    }
    Set<Integer> workers = new HashSet<>();
    for (String executor : executors) {
      workers.add(workerOf(application, executor));
    }
    assertEquals(Set.of(0, 1), workers, "workers of the walk executors " + executors);
    assertTrue(result.output().contains("Walk stage requests 1 GPU(s)"),
        "the driver logs the GPU profile");
    ShapleyTable.read(SharedSpark.get(), run, LAYOUT.dimension())
        .assertMatches(reference, DistributedEstimateTest.TOLERANCE);
  }

  @Test
  void killedExecutorDoesNotChangePhi() throws Exception {
    Path run = prepare("executor-kill");
    Path tasks = run.resolve("tasks.txt");
    CompletableFuture<StandaloneCluster.SubmitResult> submission = submitAsync(run,
        config(run, ""), MODEL.withDelay(8_000), tasks,
        List.of("spark.cores.max=2", "spark.task.maxFailures=8"));

    awaitCheckpoint(run, 1, submission);
    Thread.sleep(1_500);
    assertFalse(complete(run, 2), "pass 2 is still running when the executor dies");
    ProcessHandle executor = cluster.workers().stream()
        .flatMap(Process::descendants)
        .filter(process -> commandLine(process).contains("CoarseGrainedExecutorBackend"))
        .findFirst().orElseThrow(() -> new AssertionError("no executor process found"));
    assertTrue(executor.destroyForcibly(), "kill executor " + executor.pid());
    StandaloneCluster.SubmitResult result = submission.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

    assertEquals(0, result.exitCode(), result.output());
    assertTrue(result.output().contains("Lost executor"), "the driver saw the executor die");
    assertEquals(3 * 6, taskLines(tasks).size(), "one report per partition and pass");
    ShapleyTable.read(SharedSpark.get(), run, LAYOUT.dimension())
        .assertMatches(reference, DistributedEstimateTest.TOLERANCE);
  }

  @Test
  void killedDriverResumesToSamePhi() throws Exception {
    Path run = prepare("driver-kill");
    CompletableFuture<StandaloneCluster.SubmitResult> submission = submitAsync(run,
        config(run, ""), MODEL.withDelay(8_000), run.resolve("tasks.txt"),
        List.of("spark.cores.max=2"));

    awaitCheckpoint(run, 1, submission);
    ProcessHandle driver = ProcessHandle.current().children()
        .filter(process -> commandLine(process).contains("org.apache.spark.deploy.SparkSubmit"))
        .findFirst().orElseThrow(() -> new AssertionError("no SparkSubmit process found"));
    assertTrue(driver.destroyForcibly(), "kill driver " + driver.pid());
    StandaloneCluster.SubmitResult killed = submission.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    assertNotEquals(0, killed.exitCode(), "the killed driver's exit code");
    assertFalse(complete(run, 3), "the killed run did not finish");

    EstimateResult resumed =
        new EstimateStage(SharedSpark.get(), config(run, ""), MODEL, true).run();

    assertEquals(3, resumed.passes(), "passes after resuming");
    assertTrue(resumed.passReports().size() < 3, "the resumed run skips the checkpointed passes");
    ShapleyTable.read(SharedSpark.get(), run, LAYOUT.dimension())
        .assertMatches(reference, DistributedEstimateTest.TOLERANCE);
  }

  private static Path prepare(String name) throws IOException {
    Path run = Files.createDirectories(directory.resolve(name));
    DATA.write(SharedSpark.get(), run);
    return run;
  }

  private static JobConfig config(Path run, String gpu) {
    return JobConfigLoader.parse(yaml(run, gpu), List.of());
  }

  private static String yaml(Path run, String gpu) {
    return "output: " + run + "\nseed: 2023\ndata: {path: raw.txt}\n" + ESTIMATE + gpu;
  }

  private static StandaloneCluster.SubmitResult submit(Path run, JobConfig config,
      ModelSource model, String mode, Path tasks, List<String> conf) throws Exception {
    Path configFile = run.resolve("job.yaml");
    Files.writeString(configFile, config.effectiveYaml());
    Path modelFile = run.resolve("model.bin");
    EstimateApp.writeModel(model, modelFile);
    List<String> arguments = new ArrayList<>(List.of("--deploy-mode", "client",
        "--class", EstimateApp.class.getName(),
        "--conf", "spark.driver.host=127.0.0.1",
        "--conf", "spark.driver.bindAddress=127.0.0.1",
        "--conf", "spark.ui.enabled=false",
        "--conf", "spark.executor.cores=1",
        "--conf", "spark.executor.memory=512m",
        "--conf", "spark.executorEnv.OMP_NUM_THREADS=1"));
    for (String entry : conf) {
      arguments.add("--conf");
      arguments.add(entry);
    }
    arguments.addAll(List.of(jar.toString(), configFile.toString(), modelFile.toString(), mode,
        tasks.toString()));
    return cluster.submit(arguments, run.resolve("submit.log"), TIMEOUT);
  }

  private static CompletableFuture<StandaloneCluster.SubmitResult> submitAsync(Path run,
      JobConfig config, ModelSource model, Path tasks, List<String> conf) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return submit(run, config, model, "fresh", tasks, conf);
      } catch (Exception e) {
        throw new IllegalStateException("submission failed", e);
      }
    });
  }

  private static void awaitCheckpoint(Path run, int pass,
      CompletableFuture<StandaloneCluster.SubmitResult> submission) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!complete(run, pass)) {
      if (submission.isDone()) {
        throw new AssertionError("the application ended before checkpoint pass-" + pass + ":\n"
            + submission.get().output());
      }
      assertTrue(System.nanoTime() < deadline, "timed out waiting for checkpoint pass-" + pass);
      Thread.sleep(100);
    }
  }

  private static boolean complete(Path run, int pass) {
    return AtomicDirectory.isComplete(
        new org.apache.hadoop.fs.Path(run.resolve("checkpoints/pass-" + pass).toString()),
        SharedSpark.get().sparkContext().hadoopConfiguration());
  }

  private static String application(Path tasks) throws IOException {
    String first = Files.readAllLines(tasks, StandardCharsets.UTF_8).get(0);
    assertTrue(first.startsWith("application "), first);
    return first.substring("application ".length());
  }

  private static List<String[]> taskLines(Path tasks) throws IOException {
    List<String[]> lines = new ArrayList<>();
    for (String line : Files.readAllLines(tasks, StandardCharsets.UTF_8)) {
      if (!line.startsWith("application ")) {
        lines.add(line.split(" "));
      }
    }
    return lines;
  }

  /** Returns the worker whose work directory contains the executor's directory. */
  private static int workerOf(String application, String executor) {
    for (int worker = 0; worker < 2; worker++) {
      Path work = directory.resolve("cluster/work-" + worker + "/" + application + "/" + executor);
      if (Files.isDirectory(work)) {
        return worker;
      }
    }
    throw new AssertionError("no work directory for executor " + executor + " of "
        + application);
  }

  private static String commandLine(ProcessHandle process) {
    return process.info().commandLine().orElse("");
  }
}
