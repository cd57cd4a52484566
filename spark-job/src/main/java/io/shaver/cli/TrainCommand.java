package io.shaver.cli;

import io.shaver.pipeline.Stage;
import io.shaver.spark.TrainStage;
import picocli.CommandLine.Command;

@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Trains a model on the prepared splits and writes model/, or imports the model"
        + " directory named by model.path.")
final class TrainCommand extends PipelineStageCommand {

  @Override
  Stage stage() {
    return new TrainStage();
  }
}
