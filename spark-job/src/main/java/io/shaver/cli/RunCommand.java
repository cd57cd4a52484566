package io.shaver.cli;

import picocli.CommandLine.Command;

@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Runs prepare, train, estimate, compress, evaluate and report in order.")
final class RunCommand extends NotImplementedStage {

  @Override
  String stageName() {
    return "run";
  }
}
