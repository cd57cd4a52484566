package io.shaver.bench;

import io.shaver.model.CtrModel;
import io.shaver.model.CtrModels;
import io.shaver.model.IncrementalForward;
import io.shaver.model.ModelConfig;
import io.shaver.model.ModelKind;
import io.shaver.shapley.EncodedSamples;
import io.shaver.shapley.EstimatorSettings;
import io.shaver.shapley.PermutationSource;
import io.shaver.shapley.Placeholder;
import io.shaver.shapley.ShapleyAccumulator;
import io.shaver.shapley.ShapleyEstimator;
import io.shaver.shapley.Estimate;
import io.shaver.shapley.TableLayout;
import io.shaver.shapley.WalkEngine;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Throughput and variance benchmarks of the Shapley walk engine.
 *
 * <p>{@code throughput}: walks of a Criteo-shaped model (39 fields, d = 16, MLP 400-400-400
 * with batch norm, random weights) for DeepFM and DCN-Mix, in samples per second (one sample is
 * one full walk of m * d + 1 evaluations), next to the dense FLOP bound from a measured ND4J
 * sgemm rate. {@code variance}: spread of phi across seeds at equal evaluation counts, plain
 * permutations (2 passes) against antithetic pairs (1 pass).
 *
 * <p>{@code phases}: thread CPU time of one walk batch on the calling thread, split into the
 * model's reset, replace and logits calls, next to the same batch through the walk engine;
 * the difference is the engine's own work (permutations, losses, crediting). Run it with one
 * BLAS thread so that BLAS work is counted on the calling thread.
 *
 * <p>Usage: {@code ShapleyBench throughput|phases|variance [--threads N] [--batch B] [--samples S]
 * [--model deepfm,dcn_mix]}.
 * Results are logged at INFO (run with {@code -Dorg.apache.logging.log4j.level=INFO}).
 */
public final class ShapleyBench {
  private static final Logger LOG = LoggerFactory.getLogger(ShapleyBench.class);
  private static final int CRITEO_FIELDS = 39;
  private static final int CRITEO_FIELD_SIZE = 1000;

  private ShapleyBench() {
  }

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "throughput";
    int threads = intOption(args, "--threads", 1);
    int batch = intOption(args, "--batch", 256);
    int samples = intOption(args, "--samples", 1024);
    LOG.info("ShapleyBench {}: {} threads, batch {}, {} samples, {} processors, JDK {}",
        mode, threads, batch, samples, Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    switch (mode) {
      case "throughput" -> {
        String models = stringOption(args, "--model", "deepfm,dcn_mix");
        double[] sgemm = measureSgemm(batch, 400, 400);
        for (String id : models.split(",")) {
          ModelKind kind = ModelKind.fromId(id);
          int count = kind == ModelKind.DEEPFM ? samples : Math.max(batch * threads, samples / 4);
          throughput(kind, threads, batch, count, sgemm);
        }
      }
      case "phases" -> {
        phases(ModelKind.DEEPFM, batch);
        phases(ModelKind.DCN_MIX, batch);
      }
      case "variance" -> {
        for (double std : new double[] {0.05, 0.5}) {
          variance(ModelKind.DEEPFM, 6, 4, List.of(16, 16), 64, 40, std);
          variance(ModelKind.DCN_MIX, 6, 4, List.of(16, 16), 64, 40, std);
          variance(ModelKind.DEEPFM, CRITEO_FIELDS, 16, List.of(400, 400, 400), 32, 10, std);
        }
      }
      default -> throw new IllegalArgumentException(
          "mode must be throughput, phases or variance, got " + mode);
    }
  }

  /** Returns a model config with {@code fields} fields of equal size. */
  static ModelConfig config(ModelKind kind, int fields, int fieldSize, int dimension,
      List<Integer> hidden) {
    ModelConfig.Builder builder = ModelConfig.builder().kind(kind).embeddingDim(dimension)
        .hiddenSizes(hidden).batchNorm(true);
    for (int f = 0; f < fields; f++) {
      builder.addField("f" + f, fieldSize);
    }
    return builder.build();
  }

  /** Returns a model with random weights; embedding entries are normal with {@code std}. */
  static CtrModel model(ModelConfig config, long seed, double std) {
    return CtrModels.fromStateDict(config, CtrModels.randomStateDict(config, seed, std));
  }

  /** Returns random samples: uniform ids per field, labels with a 25% positive rate. */
  static EncodedSamples samples(TableLayout layout, int size, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int m = layout.fields();
    int[] ids = new int[size * m];
    float[] labels = new float[size];
    for (int b = 0; b < size; b++) {
      for (int f = 0; f < m; f++) {
        ids[b * m + f] = (int) layout.offset(f) + random.nextInt(layout.fieldSize(f));
      }
      labels[b] = random.nextDouble() < 0.25 ? 1f : 0f;
    }
    return EncodedSamples.of(m, ids, labels);
  }

  /**
   * Measures walks per second of a Criteo-shaped model. Rates are given per wall second and
   * per CPU second of the process; on a shared machine only the latter is stable, and with
   * one BLAS thread per engine thread, cores times the per-CPU-second rate estimates the
   * rate on dedicated cores.
   *
   * @param sgemm sgemm GFLOP per wall second and per CPU second, from {@link #measureSgemm}
   */
  private static void throughput(ModelKind kind, int threads, int batch, int samples,
      double[] sgemm) throws Exception {
    ModelConfig config = config(kind, CRITEO_FIELDS, CRITEO_FIELD_SIZE, 16,
        List.of(400, 400, 400));
    CtrModel model = model(config, 1, 0.05);
    TableLayout layout = TableLayout.of(config);
    EncodedSamples data = samples(layout, samples, 2);
    walkAll(model, layout, data, threads, batch, Math.min(samples, batch * threads));

    double load = loadAverage();
    long cpuStarted = processCpuNanos();
    long started = System.nanoTime();
    long evaluations = walkAll(model, layout, data, threads, batch, samples);
    double seconds = (System.nanoTime() - started) / 1e9;
    double cpuSeconds = (processCpuNanos() - cpuStarted) / 1e9;
    double flopsPerWalk = flopsPerWalk(config);
    double perCpuSecond = samples / cpuSeconds;
    double boundPerCpuSecond = sgemm[1] * 1e9 / flopsPerWalk;
    LOG.info("{} batch {} x {} threads: {} samples, {} evaluations in {} s wall, {} s CPU "
            + "(load average {} before): {} samples/s wall; {} samples per CPU second = {} "
            + "GFLOP per CPU second at {} GFLOP per walk; sgemm bound {} samples per CPU "
            + "second, reached {}%", kind, batch, threads, samples, evaluations, fmt(seconds),
        fmt(cpuSeconds), fmt(load), fmt(samples / seconds), fmt(perCpuSecond),
        fmt(perCpuSecond * flopsPerWalk / 1e9), fmt(flopsPerWalk / 1e9),
        fmt(boundPerCpuSecond), fmt(100 * perCpuSecond / boundPerCpuSecond));
  }

  /** Logs where one walk batch spends its CPU time; see the class comment. */
  private static void phases(ModelKind kind, int batch) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    ModelConfig config = config(kind, CRITEO_FIELDS, CRITEO_FIELD_SIZE, 16,
        List.of(400, 400, 400));
    CtrModel model = model(config, 1, 0.05);
    TableLayout layout = TableLayout.of(config);
    EncodedSamples data = samples(layout, batch, 3);
    ShapleyAccumulator accumulator = ShapleyAccumulator.create(layout.parameters(),
        EstimatorSettings.DEFAULT_DENSE_PARAMETER_LIMIT);
    try (WalkEngine engine = new WalkEngine(model, layout, Placeholder.zero(layout),
        PermutationSource.seeded(1), false, batch)) {
      for (int repeat = 0; repeat < 3; repeat++) {
        long started = threads.getCurrentThreadCpuTime();
        engine.walk(data, 0, batch, repeat, accumulator);
        double millis = (threads.getCurrentThreadCpuTime() - started) / 1e6;
        LOG.info("{} batch {}: walk engine {} ms CPU, {} ms per sample", kind, batch,
            fmt(millis), String.format("%.3f", millis / batch));
      }
    }

    int coordinates = layout.coordinates();
    int[] ids = new int[batch * layout.fields()];
    for (int b = 0; b < batch; b++) {
      for (int f = 0; f < layout.fields(); f++) {
        ids[b * layout.fields() + f] = data.id(b, f);
      }
    }
    float[] x0 = new float[batch * coordinates];
    model.embed(ids, batch, x0);
    int[] order = new int[batch * coordinates];
    PermutationSource permutations = PermutationSource.seeded(5);
    for (int b = 0; b < batch; b++) {
      permutations.permutation(0, b, coordinates, order, b * coordinates);
    }
    int[] coordinate = new int[batch];
    float[] value = new float[batch];
    float[] logits = new float[batch];
    try (IncrementalForward forward = model.openIncremental(batch)) {
      for (int repeat = 0; repeat < 3; repeat++) {
        long replaceNanos = 0;
        long logitsNanos = 0;
        long started = threads.getCurrentThreadCpuTime();
        forward.reset(ids, x0, batch);
        forward.logits(logits);
        long resetNanos = threads.getCurrentThreadCpuTime() - started;
        for (int step = 0; step < coordinates - 1; step++) {
          for (int b = 0; b < batch; b++) {
            coordinate[b] = order[b * coordinates + step];
          }
          long beforeReplace = threads.getCurrentThreadCpuTime();
          forward.replace(coordinate, value);
          long beforeLogits = threads.getCurrentThreadCpuTime();
          forward.logits(logits);
          long after = threads.getCurrentThreadCpuTime();
          replaceNanos += beforeLogits - beforeReplace;
          logitsNanos += after - beforeLogits;
        }
        double total = (resetNanos + replaceNanos + logitsNanos) / 1e6;
        LOG.info("{} batch {}: model alone {} ms CPU (reset {}, replace {}, logits {}), {} ms "
                + "per sample", kind, batch, fmt(total), fmt(resetNanos / 1e6),
            fmt(replaceNanos / 1e6), fmt(logitsNanos / 1e6),
            String.format("%.3f", total / batch));
      }
    }
  }

  /** Returns the CPU time of this process (all threads, BLAS threads included). */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** Returns the 1-minute load average, or -1 where the platform has none. */
  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** Walks every sample once on {@code threads} engines and returns the evaluations made. */
  private static long walkAll(CtrModel model, TableLayout layout, EncodedSamples data,
      int threads, int batch, int samples) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Long>> parts = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        parts.add(pool.submit(() -> {
          ShapleyAccumulator accumulator = ShapleyAccumulator.create(layout.parameters(),
              EstimatorSettings.DEFAULT_DENSE_PARAMETER_LIMIT);
          long evaluations = 0;
          try (WalkEngine engine = new WalkEngine(model, layout, Placeholder.zero(layout),
              PermutationSource.seeded(3), false, batch)) {
            for (int from = thread * batch; from < samples; from += threads * batch) {
              evaluations += engine.walk(data, from, Math.min(batch, samples - from), 0,
                  accumulator);
            }
          }
          return evaluations;
        }));
      }
      long evaluations = 0;
      for (Future<Long> part : parts) {
        evaluations += part.get();
      }
      return evaluations;
    } finally {
      pool.shutdown();
    }
  }

  /**
   * Returns the dense FLOPs of one walk with incremental first layers: m * d - 1 incremental
   * steps plus 2 full forwards. Multiply-adds count 2. Element-wise work is left out.
   */
  static double flopsPerWalk(ModelConfig config) {
    int inputs = config.inputSize();
    List<Integer> hidden = config.hiddenSizes();
    double mlpAfterFirst = 0;
    for (int l = 1; l < hidden.size(); l++) {
      mlpAfterFirst += 2.0 * hidden.get(l - 1) * hidden.get(l);
    }
    mlpAfterFirst += 2.0 * hidden.get(hidden.size() - 1);
    double incremental;
    double full;
    if (config.kind() == ModelKind.DEEPFM) {
      incremental = mlpAfterFirst + 2.0 * hidden.get(0);
      full = mlpAfterFirst + 2.0 * inputs * hidden.get(0);
    } else {
      int rank = config.rank();
      double perExpert = 2.0 * inputs * rank + 2.0 * rank * rank + 2.0 * rank * inputs
          + 2.0 * inputs;
      double cross = config.crossLayers() * config.experts() * perExpert;
      double mlp = mlpAfterFirst + 2.0 * inputs * hidden.get(0);
      full = cross + mlp;
      incremental = full - config.experts() * 2.0 * inputs * rank;
    }
    return (inputs - 1) * incremental + 2 * full;
  }

  /**
   * Measures ND4J sgemm for [rows x inner] times [inner x columns] and returns GFLOP per wall
   * second and per CPU second of the process.
   */
  static double[] measureSgemm(int rows, int inner, int columns) {
    INDArray a = Nd4j.rand(DataType.FLOAT, rows, inner);
    INDArray b = Nd4j.rand(DataType.FLOAT, inner, columns);
    INDArray c = Nd4j.create(DataType.FLOAT, rows, columns);
    for (int i = 0; i < 200; i++) {
      Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
    }
    int repeats = 2000;
    long cpuStarted = processCpuNanos();
    long started = System.nanoTime();
    for (int i = 0; i < repeats; i++) {
      Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    double cpuSeconds = (processCpuNanos() - cpuStarted) / 1e9;
    double flops = 2.0 * rows * inner * columns * repeats;
    double[] gflops = {flops / seconds / 1e9, flops / cpuSeconds / 1e9};
    LOG.info("ND4J sgemm [{} x {}] x [{} x {}]: {} GFLOP/s wall, {} GFLOP per CPU second "
            + "(load average {})", rows, inner, inner, columns, fmt(gflops[0]), fmt(gflops[1]),
        fmt(loadAverage()));
    return gflops;
  }

  /**
   * Compares the spread of phi across seeds for plain permutations (2 passes) and antithetic
   * pairs (1 pass), which cost 2 * (m * d + 1) and 2 * m * d + 1 evaluations per sample.
   */
  private static void variance(ModelKind kind, int fields, int dimension, List<Integer> hidden,
      int size, int seeds, double std) {
    ModelConfig config = config(kind, fields, 5, dimension, hidden);
    CtrModel model = model(config, 11, std);
    TableLayout layout = TableLayout.of(config);
    EncodedSamples data = samples(layout, size, 12);
    double[][] plain = new double[seeds][];
    double[][] antithetic = new double[seeds][];
    long plainEvaluations = 0;
    long antitheticEvaluations = 0;
    for (int s = 0; s < seeds; s++) {
      EstimatorSettings base = EstimatorSettings.builder().seed(1000 + s).batchSize(size)
          .build();
      Estimate twoPasses = ShapleyEstimator.of(model, layout,
          base.toBuilder().maxPasses(2).minPasses(2).build(), null).estimate(data);
      Estimate onePass = ShapleyEstimator.of(model, layout,
          base.toBuilder().maxPasses(1).antithetic(true).build(), null).estimate(data);
      plain[s] = twoPasses.phiArray();
      antithetic[s] = onePass.phiArray();
      plainEvaluations = twoPasses.evaluations();
      antitheticEvaluations = onePass.evaluations();
    }
    double plainVariance = meanVariance(plain);
    double antitheticVariance = meanVariance(antithetic);
    LOG.info("{} {} fields x {}, hidden {}, embedding std {}, {} samples, {} seeds: mean "
            + "variance of phi across seeds {} (plain, 2 passes, {} evaluations) vs {} "
            + "(antithetic, 1 pass, {} evaluations): ratio {}", kind, fields, dimension, hidden,
        std, size, seeds,
        String.format("%.4g", plainVariance), plainEvaluations,
        String.format("%.4g", antitheticVariance), antitheticEvaluations,
        fmt(plainVariance / antitheticVariance));
  }

  /** Returns the variance across runs of each parameter, averaged over parameters. */
  private static double meanVariance(double[][] runs) {
    int parameters = runs[0].length;
    double total = 0;
    for (int p = 0; p < parameters; p++) {
      double mean = 0;
      for (double[] run : runs) {
        mean += run[p];
      }
      mean /= runs.length;
      double squares = 0;
      for (double[] run : runs) {
        squares += (run[p] - mean) * (run[p] - mean);
      }
      total += squares / (runs.length - 1);
    }
    return total / parameters;
  }

  private static int intOption(String[] args, String name, int fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return fallback;
  }

  private static String stringOption(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }

  private static String fmt(double value) {
    return String.format("%.1f", value);
  }
}
