package io.shaver.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the evaluate stage: which methods to score on the test split, the PTQ bit widths,
 * the seed of the random-pruning baseline and the scoring batch size.
 *
 * <p>Immutable; build with {@link #builder()}. Every setter validates its argument and names it
 * in the error. The random seed defaults to the job seed, so {@link #describe()} always shows the
 * seed in effect.
 */
public final class EvaluateSettings {

  /** Every method, in the order the metrics table lists them. */
  public static final List<EvaluationMethod> DEFAULT_METHODS = List.of(EvaluationMethod.values());
  /** PTQ bit widths scored by default: int8 and int16 codes. */
  public static final List<Integer> DEFAULT_PTQ_BITS = List.of(8, 16);
  /** Test samples per model call; the reference evaluation scripts use 2048. */
  public static final int DEFAULT_BATCH_SIZE = 2048;
  /** Smallest and largest PTQ bit width accepted. */
  public static final int MIN_PTQ_BITS = 2;
  public static final int MAX_PTQ_BITS = 16;

  private final List<EvaluationMethod> methods;
  private final List<Integer> ptqBits;
  private final long randomSeed;
  private final int batchSize;

  private EvaluateSettings(Builder builder) {
    this.methods = List.copyOf(builder.methods);
    this.ptqBits = List.copyOf(builder.ptqBits);
    this.randomSeed = builder.randomSeed;
    this.batchSize = builder.batchSize;
  }

  /** Returns a builder whose random seed is {@link JobConfig#DEFAULT_SEED}. */
  public static Builder builder() {
    return new Builder(JobConfig.DEFAULT_SEED);
  }

  /** Binds the {@code evaluate} section; the random seed defaults to {@code jobSeed}. */
  public static EvaluateSettings fromConfig(ConfigReader evaluate, long jobSeed) {
    Builder builder = new Builder(jobSeed);
    evaluate.apply("methods", evaluate.strings("methods"), names -> {
      List<EvaluationMethod> parsed = new ArrayList<>();
      for (String name : names) {
        parsed.add(EvaluationMethod.parse(name));
      }
      builder.methods(parsed);
    });
    evaluate.apply("ptq_bits", evaluate.integers("ptq_bits"), values -> {
      List<Integer> bits = new ArrayList<>();
      for (long value : values) {
        bits.add(DataSettings.toInt(value));
      }
      builder.ptqBits(bits);
    });
    evaluate.apply("random_seed", evaluate.integer("random_seed"), builder::randomSeed);
    evaluate.apply("batch_size", evaluate.integer("batch_size"),
        value -> builder.batchSize(DataSettings.toInt(value)));
    return builder.build();
  }

  /** Methods to score, without repeats, in configured order. */
  public List<EvaluationMethod> methods() {
    return methods;
  }

  /**
   * PTQ bit widths, each in [2, 16], at least one, without repeats; used only when PTQ is among
   * the methods.
   */
  public List<Integer> ptqBits() {
    return ptqBits;
  }

  /** Seed of the random-pruning order. */
  public long randomSeed() {
    return randomSeed;
  }

  /**
   * Test samples per model call in a scoring task. A model's logits can differ in the last float
   * bit between batch sizes, so metrics can move by that rounding when it changes.
   */
  public int batchSize() {
    return batchSize;
  }

  Map<String, Object> describe() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("methods", methods.stream().map(EvaluationMethod::configName).toList());
    map.put("ptq_bits", ptqBits);
    map.put("random_seed", randomSeed);
    map.put("batch_size", batchSize);
    return map;
  }

  /** Builder of {@link EvaluateSettings}. */
  public static final class Builder {
    private List<EvaluationMethod> methods = DEFAULT_METHODS;
    private List<Integer> ptqBits = DEFAULT_PTQ_BITS;
    private long randomSeed;
    private int batchSize = DEFAULT_BATCH_SIZE;

    private Builder(long randomSeed) {
      this.randomSeed = randomSeed;
    }

    /** Sets the methods; the list must be non-empty and free of repeats. */
    public Builder methods(List<EvaluationMethod> methods) {
      Objects.requireNonNull(methods, "methods");
      if (methods.isEmpty()) {
        throw new IllegalArgumentException("methods must name at least one method");
      }
      if (new LinkedHashSet<>(methods).size() != methods.size()) {
        throw new IllegalArgumentException("methods must not repeat a method, got " + methods);
      }
      this.methods = List.copyOf(methods);
      return this;
    }

    /** Sets the PTQ bit widths: at least one, each in [2, 16], without repeats. */
    public Builder ptqBits(List<Integer> bits) {
      Objects.requireNonNull(bits, "bits");
      if (bits.isEmpty()) {
        throw new IllegalArgumentException("ptq_bits must list at least one bit width");
      }
      for (int value : bits) {
        if (value < MIN_PTQ_BITS || value > MAX_PTQ_BITS) {
          throw new IllegalArgumentException("ptq_bits must be in [" + MIN_PTQ_BITS + ", "
              + MAX_PTQ_BITS + "], got " + value);
        }
      }
      if (new LinkedHashSet<>(bits).size() != bits.size()) {
        throw new IllegalArgumentException("ptq_bits must not repeat a width, got " + bits);
      }
      this.ptqBits = List.copyOf(bits);
      return this;
    }

    public Builder randomSeed(long seed) {
      this.randomSeed = seed;
      return this;
    }

    /** Sets the scoring batch size; it must be at least 1. */
    public Builder batchSize(int batchSize) {
      if (batchSize < 1) {
        throw new IllegalArgumentException("batch_size must be at least 1, got " + batchSize);
      }
      this.batchSize = batchSize;
      return this;
    }

    public EvaluateSettings build() {
      return new EvaluateSettings(this);
    }
  }
}
