package io.shaver.cli;

import picocli.CommandLine.Command;

@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Writes report/summary.json and report/report.html with plots.")
final class ReportCommand extends NotImplementedStage {

  @Override
  String stageName() {
    return "report";
  }
}
