package io.shaver.cli;

import picocli.CommandLine.Command;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Measures AUC, LogLoss and KL divergence of every budget and method on the test split.")
final class EvaluateCommand extends NotImplementedStage {

  @Override
  String stageName() {
    return "evaluate";
  }
}
