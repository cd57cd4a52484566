package io.shaver.shapley;

import io.shaver.model.CtrModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Single-JVM Shapley estimator of Shaver (Tran et al., "On-device Content-based Recommendation
 * with Single-shot Embedding Pruning: A Cooperative Game Perspective", WWW 2025) over
 * in-memory encoded data.
 *
 * <p>Each pass walks every sample once with a fresh permutation keyed by (seed, pass, sample
 * key), in batches of the configured size. Passes are whole: convergence is checked only
 * after a pass ends and once the minimum number of passes has finished, so every sample is
 * visited equally often and the estimate is unbiased for the data-level game. The run stops
 * when the convergence ratio falls below the threshold or after the maximum number of
 * passes.
 *
 * <p>Permutations and accumulation do not depend on the batch size, the sample order or the
 * partitioning, so with a model whose logits do not depend on the batch, phi agrees to about
 * 1e-15 relative across batchings. NOTE: ND4J-backed models round a sample's logit
 * differently in batches of different sizes, which moved phi by up to 1e-7 of max |phi| on
 * tiny DeepFM and DCN-Mix models.
 */
public final class ShapleyEstimator {
  private static final Logger LOG = LoggerFactory.getLogger(ShapleyEstimator.class);

  private final CtrModel model;
  private final TableLayout layout;
  private final Placeholder placeholder;
  private final EstimatorSettings settings;
  private final PermutationSource permutations;

  /**
   * Creates an estimator with explicit placeholder and permutation source.
   *
   * @throws IllegalArgumentException if the placeholder kind differs from the settings'
   */
  public ShapleyEstimator(CtrModel model, TableLayout layout, Placeholder placeholder,
      EstimatorSettings settings, PermutationSource permutations) {
    if (placeholder.kind() != settings.placeholder()) {
      throw new IllegalArgumentException("placeholder kind " + placeholder.kind()
          + " differs from settings placeholder " + settings.placeholder());
    }
    this.model = model;
    this.layout = layout;
    this.placeholder = placeholder;
    this.settings = settings;
    this.permutations = permutations;
  }

  /**
   * Creates an estimator whose placeholder follows {@code settings.placeholder()} and whose
   * permutations come from {@code settings.seed()}.
   *
   * @param codebook required when the settings ask for the codebook placeholder, else ignored
   */
  public static ShapleyEstimator of(CtrModel model, TableLayout layout,
      EstimatorSettings settings, Codebook codebook) {
    Placeholder placeholder = Placeholder.of(settings.placeholder(), layout, codebook);
    return new ShapleyEstimator(model, layout, placeholder, settings,
        PermutationSource.seeded(settings.seed()));
  }

  /**
   * Estimates phi of every parameter on {@code data}.
   *
   * @throws IllegalArgumentException if the data is empty or an id lies outside its field
   */
  public Estimate estimate(EncodedSamples data) {
    if (data.size() == 0) {
      throw new IllegalArgumentException("data must contain at least one sample");
    }
    data.validate(layout);
    ShapleyAccumulator accumulator =
        ShapleyAccumulator.create(layout.parameters(), settings.denseParameterLimit());
    int batch = Math.min(settings.batchSize(), data.size());
    LOG.info("Estimating Shapley values: {} samples, {} coordinates each, {} parameters, {}",
        data.size(), layout.coordinates(), layout.parameters(), settings);

    long evaluations = 0;
    int passes = 0;
    Convergence convergence = Convergence.empty();
    boolean converged = false;
    try (WalkEngine engine = new WalkEngine(model, layout, placeholder, permutations,
        settings.antithetic(), batch)) {
      while (passes < settings.maxPasses() && !converged) {
        long started = System.nanoTime();
        for (int from = 0; from < data.size(); from += batch) {
          int count = Math.min(batch, data.size() - from);
          evaluations += engine.walk(data, from, count, passes, accumulator);
        }
        passes++;
        convergence = Convergence.of(accumulator);
        converged = convergence.isConverged(passes, settings);
        double seconds = (System.nanoTime() - started) / 1e9;
        LOG.info("Pass {} done in {} s: {} samples/s, ratio {}, {} parameters touched",
            passes, String.format("%.2f", seconds),
            String.format("%.1f", data.size() / seconds),
            String.format("%.4g", convergence.ratio()), accumulator.touchedParameters());
      }
    }
    LOG.info("Estimation {} after {} passes: {} samples, {} evaluations",
        converged ? "converged" : "stopped at the pass limit", passes, accumulator.samples(),
        evaluations);
    return new Estimate(accumulator, passes, evaluations, convergence, converged);
  }
}
