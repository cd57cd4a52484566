package io.shaver.cli;

import io.shaver.config.ConfigException;
import io.shaver.data.InputDataException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an exception from a command into an exit code and a last log line that names the
 * stage that failed and why.
 */
final class FailureHandler implements IExecutionExceptionHandler {

  private static final Logger LOG = LoggerFactory.getLogger("io.shaver");

  @Override
  public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parsed) {
    String command = commandLine.getCommandName();
    if (e instanceof ConfigException || e instanceof UsageException) {
      commandLine.getErr().println("shaver " + command + ": " + e.getMessage());
      return ShaverCli.EXIT_USAGE;
    }
    String stage = e instanceof StageFailedException failed ? failed.stage() : command;
    Throwable cause = e instanceof StageFailedException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof UnsupportedOperationException || cause instanceof InputDataException) {
      LOG.debug("Stage '{}' failed", stage, cause);
    } else {
      LOG.error("Stage '{}' failed", stage, cause);
    }
    LOG.error("FAILED: stage '{}': {}", stage, describe(cause));
    commandLine.getErr().println("shaver " + command + ": stage '" + stage + "' failed: "
        + describe(cause));
    return ShaverCli.EXIT_FAILED;
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    return message == null || message.isBlank() ? cause.getClass().getName() : message;
  }
}
