package io.shaver.cli;

import io.shaver.config.JobConfig;
import io.shaver.spark.EstimateResult;
import io.shaver.spark.EstimateStage;
import io.shaver.spark.SparkSessions;
import io.shaver.spark.StoredModelSource;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "estimate", mixinStandardHelpOptions = true,
    description = "Estimates a Shapley value for every embedding parameter (and the codebook).")
final class EstimateCommand extends StageCommand {

  @Option(names = "--resume",
      description = "Continue from the latest complete checkpoint (checkpoints/pass-N) instead"
          + " of starting over; fails if the checkpoint's seed, placeholder, data or model"
          + " differ from this run's.")
  boolean resume;

  @Override
  String stageName() {
    return "estimate";
  }

  @Override
  void runStage(JobConfig config) {
    boolean created = !SparkSessions.exists();
    SparkSession spark = SparkSessions.getOrCreate(stageName());
    try {
      StoredModelSource model = StoredModelSource.read(
          EstimateStage.modelDirectory(config.output()),
          spark.sparkContext().hadoopConfiguration());
      EstimateResult result = new EstimateStage(spark, config, model, resume).run();
      System.out.println("shaver estimate: " + result.passes() + " passes, "
          + result.samples() + " samples, convergence ratio " + result.convergenceRatio()
          + (result.converged() ? " (converged)" : " (pass limit)") + "; wrote "
          + result.shapley() + " and " + result.codebook());
    } finally {
      if (created) {
        spark.stop();
      }
    }
  }
}
