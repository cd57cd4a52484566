package io.shaver.cli;

import io.shaver.config.JobConfig;
import io.shaver.prepare.PrepareStage;
import io.shaver.spark.SparkSessions;
import picocli.CommandLine.Command;

@Command(name = "prepare", mixinStandardHelpOptions = true,
    description = "Reads raw click logs, builds the vocabulary and writes encoded train/val/test splits.")
final class PrepareCommand extends StageCommand {

  @Override
  String stageName() {
    return PrepareStage.STAGE;
  }

  @Override
  void runStage(JobConfig config) {
    PrepareStage.run(SparkSessions.getOrCreate("shaver prepare"), config);
  }
}
