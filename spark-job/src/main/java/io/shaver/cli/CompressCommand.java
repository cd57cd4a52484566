package io.shaver.cli;

import io.shaver.pipeline.Stage;
import io.shaver.spark.CompressStage;
import picocli.CommandLine.Command;

@Command(name = "compress", mixinStandardHelpOptions = true,
    description = "Writes a pruned embedding table for every budget of the sweep to budgets/.")
final class CompressCommand extends PipelineStageCommand {

  @Override
  Stage stage() {
    return new CompressStage();
  }
}
