package io.shaver.cli;

import io.shaver.config.JobConfig;
import io.shaver.config.JobConfigLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/**
 * Options shared by the stage commands: {@code --config FILE [--output DIR] [--set k=v ...]}.
 *
 * <p>The config is loaded and validated before any Spark work starts, so a config error exits
 * with code 2 within a second.
 */
abstract class StageCommand implements Callable<Integer> {

  @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
      description = "Job config (YAML). Examples: conf/jobs/*.yaml.")
  Path configFile;

  @Option(names = {"-o", "--output"}, paramLabel = "DIR",
      description = "Run output directory; replaces the config's 'output'. Local path or a"
          + " Hadoop URI (hdfs://...).")
  String output;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Overrides one config key (dotted, e.g. data.min_count=5); repeatable.")
  List<String> overrides = new ArrayList<>();

  /** Stage name used in logs and in the failure line. */
  abstract String stageName();

  /** Runs the stage on a validated config. */
  abstract void runStage(JobConfig config) throws Exception;

  @Override
  public final Integer call() {
    JobConfig config = JobConfigLoader.load(configFile, overrides, output);
    try {
      runStage(config);
    } catch (StageFailedException e) {
      throw e;
    } catch (Exception e) {
      throw new StageFailedException(stageName(), e);
    }
    return ShaverCli.EXIT_OK;
  }
}
