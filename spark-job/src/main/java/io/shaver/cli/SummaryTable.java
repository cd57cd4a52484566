package io.shaver.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shaver.pipeline.RunLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Prints the budget sweep of a finished run from {@code report/summary.json} as a table. */
final class SummaryTable {

  private static final String ROW = "%-16s %-16s %12s %12s %9s %9s%n";

  private SummaryTable() {
  }

  /** Prints the table and where the outputs are; prints a note when the summary is missing. */
  static void print(RunLayout layout, Configuration hadoopConf, PrintStream out)
      throws IOException {
    Path file = new Path(layout.report(), "summary.json");
    FileSystem fileSystem = file.getFileSystem(hadoopConf);
    if (!fileSystem.exists(file)) {
      out.println("No " + file + " to summarize.");
      return;
    }
    JsonNode summary;
    try (InputStream in = fileSystem.open(file)) {
      summary = new ObjectMapper().readTree(in);
    }

    out.printf(Locale.ROOT, ROW, "budget", "method", "kept", "bytes", "AUC", "dAUC");
    JsonNode unpruned = summary.path("unpruned");
    long parameters = summary.path("model").path("n").asLong()
        * summary.path("model").path("d").asLong();
    out.printf(Locale.ROOT, ROW, "none", "unpruned", parameters, parameters * Float.BYTES,
        number(unpruned.path("auc"), "%.4f"), "");
    for (JsonNode result : summary.path("results")) {
      out.printf(Locale.ROOT, ROW, result.path("budget").asText(),
          result.path("method").asText(), result.path("kept").asText(),
          result.path("bytes").asText(), number(result.path("auc"), "%.4f"),
          number(result.path("delta_auc"), "%+.4f"));
    }
    out.println();
    out.println("Outputs: " + layout.root());
    out.println("Report:  " + new Path(layout.report(), "report.html"));
  }

  private static String number(JsonNode value, String format) {
    return value.isNumber() ? String.format(Locale.ROOT, format, value.doubleValue()) : "n/a";
  }
}
