package io.shaver.cli;

import io.shaver.evaluate.RowScores;
import io.shaver.spark.SparkSessions;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "score", mixinStandardHelpOptions = true,
    description = "Scores encoded rows with a model directory (for example one exported from"
        + " PyTorch) and writes row_key, label, logit and probability as Parquet.")
final class ScoreCommand implements Callable<Integer> {

  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "Model directory with model.json and model.safetensors"
          + " (see docs/model-format.md).")
  String model;

  @Option(names = "--data", required = true, paramLabel = "PATH",
      description = "A run directory (its prepared/<split> is scored) or a Parquet table with"
          + " row_key (long), ids (array of int global ids, one per field) and optional label.")
  String data;

  @Option(names = "--split", defaultValue = "test", paramLabel = "NAME",
      description = "Prepared split to score when --data is a run directory: train, val or"
          + " test. Default: ${DEFAULT-VALUE}.")
  String split;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR",
      description = "Output Parquet directory; replaced only when scoring succeeds.")
  String output;

  @Option(names = "--batch-size", defaultValue = "" + RowScores.DEFAULT_BATCH_SIZE,
      paramLabel = "N", description = "Rows per model call. Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Override
  public Integer call() {
    if (!split.equals("train") && !split.equals("val") && !split.equals("test")) {
      throw new UsageException("--split must be train, val or test, got '" + split + "'");
    }
    if (batchSize < 1) {
      throw new UsageException("--batch-size must be at least 1, got " + batchSize);
    }
    try {
      RowScores.write(SparkSessions.getOrCreate("shaver score"), new Path(model),
          new Path(data), split, new Path(output), batchSize);
    } catch (Exception e) {
      throw new StageFailedException(RowScores.STAGE, e);
    }
    return ShaverCli.EXIT_OK;
  }
}
