package io.shaver.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the prepare stage: where raw data is, how to read it and how to encode it.
 *
 * <p>Immutable; build with {@link #builder()}. Every setter validates its argument and names it
 * in the error.
 */
public final class DataSettings {

  public static final double DEFAULT_ERROR_BUDGET = 0.001;

  private final SourceFormat format;
  private final List<String> paths;
  private final int minCount;
  private final SplitRatios split;
  private final double errorBudget;

  private DataSettings(Builder builder) {
    this.format = builder.format;
    this.paths = List.copyOf(builder.paths);
    this.minCount = builder.minCount == null ? builder.format.defaultMinCount() : builder.minCount;
    this.split = builder.split;
    this.errorBudget = builder.errorBudget;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Binds the {@code data} section of a job config. */
  public static DataSettings fromConfig(ConfigReader data) {
    Builder builder = builder();
    data.apply("format", data.string("format"), value -> builder.format(SourceFormat.parse(value)));
    data.apply("path", data.strings("path"), builder::paths);
    data.apply("min_count", data.integer("min_count"), value -> builder.minCount(toInt(value)));
    data.apply("error_budget", data.number("error_budget"), builder::errorBudget);
    ConfigReader split = data.section("split");
    double train = split.number("train").orElse(SplitRatios.DEFAULT.train());
    double val = split.number("val").orElse(SplitRatios.DEFAULT.val());
    double test = split.number("test").orElse(SplitRatios.DEFAULT.test());
    try {
      builder.split(new SplitRatios(train, val, test));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Invalid config section '" + data.keyOf("split") + "' (train "
          + train + ", val " + val + ", test " + test + "): " + e.getMessage());
    }
    if (builder.paths.isEmpty()) {
      throw new ConfigException("Missing config key '" + data.keyOf("path")
          + "': set it to the raw input file or directory (or pass --set data.path=...).");
    }
    return builder.build();
  }

  static int toInt(long value) {
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("must fit in a 32-bit integer");
    }
    return (int) value;
  }

  public SourceFormat format() {
    return format;
  }

  /** Input files, directories or globs; local paths, {@code file:} or {@code hdfs://} URIs. */
  public List<String> paths() {
    return paths;
  }

  /** Tokens seen fewer times than this over all splits map to the field's OOV slot. */
  public int minCount() {
    return minCount;
  }

  public SplitRatios split() {
    return split;
  }

  /** Largest fraction of malformed rows that are skipped before the stage fails. */
  public double errorBudget() {
    return errorBudget;
  }

  Map<String, Object> describe() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("format", format.configName());
    map.put("path", paths);
    map.put("min_count", minCount);
    map.put("split", split.describe());
    map.put("error_budget", errorBudget);
    return map;
  }

  /** Builder of {@link DataSettings}. */
  public static final class Builder {
    private SourceFormat format = SourceFormat.CRITEO;
    private final List<String> paths = new ArrayList<>();
    private Integer minCount;
    private SplitRatios split = SplitRatios.DEFAULT;
    private double errorBudget = DEFAULT_ERROR_BUDGET;

    private Builder() {
    }

    public Builder format(SourceFormat format) {
      this.format = Objects.requireNonNull(format, "format");
      return this;
    }

    public Builder paths(List<String> paths) {
      for (String path : paths) {
        if (path == null || path.isBlank()) {
          throw new IllegalArgumentException("an input path must not be empty");
        }
      }
      this.paths.clear();
      this.paths.addAll(paths);
      return this;
    }

    public Builder minCount(int minCount) {
      if (minCount < 1) {
        throw new IllegalArgumentException("min_count must be at least 1, got " + minCount);
      }
      this.minCount = minCount;
      return this;
    }

    public Builder split(SplitRatios split) {
      this.split = Objects.requireNonNull(split, "split");
      return this;
    }

    public Builder errorBudget(double errorBudget) {
      if (!(errorBudget >= 0 && errorBudget < 1)) {
        throw new IllegalArgumentException("error_budget must be in [0, 1), got " + errorBudget);
      }
      this.errorBudget = errorBudget;
      return this;
    }

    public DataSettings build() {
      return new DataSettings(this);
    }
  }
}
