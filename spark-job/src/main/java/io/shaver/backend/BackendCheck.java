package io.shaver.backend;

import io.shaver.model.CtrModel;
import io.shaver.shapley.EncodedSamples;
import io.shaver.shapley.PermutationSource;
import io.shaver.shapley.Placeholder;
import io.shaver.shapley.ShapleyAccumulator;
import io.shaver.shapley.TableLayout;
import io.shaver.shapley.Walker;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Walks random samples on a candidate backend and on the CPU backend, without Spark, and
 * compares them: one pass over {@code samples} samples with the zero placeholder, the same
 * permutations on both, so phi must agree up to float rounding.
 */
public final class BackendCheck {

  private BackendCheck() {
  }

  /**
   * Measures of one backend's pass: its name, samples walked, model evaluations, seconds, the
   * sum of phi over all parameters and the parameters touched.
   */
  public record Run(String backend, long samples, long evaluations, double seconds,
      double phiSum, long touchedParameters) {

    public double samplesPerSecond() {
      return samples / seconds;
    }
  }

  /**
   * Outcome of a check: the device asked for, the CPU run, the candidate's run (empty when no
   * candidate backend could be used, with the reason) and the largest phi difference relative
   * to the largest |phi| of the CPU run.
   */
  public record Result(DeviceBinding device, Run cpu, Optional<Run> candidate,
      Optional<String> unavailableReason, double maxRelativePhiDifference) {
  }

  /**
   * Runs the check with the backend that a task bound to {@code device} would use for this
   * model. When that is the CPU backend (no GPU backend could be used), only the CPU run is
   * made and the result carries the reason.
   *
   * @param samples random samples to walk, each id uniform in its field, labels 0 or 1
   * @param batchSize samples per lock-step batch
   * @param seed seed of the samples and permutations
   */
  public static Result run(CtrModel model, DeviceBinding device, int samples, int batchSize,
      long seed) {
    WalkBackend selected = WalkBackends.select(device, model.config().kind());
    if (selected instanceof CpuWalkBackend) {
      String reason = WalkBackends.gpuUnavailableReason().orElse("the GPU walk backend does"
          + " not support " + model.config().kind() + " models");
      Run cpu = walk(CpuWalkBackend.instance(), model, samples, batchSize, seed, null);
      return new Result(device, cpu, Optional.empty(), Optional.of(reason), Double.NaN);
    }
    return compare(selected, model, device, samples, batchSize, seed);
  }

  /** Runs the check with {@code candidate} against the CPU backend. */
  public static Result compare(WalkBackend candidate, CtrModel model, DeviceBinding device,
      int samples, int batchSize, long seed) {
    Map<Long, Double> candidatePhi = new HashMap<>();
    Run candidateRun = walk(candidate, model, samples, batchSize, seed, candidatePhi);
    Map<Long, Double> cpuPhi = new HashMap<>();
    Run cpu = walk(CpuWalkBackend.instance(), model, samples, batchSize, seed, cpuPhi);
    return new Result(device, cpu, Optional.of(candidateRun), Optional.empty(),
        maxRelativeDifference(candidatePhi, cpuPhi));
  }

  /**
   * Returns {@code max_p |a_p - b_p| / max_p |b_p|} over the parameters either touched, or the
   * largest absolute difference when every {@code b_p} is 0.
   */
  static double maxRelativeDifference(Map<Long, Double> a, Map<Long, Double> b) {
    double difference = 0;
    double scale = 0;
    for (Map.Entry<Long, Double> entry : b.entrySet()) {
      scale = Math.max(scale, Math.abs(entry.getValue()));
      difference = Math.max(difference,
          Math.abs(a.getOrDefault(entry.getKey(), 0.0) - entry.getValue()));
    }
    for (Map.Entry<Long, Double> entry : a.entrySet()) {
      if (!b.containsKey(entry.getKey())) {
        difference = Math.max(difference, Math.abs(entry.getValue()));
      }
    }
    return scale > 0 ? difference / scale : difference;
  }

  private static Run walk(WalkBackend backend, CtrModel model, int samples, int batchSize,
      long seed, Map<Long, Double> phiOut) {
    TableLayout layout = TableLayout.of(model.config());
    EncodedSamples data = randomSamples(layout, samples, seed);
    ShapleyAccumulator statistics = ShapleyAccumulator.create(layout.parameters(), 0);
    int batch = Math.min(batchSize, samples);
    long evaluations = 0;
    long started = System.nanoTime();
    try (Walker walker = backend.open(model, layout, Placeholder.zero(layout),
        PermutationSource.seeded(seed), false, batch)) {
      for (int from = 0; from < samples; from += batch) {
        evaluations += walker.walk(data, from, Math.min(batch, samples - from), 0, statistics);
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    double[] phiSum = {0};
    statistics.forEach((parameter, sum, sumOfSquares, occurrences) -> {
      double phi = ShapleyAccumulator.phi(sum, statistics.samples());
      phiSum[0] += phi;
      if (phiOut != null) {
        phiOut.put(parameter, phi);
      }
    });
    return new Run(backend.name(), samples, evaluations, seconds, phiSum[0],
        statistics.touchedParameters());
  }

  private static EncodedSamples randomSamples(TableLayout layout, int samples, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int fields = layout.fields();
    int[] ids = new int[samples * fields];
    float[] labels = new float[samples];
    for (int b = 0; b < samples; b++) {
      for (int f = 0; f < fields; f++) {
        ids[b * fields + f] = (int) layout.offset(f) + random.nextInt(layout.fieldSize(f));
      }
      labels[b] = random.nextInt(4) == 0 ? 1f : 0f;
    }
    return EncodedSamples.of(fields, ids, labels);
  }
}
