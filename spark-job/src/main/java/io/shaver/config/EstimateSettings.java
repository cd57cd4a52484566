package io.shaver.config;

import io.shaver.shapley.EstimatorSettings;
import io.shaver.shapley.PlaceholderKind;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the estimate stage (the {@code estimate} section of a job config): placeholder,
 * convergence rule, pass limits, which prepared data to walk, how to partition and aggregate
 * it, and the GPU request. The permutation seed is the job's {@code seed}.
 *
 * <p>Immutable; build with {@link #builder()}. Every setter rejects an invalid value with an
 * {@link IllegalArgumentException} naming the key and the value.
 */
public final class EstimateSettings {

  /** Shaver-Codebook: absent coordinates take the field-aware codebook value. */
  public static final PlaceholderKind DEFAULT_PLACEHOLDER = PlaceholderKind.CODEBOOK;

  public static final double DEFAULT_THRESHOLD = EstimatorSettings.DEFAULT_CONVERGENCE_THRESHOLD;

  public static final int DEFAULT_MIN_PASSES = EstimatorSettings.DEFAULT_MIN_PASSES;

  public static final int DEFAULT_MAX_PASSES = EstimatorSettings.DEFAULT_MAX_PASSES;

  public static final int DEFAULT_BATCH_SIZE = EstimatorSettings.DEFAULT_BATCH_SIZE;

  /** Largest batch size. A walk engine keeps m * d doubles of contributions per sample. */
  public static final int MAX_BATCH_SIZE = 1 << 16;

  public static final boolean DEFAULT_ANTITHETIC = EstimatorSettings.DEFAULT_ANTITHETIC;
  /**
   * Whether the estimate stage also estimates phi with zero placeholders into
   * {@code shapley-zero/}, for the evaluate stage's shaver-zero baseline. Doubles the cost.
   */
  public static final boolean DEFAULT_ZERO_BASELINE = true;

  public static final EstimationData DEFAULT_DATA = EstimationData.TRAIN_VAL;

  /** Share of the rows walked; 1 walks every row of the chosen splits. */
  public static final double DEFAULT_SAMPLE_FRACTION = 1.0;

  /** Walk partitions; 0 means automatic (see {@link #partitions()}). */
  public static final int DEFAULT_PARTITIONS = 0;

  /**
   * Parameters per aggregation block. A block's totals take at most 32 bytes per parameter,
   * 2 MiB at this size.
   */
  public static final long DEFAULT_BLOCK_SIZE = 1L << 16;

  private static final String AUTOMATIC = "auto";

  private final PlaceholderKind placeholder;
  private final double threshold;
  private final int minPasses;
  private final int maxPasses;
  private final int batchSize;
  private final boolean antithetic;
  private final boolean zeroBaseline;
  private final EstimationData data;
  private final double sampleFraction;
  private final int partitions;
  private final long blockSize;
  private final GpuSettings gpu;

  private EstimateSettings(Builder builder) {
    this.placeholder = builder.placeholder;
    this.threshold = builder.threshold;
    this.minPasses = builder.minPasses;
    this.maxPasses = builder.maxPasses;
    this.batchSize = builder.batchSize;
    this.antithetic = builder.antithetic;
    this.zeroBaseline = builder.zeroBaseline;
    this.data = builder.data;
    this.sampleFraction = builder.sampleFraction;
    this.partitions = builder.partitions;
    this.blockSize = builder.blockSize;
    this.gpu = builder.gpu;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Returns the settings with every default. */
  public static EstimateSettings defaults() {
    return builder().build();
  }

  public Builder toBuilder() {
    return builder().placeholder(placeholder).threshold(threshold).minPasses(minPasses)
        .maxPasses(maxPasses).batchSize(batchSize).antithetic(antithetic).zeroBaseline(zeroBaseline).data(data)
        .sampleFraction(sampleFraction).partitions(partitions).blockSize(blockSize).gpu(gpu);
  }

  /** Binds the {@code estimate} section of a job config; an absent section means defaults. */
  static EstimateSettings fromConfig(ConfigReader estimate) {
    Builder builder = builder();
    estimate.apply("placeholder", estimate.string("placeholder"),
        value -> builder.placeholder(parsePlaceholder(value)));
    estimate.apply("threshold", estimate.number("threshold"), builder::threshold);
    estimate.apply("min_passes", estimate.integer("min_passes"),
        value -> builder.minPasses(DataSettings.toInt(value)));
    estimate.apply("max_passes", estimate.integer("max_passes"),
        value -> builder.maxPasses(DataSettings.toInt(value)));
    estimate.apply("batch_size", estimate.integer("batch_size"),
        value -> builder.batchSize(DataSettings.toInt(value)));
    estimate.apply("antithetic", estimate.bool("antithetic"), builder::antithetic);
    estimate.apply("zero_baseline", estimate.bool("zero_baseline"), builder::zeroBaseline);
    estimate.apply("data", estimate.string("data"),
        value -> builder.data(EstimationData.parse(value)));
    estimate.apply("sample_fraction", estimate.number("sample_fraction"),
        builder::sampleFraction);
    estimate.apply("partitions", estimate.string("partitions"),
        value -> builder.partitions(parsePartitions(value)));
    estimate.apply("block_size", estimate.integer("block_size"), builder::blockSize);
    builder.gpu(GpuSettings.fromConfig(estimate.section("gpu")));
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Invalid config keys '" + estimate.keyOf("min_passes")
          + "' and '" + estimate.keyOf("max_passes") + "': " + e.getMessage());
    }
  }

  private static PlaceholderKind parsePlaceholder(String value) {
    String name = value.trim().toUpperCase(Locale.ROOT);
    for (PlaceholderKind kind : PlaceholderKind.values()) {
      if (kind.name().equals(name)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("unknown placeholder, expected codebook or zero");
  }

  private static int parsePartitions(String value) {
    String text = value.trim();
    if (text.equalsIgnoreCase(AUTOMATIC)) {
      return 0;
    }
    try {
      int partitions = Integer.parseInt(text.replace("_", ""));
      if (partitions < 1) {
        throw new IllegalArgumentException("partitions must be >= 1 or 'auto', got " + value);
      }
      return partitions;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("partitions must be a whole number >= 1 or 'auto'");
    }
  }

  /** Returns the core estimator settings that these settings and the job seed imply. */
  public EstimatorSettings toEstimatorSettings(long seed) {
    return EstimatorSettings.builder().seed(seed).batchSize(batchSize).maxPasses(maxPasses)
        .minPasses(minPasses).convergenceThreshold(threshold).placeholder(placeholder)
        .antithetic(antithetic).build();
  }

  public PlaceholderKind placeholder() {
    return placeholder;
  }

  /** Stop once max SE / (max phi - min phi) falls below this ratio after a whole pass. */
  public double threshold() {
    return threshold;
  }

  public int minPasses() {
    return minPasses;
  }

  public int maxPasses() {
    return maxPasses;
  }

  /**
   * Samples walked in lock-step by one walk engine. Batches are cut from the rows in row-key
   * order, so the batch size, unlike the partition count, changes phi at the level of float
   * rounding.
   */
  public int batchSize() {
    return batchSize;
  }

  public boolean antithetic() {
    return antithetic;
  }

  /** Returns whether phi is also estimated with zero placeholders, into shapley-zero/. */
  public boolean zeroBaseline() {
    return zeroBaseline;
  }

  public EstimationData data() {
    return data;
  }

  /**
   * Share of rows walked, in (0, 1]. A row is kept when a hash of the seed and its row key
   * falls below the share, so the same rows are kept on every pass and in every run with the
   * same seed, whatever the partitioning.
   */
  public double sampleFraction() {
    return sampleFraction;
  }

  /**
   * Walk partitions, or 0 for automatic: the larger of Spark's default parallelism and the
   * input's partition count.
   */
  public int partitions() {
    return partitions;
  }

  /** Parameters per aggregation block: block = flat parameter index / block size. */
  public long blockSize() {
    return blockSize;
  }

  public GpuSettings gpu() {
    return gpu;
  }

  Map<String, Object> describe() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("placeholder", placeholder.name().toLowerCase(Locale.ROOT));
    map.put("threshold", threshold);
    map.put("min_passes", minPasses);
    map.put("max_passes", maxPasses);
    map.put("batch_size", batchSize);
    map.put("antithetic", antithetic);
    map.put("zero_baseline", zeroBaseline);
    map.put("data", data.configName());
    map.put("sample_fraction", sampleFraction);
    map.put("partitions", partitions == 0 ? AUTOMATIC : partitions);
    map.put("block_size", blockSize);
    map.put("gpu", gpu.describe());
    return map;
  }

  @Override
  public String toString() {
    return "EstimateSettings" + describe();
  }

  /** Builder of {@link EstimateSettings}; {@link #build()} checks min_passes <= max_passes. */
  public static final class Builder {
    private PlaceholderKind placeholder = DEFAULT_PLACEHOLDER;
    private double threshold = DEFAULT_THRESHOLD;
    private int minPasses = DEFAULT_MIN_PASSES;
    private int maxPasses = DEFAULT_MAX_PASSES;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private boolean antithetic = DEFAULT_ANTITHETIC;
    private boolean zeroBaseline = DEFAULT_ZERO_BASELINE;
    private EstimationData data = DEFAULT_DATA;
    private double sampleFraction = DEFAULT_SAMPLE_FRACTION;
    private int partitions = DEFAULT_PARTITIONS;
    private long blockSize = DEFAULT_BLOCK_SIZE;
    private GpuSettings gpu = GpuSettings.defaults();

    private Builder() {
    }

    public Builder placeholder(PlaceholderKind value) {
      this.placeholder = Objects.requireNonNull(value, "placeholder must not be null");
      return this;
    }

    /** Sets the convergence threshold; must be finite and > 0. */
    public Builder threshold(double value) {
      if (!(value > 0) || Double.isInfinite(value)) {
        throw new IllegalArgumentException("threshold must be finite and > 0, got " + value);
      }
      this.threshold = value;
      return this;
    }

    /** Sets the passes that must finish before convergence is checked; must be >= 1. */
    public Builder minPasses(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("min_passes must be >= 1, got " + value);
      }
      this.minPasses = value;
      return this;
    }

    /** Sets the most passes made; must be >= 1. */
    public Builder maxPasses(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("max_passes must be >= 1, got " + value);
      }
      this.maxPasses = value;
      return this;
    }

    /** Sets the lock-step batch size; must be in [1, 65536]. */
    public Builder batchSize(int value) {
      if (value < 1 || value > MAX_BATCH_SIZE) {
        throw new IllegalArgumentException("batch_size must be in [1, " + MAX_BATCH_SIZE
            + "], got " + value);
      }
      this.batchSize = value;
      return this;
    }

    public Builder antithetic(boolean value) {
      this.antithetic = value;
      return this;
    }

    public Builder zeroBaseline(boolean value) {
      this.zeroBaseline = value;
      return this;
    }

    public Builder data(EstimationData value) {
      this.data = Objects.requireNonNull(value, "data must not be null");
      return this;
    }

    /** Sets the share of rows walked; must be in (0, 1]. */
    public Builder sampleFraction(double value) {
      if (!(value > 0 && value <= 1)) {
        throw new IllegalArgumentException("sample_fraction must be in (0, 1], got " + value);
      }
      this.sampleFraction = value;
      return this;
    }

    /** Sets the walk partitions; 0 means automatic, otherwise must be >= 1. */
    public Builder partitions(int value) {
      if (value < 0) {
        throw new IllegalArgumentException("partitions must be >= 1, or 0 for automatic, got "
            + value);
      }
      this.partitions = value;
      return this;
    }

    /** Sets the parameters per aggregation block; must be in [1, 2^24]. */
    public Builder blockSize(long value) {
      if (value < 1 || value > (1L << 24)) {
        throw new IllegalArgumentException("block_size must be in [1, 16777216], got " + value);
      }
      this.blockSize = value;
      return this;
    }

    public Builder gpu(GpuSettings value) {
      this.gpu = Objects.requireNonNull(value, "gpu must not be null");
      return this;
    }

    public EstimateSettings build() {
      if (minPasses > maxPasses) {
        throw new IllegalArgumentException(
            "min_passes (" + minPasses + ") must be <= max_passes (" + maxPasses + ")");
      }
      return new EstimateSettings(this);
    }
  }
}
