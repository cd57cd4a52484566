package io.shaver.evaluate;

import io.shaver.model.ModelConfig;
import io.shaver.output.AtomicDirectory;
import io.shaver.pipeline.RunLayout;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads phi and the codebook from a run's {@code shapley/}, {@code shapley-zero/} and {@code codebook/}. */
final class RunEstimates implements Evaluator.EstimateSource {

  private static final Logger LOG = LoggerFactory.getLogger(RunEstimates.class);

  private final SparkSession spark;
  private final RunLayout layout;
  private final ModelConfig config;
  private final Configuration hadoopConf;

  RunEstimates(SparkSession spark, RunLayout layout, ModelConfig config) {
    this.spark = spark;
    this.layout = layout;
    this.config = config;
    this.hadoopConf = spark.sparkContext().hadoopConfiguration();
  }

  @Override
  public double[] phi() {
    Path directory = require(layout.shapley(), "shaver-codebook");
    double[] phi = EstimateOutputs.readPhi(spark, directory, config);
    if (!EstimateOutputs.anyNonZero(phi)) {
      LOG.warn("Every phi in {} is 0, so the shaver-codebook ranking falls back to the"
          + " tie-breaks (|E - codebook|, then flat index)", directory);
    }
    return phi;
  }

  @Override
  public float[] codebook() {
    return EstimateOutputs.readCodebook(spark, require(layout.codebook(), "shaver-codebook"),
        config);
  }

  @Override
  public double[] zeroPhi() {
    Path directory = layout.shapleyZero();
    if (!AtomicDirectory.isComplete(directory, hadoopConf)) {
      LOG.warn("Skipping method shaver-zero: {} is missing or incomplete. It holds phi"
          + " estimated with zero placeholders; set estimate.zero_baseline: true and rerun the"
          + " estimate stage to produce it.", directory);
      return null;
    }
    return EstimateOutputs.readPhi(spark, directory, config);
  }

  private Path require(Path directory, String method) {
    if (!AtomicDirectory.isComplete(directory, hadoopConf)) {
      throw new IllegalStateException("Method " + method + " needs " + directory
          + ", which is missing or incomplete (no _SUCCESS marker); run the estimate stage"
          + " first, or drop " + method + " from evaluate.methods.");
    }
    return directory;
  }
}
