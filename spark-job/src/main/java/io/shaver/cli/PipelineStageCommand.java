package io.shaver.cli;

import io.shaver.config.JobConfig;
import io.shaver.pipeline.Stage;
import io.shaver.pipeline.StageContext;
import io.shaver.spark.SparkSessions;

/** A command that runs one {@link Stage} on its own, whether or not its outputs exist. */
abstract class PipelineStageCommand extends StageCommand {

  /** Returns the stage this command runs. */
  abstract Stage stage();

  /** Returns whether an interrupted stage continues from its checkpoint; false by default. */
  boolean resume() {
    return false;
  }

  @Override
  final String stageName() {
    return stage().name();
  }

  @Override
  final void runStage(JobConfig config) throws Exception {
    Stage stage = stage();
    StageContext context = new StageContext(config,
        () -> SparkSessions.getOrCreate("shaver " + stage.name()), resume());
    stage.run(context);
  }
}
