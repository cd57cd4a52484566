package io.shaver.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shaver.model.CtrModels;
import io.shaver.model.ModelConfig;
import io.shaver.model.ModelKind;
import io.shaver.model.ModelStore;
import io.shaver.shapley.TableLayout;
import io.shaver.testing.AppJar;
import io.shaver.testing.SharedSpark;
import io.shaver.testing.StandaloneCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Scaling benchmark of the estimate stage on a standalone cluster of two one-core Workers:
 * one executor with one core against two executors with one core each, on a stored DeepFM
 * (20 fields of 40 rows, d = 16, hidden layers 200 and 200, batch norm) and about 16,000
 * samples. Each configuration runs 3 passes. Throughput is the mean samples/s of passes 2 and
 * 3 from the driver's pass log, because pass 1 also sorts and caches the data. Runs only when
 * named:
 *
 * <pre>
 * mvn -B -o -pl spark-job test -Dtest=EstimateScalingBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * Results go to {@code target/benchmarks/estimate-scaling.txt}. Speed is not asserted; the
 * records are in docs/benchmarks/estimate-scaling.md.
 */
class EstimateScalingBenchmark {

  private static final TableLayout LAYOUT = TableLayout.of(repeat(40, 20), 16);
  private static final Pattern PASS = Pattern.compile(
      "Pass (\\d) of at most 3 done in [^:]+: \\d+ samples .*?, ([0-9.]+) samples/s");
  private static final int ROUNDS = 2;

  @Test
  void oneVersusTwoExecutors() throws Exception {
    Path directory = Files.createDirectories(Path.of("target/benchmarks/estimate-scaling"));
    Path run = Files.createDirectories(directory.resolve("run"));
    PreparedFixture.random(LAYOUT, 18_000, 13).write(SharedSpark.get(), run);
    ModelConfig architecture = deepFm();
    ModelStore.save(run.resolve("model"), architecture,
        CtrModels.randomStateDict(architecture, 5, 0.05), Map.of());
    StoredModelSource model = StoredModelSource.read(EstimateStage.modelDirectory(run.toString()),
        SharedSpark.get().sparkContext().hadoopConfiguration());
    Path modelFile = directory.resolve("model.bin");
    EstimateApp.writeModel(model, modelFile);
    Path config = directory.resolve("job.yaml");
    Files.writeString(config, "output: " + run.toAbsolutePath() + "\nseed: 2023\n"
        + "data: {path: raw.txt}\nestimate: {max_passes: 3, threshold: 1e-9, batch_size: 64,"
        + " partitions: 8, placeholder: zero}\n");
    Path jar = AppJar.ofTestClasses(Files.createDirectories(directory.resolve("jar")));

    List<String> report = new ArrayList<>();
    double[] throughput = new double[3];
    try (StandaloneCluster cluster =
        StandaloneCluster.start(directory.resolve("cluster"), 2, 1, 0)) {
      for (int round = 0; round < ROUNDS; round++) {
        for (int cores = 1; cores <= 2; cores++) {
          Path log = directory.resolve("submit-" + cores + "-" + round + ".log");
          String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
          ExecutorCpu cpu = new ExecutorCpu(cluster);
          StandaloneCluster.SubmitResult result = cluster.submit(List.of(
              "--deploy-mode", "client", "--class", EstimateApp.class.getName(),
              "--conf", "spark.driver.host=127.0.0.1",
              "--conf", "spark.driver.bindAddress=127.0.0.1",
              "--conf", "spark.ui.enabled=false",
              "--conf", "spark.executor.cores=1",
              "--conf", "spark.cores.max=" + cores,
              "--conf", "spark.executor.memory=1g",
              "--conf", "spark.executorEnv.OMP_NUM_THREADS=1",
              jar.toAbsolutePath().toString(), config.toAbsolutePath().toString(),
              modelFile.toAbsolutePath().toString(), "fresh",
              directory.resolve("tasks-" + cores + "-" + round + ".txt").toAbsolutePath()
                  .toString()), log, Duration.ofMinutes(15));
          cpu.close();
          assertEquals(0, result.exitCode(), result.output());
          double rate = steadyThroughput(result.output());
          throughput[cores] += rate / ROUNDS;
          report.add("round " + round + ", " + cores + " executor(s) x 1 core: "
              + String.format("%.1f", rate) + " samples/s (passes 2-3); "
              + taskSeconds(directory.resolve("tasks-" + cores + "-" + round + ".txt"))
              + "; executor CPU " + String.format("%.1f", cpu.seconds()) + " s in "
              + cpu.executors() + " executor JVM(s); /proc/loadavg before: " + loadBefore);
        }
      }
    }
    report.add(String.format("mean: 1 executor %.1f samples/s, 2 executors %.1f samples/s,"
        + " ratio %.2f", throughput[1], throughput[2], throughput[2] / throughput[1]));
    Files.write(directory.resolve("../estimate-scaling.txt"), report, StandardCharsets.UTF_8);
    report.forEach(line -> org.slf4j.LoggerFactory.getLogger(EstimateScalingBenchmark.class)
        .info(line));
  }

  /**
   * Samples the CPU time of the cluster's executor JVMs (children of the Workers) every half
   * second while an application runs, so the report shows how many cores the executors used.
   */
  private static final class ExecutorCpu implements AutoCloseable {
    private final Map<Long, Duration> latest = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.ScheduledExecutorService sampler =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor();

    ExecutorCpu(StandaloneCluster cluster) {
      // An executor of the previous application may still be exiting; it does not count.
      java.time.Instant started = java.time.Instant.now();
      sampler.scheduleAtFixedRate(() -> cluster.workers().stream()
          .flatMap(Process::descendants)
          .filter(process -> process.info().commandLine().orElse("")
              .contains("CoarseGrainedExecutorBackend"))
          .filter(process -> process.info().startInstant()
              .map(start -> !start.isBefore(started)).orElse(false))
          .forEach(process -> process.info().totalCpuDuration()
              .ifPresent(cpu -> latest.put(process.pid(), cpu))),
          0, 500, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    double seconds() {
      return latest.values().stream().mapToLong(Duration::toMillis).sum() / 1000.0;
    }

    int executors() {
      return latest.size();
    }

    @Override
    public void close() {
      sampler.shutdownNow();
    }
  }

  /** Returns the walk task seconds of passes 2 and 3 per executor, from a task file. */
  private static String taskSeconds(Path tasks) throws java.io.IOException {
    Map<String, double[]> byExecutor = new java.util.TreeMap<>();
    for (String line : Files.readAllLines(tasks, StandardCharsets.UTF_8)) {
      String[] task = line.split(" ");
      if (!line.startsWith("application ") && Integer.parseInt(task[0]) >= 2) {
        double[] totals = byExecutor.computeIfAbsent(task[3], executor -> new double[2]);
        totals[0] += Long.parseLong(task[6]);
        totals[1] += Double.parseDouble(task[7]);
      }
    }
    List<String> parts = new ArrayList<>();
    byExecutor.forEach((executor, totals) -> parts.add(String.format(
        "executor %s walked %.0f samples in %.1f task-s", executor, totals[0], totals[1])));
    return String.join(", ", parts);
  }

  private static double steadyThroughput(String driverLog) {
    Matcher matcher = PASS.matcher(driverLog);
    double sum = 0;
    int passes = 0;
    while (matcher.find()) {
      if (Integer.parseInt(matcher.group(1)) >= 2) {
        sum += Double.parseDouble(matcher.group(2));
        passes++;
      }
    }
    assertEquals(2, passes, "pass lines for passes 2 and 3 in the driver log");
    return sum / passes;
  }

  private static ModelConfig deepFm() {
    ModelConfig.Builder builder = ModelConfig.builder().kind(ModelKind.DEEPFM).embeddingDim(16)
        .hiddenSizes(List.of(200, 200));
    for (int f = 0; f < LAYOUT.fields(); f++) {
      builder.addField(PreparedFixture.fieldName(f), LAYOUT.fieldSize(f));
    }
    return builder.build();
  }

  private static int[] repeat(int value, int count) {
    int[] values = new int[count];
    java.util.Arrays.fill(values, value);
    return values;
  }
}
