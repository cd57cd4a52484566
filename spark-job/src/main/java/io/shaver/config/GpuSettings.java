package io.shaver.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * GPU request of the estimate stage ({@code estimate.gpu}): when enabled, the walk stage runs
 * under a stage-level resource profile that asks for {@code gpu} resources per executor and
 * per task. Other stages request none.
 *
 * <p>Immutable; build with {@link #builder()}. Every setter rejects an invalid value with an
 * {@link IllegalArgumentException} that names the key and the value.
 */
public final class GpuSettings {

  public static final boolean DEFAULT_ENABLED = false;

  /** GPUs each estimation executor requests. */
  public static final int DEFAULT_EXECUTOR_AMOUNT = 1;

  /** GPUs each walk task requests; a fraction such as 0.5 lets tasks share a GPU. */
  public static final double DEFAULT_TASK_AMOUNT = 1.0;

  public static final LocalMasterPolicy DEFAULT_ON_LOCAL_MASTER = LocalMasterPolicy.CPU;

  private final boolean enabled;
  private final int executorAmount;
  private final double taskAmount;
  private final LocalMasterPolicy onLocalMaster;

  private GpuSettings(Builder builder) {
    this.enabled = builder.enabled;
    this.executorAmount = builder.executorAmount;
    this.taskAmount = builder.taskAmount;
    this.onLocalMaster = builder.onLocalMaster;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Returns the settings with every default: GPUs off. */
  public static GpuSettings defaults() {
    return builder().build();
  }

  public Builder toBuilder() {
    return builder().enabled(enabled).executorAmount(executorAmount).taskAmount(taskAmount)
        .onLocalMaster(onLocalMaster);
  }

  /** Binds the {@code estimate.gpu} section of a job config. */
  static GpuSettings fromConfig(ConfigReader gpu) {
    Builder builder = builder();
    gpu.apply("enabled", gpu.bool("enabled"), builder::enabled);
    gpu.apply("executor_amount", gpu.integer("executor_amount"),
        value -> builder.executorAmount(DataSettings.toInt(value)));
    gpu.apply("task_amount", gpu.number("task_amount"), builder::taskAmount);
    gpu.apply("on_local_master", gpu.string("on_local_master"),
        value -> builder.onLocalMaster(LocalMasterPolicy.parse(value)));
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Invalid config keys '" + gpu.keyOf("task_amount") + "' and '"
          + gpu.keyOf("executor_amount") + "': " + e.getMessage());
    }
  }

  public boolean enabled() {
    return enabled;
  }

  public int executorAmount() {
    return executorAmount;
  }

  public double taskAmount() {
    return taskAmount;
  }

  public LocalMasterPolicy onLocalMaster() {
    return onLocalMaster;
  }

  Map<String, Object> describe() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("enabled", enabled);
    map.put("executor_amount", executorAmount);
    map.put("task_amount", taskAmount);
    map.put("on_local_master", onLocalMaster.configName());
    return map;
  }

  @Override
  public String toString() {
    return "GpuSettings" + describe();
  }

  /** Builder of {@link GpuSettings}; {@link #build()} checks task_amount <= executor_amount. */
  public static final class Builder {
    private boolean enabled = DEFAULT_ENABLED;
    private int executorAmount = DEFAULT_EXECUTOR_AMOUNT;
    private double taskAmount = DEFAULT_TASK_AMOUNT;
    private LocalMasterPolicy onLocalMaster = DEFAULT_ON_LOCAL_MASTER;

    private Builder() {
    }

    public Builder enabled(boolean value) {
      this.enabled = value;
      return this;
    }

    /** Sets the GPUs per executor; must be at least 1. */
    public Builder executorAmount(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("executor_amount must be >= 1, got " + value);
      }
      this.executorAmount = value;
      return this;
    }

    /**
     * Sets the GPUs per task: a whole number >= 1, or a fraction 1/k (0.5, 0.25, ...) so that
     * k tasks share one GPU, which is what Spark accepts.
     */
    public Builder taskAmount(double value) {
      boolean whole = value >= 1 && value == Math.rint(value);
      boolean share = value > 0 && value < 1 && Math.abs(1 / value - Math.rint(1 / value)) < 1e-9;
      if (!whole && !share) {
        throw new IllegalArgumentException("task_amount must be a whole number >= 1 or a"
            + " fraction 1/k such as 0.5, got " + value);
      }
      this.taskAmount = value;
      return this;
    }

    public Builder onLocalMaster(LocalMasterPolicy value) {
      this.onLocalMaster = Objects.requireNonNull(value, "on_local_master must not be null");
      return this;
    }

    public GpuSettings build() {
      if (taskAmount > executorAmount) {
        throw new IllegalArgumentException("task_amount (" + taskAmount
            + ") must be <= executor_amount (" + executorAmount + "), or no task could run");
      }
      return new GpuSettings(this);
    }
  }
}
