package io.shaver.compress;

import io.shaver.config.ConfigException;
import io.shaver.config.ConfigReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of the compress stage: the budget sweep, the ranking key and the storage format of
 * the on-device artifact.
 *
 * <p>Immutable; build with {@link #builder()}. The sweep is the sparsity budgets, then the kept
 * counts, then the byte budgets, each in the order given. When none of the three is set, the
 * sweep is {@link #DEFAULT_SPARSITIES}. An explicitly empty sweep and a budget that appears twice
 * are rejected. Byte budgets are stated for the settings' storage format.
 */
public final class CompressSettings {

  /** Default sparsity sweep: the reference's main columns plus the high-sparsity tail. */
  public static final List<Double> DEFAULT_SPARSITIES = List.of(0.5, 0.8, 0.9, 0.95, 0.99, 0.999);
  public static final RankingKey DEFAULT_RANKING = RankingKey.ABSOLUTE;
  public static final StorageFormat DEFAULT_FORMAT = StorageFormat.FLOAT32;

  private final List<Budget> budgets;
  private final RankingKey ranking;
  private final StorageFormat format;

  private CompressSettings(List<Budget> budgets, RankingKey ranking, StorageFormat format) {
    this.budgets = List.copyOf(budgets);
    this.ranking = ranking;
    this.format = format;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds the {@code compress} section of a job config: keys {@code sparsity} (list of ratios),
   * {@code kept} (list of counts), {@code bytes} (list of sizes such as 1MB or 262144),
   * {@code format} (float32, fp16, int8) and {@code ranking} (abs, signed).
   *
   * @throws ConfigException naming the key, the value and the rule of the first problem
   */
  public static CompressSettings fromConfig(ConfigReader compress) {
    Builder builder = builder();
    compress.apply("format", compress.string("format"),
        value -> builder.format(StorageFormat.parse(value)));
    compress.apply("ranking", compress.string("ranking"),
        value -> builder.ranking(RankingKey.parse(value)));
    compress.apply("sparsity", compress.numbers("sparsity"), builder::sparsities);
    compress.apply("kept", compress.integers("kept"), builder::keptCounts);
    compress.apply("bytes", compress.strings("bytes"), values -> {
      List<Long> sizes = new ArrayList<>();
      for (String value : values) {
        sizes.add(ByteSizes.parse(value));
      }
      builder.byteBudgets(sizes);
    });
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Invalid config keys '" + compress.keyOf("sparsity") + "', '"
          + compress.keyOf("kept") + "', '" + compress.keyOf("bytes") + "': " + e.getMessage());
    }
  }

  /** Returns the sweep in the order described above: never empty, labels distinct. */
  public List<Budget> budgets() {
    return budgets;
  }

  public RankingKey ranking() {
    return ranking;
  }

  /** Storage format of kept values in {@code table.arrow} for sparsity and kept budgets. */
  public StorageFormat format() {
    return format;
  }

  /** Returns the storage format of {@code budget}'s artifact: its own for a byte budget. */
  public StorageFormat formatOf(Budget budget) {
    return budget.format().orElse(format);
  }

  /** Returns the settings as config keys and values, for the effective config. */
  public Map<String, Object> describe() {
    List<String> sparsities = new ArrayList<>();
    List<Long> kept = new ArrayList<>();
    List<String> bytes = new ArrayList<>();
    for (Budget budget : budgets) {
      switch (budget.kind()) {
        case SPARSITY -> sparsities.add(budget.requestedValue());
        case KEPT -> kept.add(Long.parseLong(budget.requestedValue()));
        case BYTES -> bytes.add(ByteSizes.format(Long.parseLong(budget.requestedValue())));
      }
    }
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("sparsity", sparsities.stream().map(Double::valueOf).toList());
    map.put("kept", kept);
    map.put("bytes", bytes);
    map.put("format", format.configName());
    map.put("ranking", ranking.configName());
    return map;
  }

  /** Builder of {@link CompressSettings}. */
  public static final class Builder {
    private List<Double> sparsities;
    private List<Long> keptCounts;
    private List<Long> byteBudgets;
    private RankingKey ranking = DEFAULT_RANKING;
    private StorageFormat format = DEFAULT_FORMAT;

    private Builder() {
    }

    /** Sets the sparsity budgets; each must be in [0, 1). */
    public Builder sparsities(List<Double> ratios) {
      for (double ratio : ratios) {
        Budget.sparsity(ratio);
      }
      this.sparsities = List.copyOf(ratios);
      return this;
    }

    /** Sets the kept-count budgets; each must be at least 0. */
    public Builder keptCounts(List<Long> counts) {
      for (long count : counts) {
        Budget.kept(count);
      }
      this.keptCounts = List.copyOf(counts);
      return this;
    }

    /** Sets the byte budgets, stated for {@link #format(StorageFormat)}; each must be positive. */
    public Builder byteBudgets(List<Long> sizes) {
      for (long size : sizes) {
        Budget.bytes(size, StorageFormat.FLOAT32);
      }
      this.byteBudgets = List.copyOf(sizes);
      return this;
    }

    public Builder ranking(RankingKey ranking) {
      this.ranking = Objects.requireNonNull(ranking, "ranking");
      return this;
    }

    public Builder format(StorageFormat format) {
      this.format = Objects.requireNonNull(format, "format");
      return this;
    }

    /**
     * Builds the settings.
     *
     * @throws IllegalArgumentException when the sweep was set but is empty, or names one budget
     *     twice
     */
    public CompressSettings build() {
      List<Budget> budgets = new ArrayList<>();
      if (sparsities == null && keptCounts == null && byteBudgets == null) {
        DEFAULT_SPARSITIES.forEach(ratio -> budgets.add(Budget.sparsity(ratio)));
      } else {
        orEmpty(sparsities).forEach(ratio -> budgets.add(Budget.sparsity(ratio)));
        orEmpty(keptCounts).forEach(count -> budgets.add(Budget.kept(count)));
        orEmpty(byteBudgets).forEach(size -> budgets.add(Budget.bytes(size, format)));
      }
      if (budgets.isEmpty()) {
        throw new IllegalArgumentException("the budget sweep is empty; give at least one value"
            + " in sparsity, kept or bytes, or leave all three unset for the default sweep "
            + DEFAULT_SPARSITIES);
      }
      Set<String> labels = new LinkedHashSet<>();
      for (Budget budget : budgets) {
        if (!labels.add(budget.label())) {
          throw new IllegalArgumentException("budget " + budget.label()
              + " appears twice in the sweep; remove the duplicate");
        }
      }
      return new CompressSettings(budgets, ranking, format);
    }

    private static <T> List<T> orEmpty(List<T> list) {
      return list == null ? List.of() : list;
    }
  }
}
