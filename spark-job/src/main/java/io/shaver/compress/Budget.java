package io.shaver.compress;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.Optional;

/**
 * One pruning budget: a sparsity ratio, a kept parameter count, or a byte budget for a storage
 * format. Immutable.
 *
 * <p>Every kind resolves, for a given table, to a kept count in [0, n·d]
 * ({@link #keptCount(TableShape)}); the pruned count is n·d minus that.
 * <ul>
 *   <li>Sparsity ρ in [0, 1) prunes floor(n·d·ρ). ρ is taken as the shortest decimal that
 *       reads back as the same double (the value written in the config), and the product is
 *       exact, so ρ = 0.29 of 100 parameters prunes 29. The reference implementation's
 *       floating-point product gives 28 there. ρ = 1 is rejected because a sparsity sweep means
 *       "keep something", so use {@code kept: 0} to prune every parameter.</li>
 *   <li>Kept count k in [0, n·d] keeps exactly k.</li>
 *   <li>Byte budget B keeps the largest count whose {@link StorageCost} payload fits in B.</li>
 * </ul>
 */
public final class Budget {

  /** The three ways to state a budget. */
  public enum Kind {
    SPARSITY("sparsity"),
    KEPT("kept"),
    BYTES("bytes");

    private final String configName;

    Kind(String configName) {
      this.configName = configName;
    }

    public String configName() {
      return configName;
    }
  }

  private final Kind kind;
  private final BigDecimal sparsity;
  private final long amount;
  private final StorageFormat format;

  private Budget(Kind kind, BigDecimal sparsity, long amount, StorageFormat format) {
    this.kind = kind;
    this.sparsity = sparsity;
    this.amount = amount;
    this.format = format;
  }

  /**
   * Creates a sparsity budget that prunes floor(n·d·ρ) parameters.
   *
   * @throws IllegalArgumentException naming ρ unless 0 ≤ ρ < 1
   */
  public static Budget sparsity(double ratio) {
    if (!(ratio >= 0 && ratio < 1)) {
      throw new IllegalArgumentException("sparsity must be in [0, 1), got " + ratio
          + (ratio == 1 ? "; to prune every parameter use a kept budget of 0" : ""));
    }
    return new Budget(Kind.SPARSITY, BigDecimal.valueOf(ratio), 0, null);
  }

  /**
   * Creates a budget that keeps exactly {@code count} parameters.
   *
   * @throws IllegalArgumentException naming the count when it is negative
   */
  public static Budget kept(long count) {
    if (count < 0) {
      throw new IllegalArgumentException("kept count must be at least 0, got " + count);
    }
    return new Budget(Kind.KEPT, null, count, null);
  }

  /**
   * Creates a byte budget for the artifact payload in {@code format}.
   *
   * @throws IllegalArgumentException naming the value when it is not positive
   */
  public static Budget bytes(long bytes, StorageFormat format) {
    Objects.requireNonNull(format, "format");
    if (bytes <= 0) {
      throw new IllegalArgumentException("byte budget must be positive, got " + bytes);
    }
    return new Budget(Kind.BYTES, null, bytes, format);
  }

  public Kind kind() {
    return kind;
  }

  /** Returns the storage format of a byte budget, or empty for the other kinds. */
  public Optional<StorageFormat> format() {
    return Optional.ofNullable(format);
  }

  /** Returns the requested value as written: {@code 0.9}, {@code 10000} or {@code 1048576}. */
  public String requestedValue() {
    return kind == Kind.SPARSITY ? plain(sparsity) : Long.toString(amount);
  }

  /**
   * Returns a deterministic, filesystem-safe label such as {@code sparsity=0.9}, {@code kept=10000} or
   * {@code bytes=1MB-int8}. It contains only letters, digits, '=', '.' and '-'.
   */
  public String label() {
    return switch (kind) {
      case SPARSITY -> "sparsity=" + plain(sparsity);
      case KEPT -> "kept=" + amount;
      case BYTES -> "bytes=" + ByteSizes.format(amount) + "-" + format.configName();
    };
  }

  /** Returns the directory name of this budget's outputs: {@code budget=<label>}. */
  public String directoryName() {
    return "budget=" + label();
  }

  private static String plain(BigDecimal value) {
    return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
  }

  /**
   * Returns the number of parameters this budget keeps in a table of {@code shape}.
   *
   * @throws IllegalArgumentException naming the value and the rule when a kept count exceeds n·d
   *     or a byte budget cannot hold the table's fixed payload
   */
  public long keptCount(TableShape shape) {
    long parameters = shape.parameters();
    return switch (kind) {
      case SPARSITY -> parameters - prunedBySparsity(parameters);
      case KEPT -> {
        if (amount > parameters) {
          throw new IllegalArgumentException("kept count " + amount + " exceeds the table's n·d = "
              + parameters + " parameters");
        }
        yield amount;
      }
      case BYTES -> new StorageCost(shape, format).maxKept(amount);
    };
  }

  private long prunedBySparsity(long parameters) {
    return BigDecimal.valueOf(parameters).multiply(sparsity)
        .setScale(0, RoundingMode.FLOOR).longValueExact();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Budget budget && budget.label().equals(label());
  }

  @Override
  public int hashCode() {
    return label().hashCode();
  }

  @Override
  public String toString() {
    return label();
  }
}
