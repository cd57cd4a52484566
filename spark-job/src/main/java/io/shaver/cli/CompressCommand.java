package io.shaver.cli;

import picocli.CommandLine.Command;

@Command(name = "compress", mixinStandardHelpOptions = true,
    description = "Writes pruned embedding tables for every budget of the sweep.")
final class CompressCommand extends NotImplementedStage {

  @Override
  String stageName() {
    return "compress";
  }
}
