package io.shaver.cli;

import io.shaver.config.JobConfig;

/** Base of the commands whose stage does not exist yet: they say so and exit with code 1. */
abstract class NotImplementedStage extends StageCommand {

  @Override
  final void runStage(JobConfig config) {
    throw new UnsupportedOperationException("the '" + stageName()
        + "' stage is not implemented in this version of shaver-spark");
  }
}
