package io.shaver.report;

/**
 * One PNG of the report.
 *
 * @param fileName name inside {@code report/}
 * @param title heading in report.html
 * @param caption what the plot shows and what it leaves out
 * @param png the encoded image
 */
public record ReportPlot(String fileName, String title, String caption, byte[] png) {
}
