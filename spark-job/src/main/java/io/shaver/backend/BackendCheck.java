package io.shaver.backend;

import io.shaver.model.CtrModel;
import io.shaver.model.ModelConfig;
import io.shaver.shapley.EncodedSamples;
import io.shaver.shapley.PermutationSource;
import io.shaver.shapley.Placeholder;
import io.shaver.shapley.ShapleyAccumulator;
import io.shaver.shapley.TableLayout;
import io.shaver.shapley.WalkEngine;
import java.util.SplittableRandom;

/**
 * Walks random samples through the backend selected for a device, without Spark, and measures
 * it: one pass over {@code samples} samples with the zero placeholder.
 *
 * <p>NOTE: there is no GPU backend yet, so for any device this runs the CPU backend and
 * {@link Result#gpuBackend()} is false. Once a GPU backend exists this check should also walk
 * the same samples on the CPU and compare phi.
 */
public final class BackendCheck {

  private BackendCheck() {
  }

  /**
   * Measures of one check: the device asked for, the backend that ran, whether it is a GPU
   * backend, samples walked, model evaluations, seconds, the sum of phi over all parameters
   * and the parameters touched.
   */
  public record Result(DeviceBinding device, String backend, boolean gpuBackend, long samples,
      long evaluations, double seconds, double phiSum, long touchedParameters) {

    public double samplesPerSecond() {
      return samples / seconds;
    }
  }

  /**
   * Runs the check.
   *
   * @param samples random samples to walk, each id uniform in its field, labels 0 or 1
   * @param batchSize samples per lock-step batch
   * @param seed seed of the samples and permutations
   */
  public static Result run(CtrModel model, DeviceBinding device, int samples, int batchSize,
      long seed) {
    ModelConfig architecture = model.config();
    TableLayout layout = TableLayout.of(architecture.fieldSizes(), architecture.embeddingDim());
    EncodedSamples data = randomSamples(layout, samples, seed);
    WalkBackend backend = WalkBackends.select(device);
    ShapleyAccumulator statistics = ShapleyAccumulator.create(layout.parameters(), 0);
    int batch = Math.min(batchSize, samples);
    long evaluations = 0;
    long started = System.nanoTime();
    try (WalkEngine engine = backend.open(model, layout, Placeholder.zero(layout),
        PermutationSource.seeded(seed), false, batch)) {
      for (int from = 0; from < samples; from += batch) {
        evaluations += engine.walk(data, from, Math.min(batch, samples - from), 0, statistics);
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    double[] phiSum = {0};
    statistics.forEach((parameter, sum, sumOfSquares, occurrences) ->
        phiSum[0] += ShapleyAccumulator.phi(sum, statistics.samples()));
    return new Result(device, backend.name(), WalkBackends.gpuBackendAvailable(), samples,
        evaluations, seconds, phiSum[0], statistics.touchedParameters());
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
