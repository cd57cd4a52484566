package io.shaver.cli;

import io.shaver.pipeline.Stage;
import io.shaver.report.ReportStage;
import picocli.CommandLine.Command;

@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Writes report/summary.json and report/report.html with PNG plots from the"
        + " evaluate and estimate outputs.")
final class ReportCommand extends PipelineStageCommand {

  @Override
  Stage stage() {
    return new ReportStage();
  }
}
