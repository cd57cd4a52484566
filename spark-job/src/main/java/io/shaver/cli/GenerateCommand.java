package io.shaver.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Writes synthetic Criteo-format click logs from a known model.")
final class GenerateCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    throw new UnsupportedOperationException(
        "the 'generate' command is not implemented in this version of shaver-spark");
  }
}
