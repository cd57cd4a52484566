package io.shaver.cli;

import io.shaver.config.JobConfig;
import io.shaver.pipeline.Pipeline;
import io.shaver.pipeline.StageContext;
import io.shaver.pipeline.StageException;
import io.shaver.spark.SparkSessions;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Runs prepare, train, estimate (and estimate-zero when"
        + " estimate.zero_baseline is on), compress, evaluate and report in order, skipping each"
        + " stage whose outputs are complete and were made with the same configuration.")
final class RunCommand extends StageCommand {

  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Option(names = "--force", description = "Redoes every stage, even one whose outputs are"
      + " complete and up to date.")
  boolean force;

  private SparkSession session;

  @Override
  String stageName() {
    return "run";
  }

  @Override
  void runStage(JobConfig config) {
    StageContext context = new StageContext(config, this::spark, true);
    long start = System.nanoTime();
    List<Pipeline.StageOutcome> outcomes;
    try {
      outcomes = new Pipeline(StageCatalog.all(config)).run(context, force, hadoopConf());
    } catch (StageException e) {
      throw new StageFailedException(e.stage(), e.getCause());
    }
    long ran = outcomes.stream().filter(outcome -> !outcome.skipped()).count();
    LOG.info("Run finished in {} s: {} stage(s) ran, {} skipped; outputs in {}",
        String.format("%.1f", (System.nanoTime() - start) / 1e9), ran, outcomes.size() - ran,
        config.output());
    try {
      SummaryTable.print(context.layout(), hadoopConf(), System.out);
    } catch (java.io.IOException e) {
      LOG.warn("Cannot print the summary table: {}", e.toString());
    }
  }

  private SparkSession spark() {
    if (session == null) {
      session = SparkSessions.getOrCreate("shaver run");
    }
    return session;
  }

  private Configuration hadoopConf() {
    return spark().sparkContext().hadoopConfiguration();
  }
}
