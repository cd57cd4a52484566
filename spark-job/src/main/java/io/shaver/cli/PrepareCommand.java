package io.shaver.cli;

import picocli.CommandLine.Command;

@Command(name = "prepare", mixinStandardHelpOptions = true,
    description = "Reads raw click logs, builds the vocabulary and writes encoded train/val/test splits.")
final class PrepareCommand extends NotImplementedStage {

  @Override
  String stageName() {
    return "prepare";
  }
}
