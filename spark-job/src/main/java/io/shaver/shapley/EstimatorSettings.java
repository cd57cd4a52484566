package io.shaver.shapley;

import java.util.Objects;

/**
 * Immutable settings of the Shapley estimator. Build with {@link #builder()}; every setter
 * rejects an invalid value with an {@link IllegalArgumentException} naming the field and value.
 */
public final class EstimatorSettings {

  /** Seed of the permutation source; the reference implementation uses 2023. */
  public static final long DEFAULT_SEED = 2023L;

  /** Samples walked in lock-step through one incremental forward. */
  public static final int DEFAULT_BATCH_SIZE = 256;

  /** Upper bound on whole passes over the data. */
  public static final int DEFAULT_MAX_PASSES = 10;

  /** Whole passes that must finish before convergence is checked. */
  public static final int DEFAULT_MIN_PASSES = 1;

  /** Stop once max SE / (max phi - min phi) falls below this ratio. */
  public static final double DEFAULT_CONVERGENCE_THRESHOLD = 0.01;

  /** Placeholder that an absent coordinate takes. */
  public static final PlaceholderKind DEFAULT_PLACEHOLDER = PlaceholderKind.ZERO;

  /**
   * Whether each sample is also walked along the reverse of its permutation. The pair counts
   * as one draw (the mean of its two contributions) and costs 2 * m * d + 1 evaluations per
   * sample and pass instead of m * d + 1.
   */
  public static final boolean DEFAULT_ANTITHETIC = false;

  /**
   * Largest parameter count (n * d) for which a dense accumulator is used. A dense accumulator
   * takes 32 bytes per parameter. Above the limit the accumulator is hashed, so its memory
   * grows with the parameters touched.
   */
  public static final long DEFAULT_DENSE_PARAMETER_LIMIT = 1L << 21;

  private final long seed;
  private final int batchSize;
  private final int maxPasses;
  private final int minPasses;
  private final double convergenceThreshold;
  private final PlaceholderKind placeholder;
  private final boolean antithetic;
  private final long denseParameterLimit;

  private EstimatorSettings(Builder builder) {
    this.seed = builder.seed;
    this.batchSize = builder.batchSize;
    this.maxPasses = builder.maxPasses;
    this.minPasses = builder.minPasses;
    this.convergenceThreshold = builder.convergenceThreshold;
    this.placeholder = builder.placeholder;
    this.antithetic = builder.antithetic;
    this.denseParameterLimit = builder.denseParameterLimit;
  }

  /** Returns a builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns settings with every default. */
  public static EstimatorSettings defaults() {
    return builder().build();
  }

  /** Returns a builder initialised from these settings. */
  public Builder toBuilder() {
    return new Builder()
        .seed(seed)
        .batchSize(batchSize)
        .maxPasses(maxPasses)
        .minPasses(minPasses)
        .convergenceThreshold(convergenceThreshold)
        .placeholder(placeholder)
        .antithetic(antithetic)
        .denseParameterLimit(denseParameterLimit);
  }

  public long seed() {
    return seed;
  }

  public int batchSize() {
    return batchSize;
  }

  public int maxPasses() {
    return maxPasses;
  }

  public int minPasses() {
    return minPasses;
  }

  public double convergenceThreshold() {
    return convergenceThreshold;
  }

  public PlaceholderKind placeholder() {
    return placeholder;
  }

  public boolean antithetic() {
    return antithetic;
  }

  public long denseParameterLimit() {
    return denseParameterLimit;
  }

  @Override
  public String toString() {
    return "EstimatorSettings{seed=" + seed + ", batchSize=" + batchSize
        + ", maxPasses=" + maxPasses + ", minPasses=" + minPasses
        + ", convergenceThreshold=" + convergenceThreshold + ", placeholder=" + placeholder
        + ", antithetic=" + antithetic + ", denseParameterLimit=" + denseParameterLimit + "}";
  }

  /** Builder of {@link EstimatorSettings}; {@link #build()} checks that minPasses <= maxPasses. */
  public static final class Builder {
    private long seed = DEFAULT_SEED;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private int maxPasses = DEFAULT_MAX_PASSES;
    private int minPasses = DEFAULT_MIN_PASSES;
    private double convergenceThreshold = DEFAULT_CONVERGENCE_THRESHOLD;
    private PlaceholderKind placeholder = DEFAULT_PLACEHOLDER;
    private boolean antithetic = DEFAULT_ANTITHETIC;
    private long denseParameterLimit = DEFAULT_DENSE_PARAMETER_LIMIT;

    private Builder() {
    }

    /** Sets the permutation seed; any value is valid. */
    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    /** Sets the lock-step batch size; must be at least 1. */
    public Builder batchSize(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("batchSize must be >= 1, got " + value);
      }
      this.batchSize = value;
      return this;
    }

    /** Sets the maximum number of whole passes; must be at least 1. */
    public Builder maxPasses(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("maxPasses must be >= 1, got " + value);
      }
      this.maxPasses = value;
      return this;
    }

    /** Sets the passes to finish before convergence is checked; must be at least 1. */
    public Builder minPasses(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("minPasses must be >= 1, got " + value);
      }
      this.minPasses = value;
      return this;
    }

    /** Sets the convergence ratio threshold; must be finite and > 0. */
    public Builder convergenceThreshold(double value) {
      if (!(value > 0) || Double.isInfinite(value)) {
        throw new IllegalArgumentException(
            "convergenceThreshold must be finite and > 0, got " + value);
      }
      this.convergenceThreshold = value;
      return this;
    }

    /** Sets the placeholder kind; must not be null. */
    public Builder placeholder(PlaceholderKind value) {
      this.placeholder = Objects.requireNonNull(value, "placeholder must not be null");
      return this;
    }

    /** Sets whether antithetic (reversed) permutations are walked too. */
    public Builder antithetic(boolean value) {
      this.antithetic = value;
      return this;
    }

    /** Sets the largest parameter count that gets a dense accumulator; must be >= 0. */
    public Builder denseParameterLimit(long value) {
      if (value < 0) {
        throw new IllegalArgumentException("denseParameterLimit must be >= 0, got " + value);
      }
      this.denseParameterLimit = value;
      return this;
    }

    /** Builds the settings; rejects minPasses greater than maxPasses. */
    public EstimatorSettings build() {
      if (minPasses > maxPasses) {
        throw new IllegalArgumentException(
            "minPasses (" + minPasses + ") must be <= maxPasses (" + maxPasses + ")");
      }
      return new EstimatorSettings(this);
    }
  }
}
