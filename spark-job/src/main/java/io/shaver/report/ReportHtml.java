package io.shaver.report;

import io.shaver.evaluate.MetricsRow;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders {@code report/report.html}: run facts, the metrics table and the plots. */
public final class ReportHtml {

  private ReportHtml() {
  }

  /** Returns the page; every plot is referenced by its file name, relative to report/. */
  public static String render(RunSummary summary, List<MetricsRow> metrics,
      List<ReportPlot> plots) {
    Map<String, Object> document = summary.document();
    StringBuilder html = new StringBuilder();
    String runId = String.valueOf(document.get("run_id"));
    html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<title>Shaver report: ").append(escape(runId)).append("</title>\n")
        .append("<style>body{font-family:sans-serif;margin:2em;max-width:1100px}")
        .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;")
        .append("text-align:right}th{background:#f3f3f3}td.text{text-align:left}")
        .append("img{max-width:100%;border:1px solid #ddd}</style>\n</head>\n<body>\n")
        .append("<h1>Shaver report: ").append(escape(runId)).append("</h1>\n");

    html.append("<h2>Run</h2>\n<table>\n");
    for (String key : List.of("dataset", "model", "estimation", "unpruned")) {
      html.append("<tr><th>").append(key).append("</th><td class=\"text\">")
          .append(escape(describe(document.get(key)))).append("</td></tr>\n");
    }
    html.append("</table>\n");

    html.append("<h2>Metrics on the test split</h2>\n<table>\n<tr><th>method</th>")
        .append("<th>budget</th><th>sparsity</th><th>kept</th><th>bytes</th><th>AUC</th>")
        .append("<th>LogLoss</th><th>KL</th><th>ΔAUC</th></tr>\n");
    for (MetricsRow row : metrics) {
      html.append("<tr><td class=\"text\">").append(escape(row.method()))
          .append("</td><td class=\"text\">").append(escape(row.budget())).append("</td><td>")
          .append(number(row.sparsity(), "%.4f")).append("</td><td>").append(row.kept())
          .append("</td><td>").append(row.bytes()).append("</td><td>")
          .append(number(row.auc(), "%.6f")).append("</td><td>")
          .append(number(row.logloss(), "%.6f")).append("</td><td>")
          .append(number(row.kl(), "%.6f")).append("</td><td>")
          .append(number(row.deltaAuc(), "%+.6f")).append("</td></tr>\n");
    }
    html.append("</table>\n");

    for (ReportPlot plot : plots) {
      html.append("<h2>").append(escape(plot.title())).append("</h2>\n<p>")
          .append(escape(plot.caption())).append("</p>\n<img src=\"")
          .append(escape(plot.fileName())).append("\" alt=\"").append(escape(plot.title()))
          .append("\">\n");
    }
    html.append("<p>Machine-readable numbers: <a href=\"summary.json\">summary.json</a>.</p>\n")
        .append("</body>\n</html>\n");
    return html.toString();
  }

  /** Renders a summary section as {@code key: value, ...}; null values read "n/a". */
  private static String describe(Object section) {
    if (!(section instanceof Map<?, ?> map)) {
      return String.valueOf(section);
    }
    StringBuilder text = new StringBuilder();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (text.length() > 0) {
        text.append(", ");
      }
      text.append(entry.getKey()).append(": ")
          .append(entry.getValue() == null ? "n/a" : entry.getValue());
    }
    return text.toString();
  }

  private static String number(double value, String format) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, format, value) : "n/a";
  }

  /** Escapes the five HTML special characters. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
