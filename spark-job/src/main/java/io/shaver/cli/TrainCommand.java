package io.shaver.cli;

import picocli.CommandLine.Command;

@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Trains a model on the prepared splits and writes model/.")
final class TrainCommand extends NotImplementedStage {

  @Override
  String stageName() {
    return "train";
  }
}
