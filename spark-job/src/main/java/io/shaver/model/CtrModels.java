package io.shaver.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Factory of {@link CtrModel}s from state dicts, and of random state dicts for tests and
 * benchmarks.
 */
public final class CtrModels {

  private CtrModels() {}

  /**
   * Builds the model that {@code config.kind()} names from a state dict in reference naming
   * ({@link StateDictSchema}). A leading {@code _orig_mod.} is stripped and per-field
   * embedding tables are joined.
   *
   * @throws InvalidModelException listing every mismatch between the tensors and the config
   */
  public static CtrModel fromStateDict(ModelConfig config, Map<String, Tensor> stateDict) {
    return switch (config.kind()) {
      case DEEPFM -> DeepFm.fromStateDict(config, stateDict);
      case DCN_MIX -> DcnMix.fromStateDict(config, stateDict);
      case DCNV2 -> DcnV2.fromStateDict(config, stateDict);
    };
  }

  /**
   * Returns a random state dict with every tensor {@link StateDictSchema} expects, in
   * reference naming.
   *
   * <p>Embedding and first-order rows are normal with standard deviation
   * {@code embeddingStd}. Two-dimensional weights (linear layers, DCN-Mix cross biases) are
   * uniform in {@code ±1/sqrt(columns)}, PyTorch's default bound for a linear layer. DCN-Mix
   * factors are normal with Kaiming's {@code sqrt(2 / fan_in)}. Other biases are uniform in
   * {@code ±0.1}. Batch norms get non-trivial statistics: mean in {@code ±0.5}, variance in
   * {@code [0.5, 1.5]}, scale in {@code [0.5, 1.5]}, shift in
   * {@code ±0.2}. The same seed gives the same tensors.
   */
  public static Map<String, Tensor> randomStateDict(ModelConfig config, long seed,
      double embeddingStd) {
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (StateDictSchema.Spec spec : StateDictSchema.expected(config)) {
      if (!spec.required()) {
        continue;
      }
      long[] shape = spec.shape();
      float[] values = new float[(int) Tensor.elementCount(shape)];
      fill(config, spec.name(), shape, values, random, embeddingStd);
      tensors.put(spec.name(), Tensor.ofFloats(values, shape));
    }
    return tensors;
  }

  private static void fill(ModelConfig config, String name, long[] shape, float[] values,
      SplittableRandom random, double embeddingStd) {
    if (name.equals(StateDictSchema.EMBEDDING) || name.equals("fc.weight")) {
      normal(values, random, embeddingStd);
    } else if (name.startsWith("cross_head.") && !name.startsWith("cross_head.layers.")
        && !name.startsWith("cross_head.biases.")) {
      // Kaiming normal: PyTorch's fan_in of an [E, a, b] tensor is a * b.
      normal(values, random, Math.sqrt(2.0 / (shape[1] * shape[2])));
    } else if (name.endsWith(".running_mean")) {
      uniform(values, random, 0.5);
    } else if (name.endsWith(".running_var")) {
      shifted(values, random, 1.0, 0.5);
    } else if (isBatchNorm(config, name)) {
      if (name.endsWith(".weight")) {
        shifted(values, random, 1.0, 0.5);
      } else {
        uniform(values, random, 0.2);
      }
    } else if (shape.length == 2) {
      uniform(values, random, 1.0 / Math.sqrt(shape[1]));
    } else {
      // Biases (linear, cross and _bias): small uniform values.
      uniform(values, random, 0.1);
    }
  }

  private static boolean isBatchNorm(ModelConfig config, String name) {
    String prefix = StateDictSchema.mlpPrefix(config.kind());
    if (!config.batchNorm() || !name.startsWith(prefix)) {
      return false;
    }
    int index = Integer.parseInt(name.substring(prefix.length(), name.indexOf('.',
        prefix.length())));
    return index % 4 == 1 && index / 4 < config.hiddenSizes().size();
  }

  private static void normal(float[] values, SplittableRandom random, double std) {
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (gaussian(random) * std);
    }
  }

  private static void uniform(float[] values, SplittableRandom random, double bound) {
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
    }
  }

  private static void shifted(float[] values, SplittableRandom random, double center,
      double halfWidth) {
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (center + (random.nextDouble() * 2 - 1) * halfWidth);
    }
  }

  /** Returns a standard normal draw (Box-Muller), deterministic for the generator's state. */
  static double gaussian(SplittableRandom random) {
    double u = random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
  }
}
