package io.shaver.cli;

import io.shaver.config.JobConfig;
import io.shaver.evaluate.EvaluateStage;
import io.shaver.pipeline.Stage;
import io.shaver.pipeline.StageContext;
import io.shaver.prepare.PrepareStage;
import io.shaver.report.ReportStage;
import io.shaver.spark.CompressStage;
import io.shaver.spark.EstimateStage;
import io.shaver.spark.StoredModelSource;
import io.shaver.spark.TrainStage;
import io.shaver.shapley.PlaceholderKind;
import java.util.ArrayList;
import java.util.List;

/** The pipeline's stages in the order {@code run} executes them. */
final class StageCatalog {

  private StageCatalog() {
  }

  /**
   * Returns the stages for a config: the zero-placeholder estimate runs only when
   * {@code estimate.zero_baseline} is true and the main estimate uses the codebook.
   */
  static List<Stage> all(JobConfig config) {
    List<Stage> stages = new ArrayList<>(List.of(new Prepare(), new TrainStage(),
        new Estimate(false)));
    if (config.estimate().zeroBaseline()
        && config.estimate().placeholder() != PlaceholderKind.ZERO) {
      stages.add(new Estimate(true));
    }
    stages.addAll(List.of(new CompressStage(), new EvaluateStage(), new ReportStage()));
    return stages;
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

  /**
   * The estimate stage as a pipeline step: {@code codebook/} and {@code shapley/}. It resumes
   * from the latest checkpoint when that checkpoint matches the current settings and model.
   */
  static final class Estimate implements Stage {

    private final boolean zeroBaseline;

    /** Creates the main estimate, or the zero-placeholder baseline when the flag is set. */
    Estimate(boolean zeroBaseline) {
      this.zeroBaseline = zeroBaseline;
    }

    @Override
    public String name() {
      return zeroBaseline ? "estimate-zero" : "estimate";
    }

    @Override
    public List<String> configSections() {
      return List.of("seed", "estimate");
    }

    @Override
    public List<String> upstream() {
      return List.of("prepare", "train");
    }

    @Override
    public List<String> outputs() {
      return zeroBaseline ? List.of("shapley-zero") : List.of("codebook", "shapley");
    }

    @Override
    public void run(StageContext context) throws Exception {
      StoredModelSource model = StoredModelSource.read(context.layout().model(),
          context.spark().sparkContext().hadoopConfiguration());
      EstimateStage stage = new EstimateStage(context.spark(), context.config(), model,
          context.resume()).restartingIncompatibleCheckpoints();
      if (zeroBaseline) {
        stage.zeroBaseline();
      }
      stage.run();
    }
  }
}
