package io.shaver.cli;

import io.shaver.evaluate.EvaluateStage;
import io.shaver.pipeline.Stage;
import picocli.CommandLine.Command;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Measures AUC, LogLoss and KL divergence of the unpruned model and of every"
        + " method and budget on the test split; writes metrics/ and pruned-by-field/.")
final class EvaluateCommand extends PipelineStageCommand {

  @Override
  Stage stage() {
    return new EvaluateStage();
  }
}
