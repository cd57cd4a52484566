package io.shaver.cli;

import picocli.CommandLine.Command;

@Command(name = "estimate", mixinStandardHelpOptions = true,
    description = "Estimates a Shapley value for every embedding parameter (and the codebook).")
final class EstimateCommand extends NotImplementedStage {

  @Override
  String stageName() {
    return "estimate";
  }
}
