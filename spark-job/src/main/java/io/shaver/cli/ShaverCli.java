package io.shaver.cli;

import io.shaver.ShaverVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code bin/shaver} and of {@code spark-submit}: one subcommand per stage.
 *
 * <p>Exit codes: 0 success, 1 a stage failed, 2 invalid command line or config.
 */
@Command(
    name = "shaver",
    mixinStandardHelpOptions = true,
    versionProvider = ShaverCli.Version.class,
    description = "Prunes the embedding tables of trained CTR models with Shapley values"
        + " (Shaver), as a Spark batch job.",
    subcommands = {
        GenerateCommand.class,
        PrepareCommand.class,
        TrainCommand.class,
        EstimateCommand.class,
        CompressCommand.class,
        EvaluateCommand.class,
        ReportCommand.class,
        RunCommand.class,
        ScoreCommand.class,
        GpuCheckCommand.class,
    })
public final class ShaverCli implements Runnable {

  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_USAGE = 2;

  @CommandLine.Spec
  private CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code, without exiting the JVM. */
  public static int execute(String... args) {
    CommandLine commandLine = new CommandLine(new ShaverCli());
    commandLine.setExecutionExceptionHandler(new FailureHandler());
    return commandLine.execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "Missing command: choose one of " + String.join(", ", spec.subcommands().keySet()) + ".");
  }

  /** Prints the job and library versions for {@code --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
          "shaver-spark " + ShaverVersion.version(),
          "Spark " + ShaverVersion.sparkVersion() + ", ND4J " + ShaverVersion.nd4jVersion(),
          "Java " + System.getProperty("java.version"),
      };
    }
  }
}
