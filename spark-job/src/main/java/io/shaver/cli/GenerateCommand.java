package io.shaver.cli;

import io.shaver.generate.ClickLogGenerator;
import io.shaver.spark.SparkSessions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Writes synthetic Criteo-format click logs from a known model"
        + " (see docs/generator.md).")
final class GenerateCommand implements Callable<Integer> {

  @Option(names = "--rows", required = true, paramLabel = "N",
      description = "Number of rows to write (at least 1).")
  long rows;

  @Option(names = "--out", required = true, paramLabel = "PATH",
      description = "Output directory (local path or Hadoop URI); replaced if it exists.")
  String out;

  @Option(names = "--seed", defaultValue = "2023", paramLabel = "S",
      description = "Random seed; the same seed, rows and files give the same bytes."
          + " Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--gzip", description = "Compress the files with gzip (.txt.gz).")
  boolean gzip;

  @Option(names = "--files", paramLabel = "K",
      description = "Number of output files; default one per million rows.")
  Integer files;

  @Override
  public Integer call() {
    if (rows < 1) {
      throw new UsageException("--rows must be at least 1, got " + rows);
    }
    int fileCount = files == null ? ClickLogGenerator.defaultFiles(rows) : files;
    if (fileCount < 1 || fileCount > rows) {
      throw new UsageException("--files must be between 1 and --rows, got " + fileCount);
    }
    try {
      ClickLogGenerator.generate(SparkSessions.getOrCreate("shaver generate"), rows, out, seed,
          gzip, fileCount);
    } catch (RuntimeException e) {
      throw new StageFailedException("generate", e);
    }
    return ShaverCli.EXIT_OK;
  }
}
