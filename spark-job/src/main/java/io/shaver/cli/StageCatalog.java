package io.shaver.cli;

import io.shaver.evaluate.EvaluateStage;
import io.shaver.pipeline.Stage;
import io.shaver.pipeline.StageContext;
import io.shaver.prepare.PrepareStage;
import io.shaver.report.ReportStage;
import io.shaver.spark.CompressStage;
import io.shaver.spark.TrainStage;
import java.util.List;

/** The pipeline's stages in the order {@code run} executes them. */
final class StageCatalog {

  private StageCatalog() {
  }

  static List<Stage> all() {
    return List.of(new Prepare(), new TrainStage(), new CompressStage(), new EvaluateStage(),
        new ReportStage());
  }

  /** The prepare stage as a pipeline step: raw data to {@code prepared/}. */
  static final class Prepare implements Stage {

    @Override
    public String name() {
      return PrepareStage.STAGE;
    }

    @Override
    public List<String> configSections() {
      return List.of("seed", "data");
    }

    @Override
    public List<String> upstream() {
      return List.of();
    }

    @Override
    public List<String> outputs() {
      return List.of("prepared");
    }

    @Override
    public void run(StageContext context) {
      PrepareStage.run(context.spark(), context.config());
    }
  }
}
