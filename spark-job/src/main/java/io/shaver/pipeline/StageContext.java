package io.shaver.pipeline;

import io.shaver.config.JobConfig;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/** Resources of a running stage: the config, the run layout and a lazily started Spark. */
public final class StageContext {

  private final JobConfig config;
  private final RunLayout layout;
  private final Supplier<SparkSession> spark;
  private final boolean resume;

  public StageContext(JobConfig config, Supplier<SparkSession> spark, boolean resume) {
    this.config = Objects.requireNonNull(config, "config");
    this.layout = new RunLayout(config.output());
    this.spark = Objects.requireNonNull(spark, "spark");
    this.resume = resume;
  }

  public JobConfig config() {
    return config;
  }

  public RunLayout layout() {
    return layout;
  }

  /** Returns the SparkSession, starting it on first use. */
  public SparkSession spark() {
    return spark.get();
  }

  /** Returns whether an interrupted estimate should continue from its last checkpoint. */
  public boolean resume() {
    return resume;
  }
}
