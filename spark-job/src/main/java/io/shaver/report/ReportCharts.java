package io.shaver.report;

import io.shaver.evaluate.FieldShareRow;
import io.shaver.evaluate.MetricsRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.BoxChart;
import org.knowm.xchart.BoxChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler.LegendPosition;

/**
 * Draws the report's PNG plots with XChart: AUC versus kept parameters and versus bytes per
 * method, the distribution of log10|phi| per field, and the share of each field pruned at each
 * budget per pruning method.
 *
 * <p>Sets {@code java.awt.headless=true} before drawing, because the job runs without a display.
 */
public final class ReportCharts {

  static final int WIDTH = 1000;
  static final int HEIGHT = 600;

  private ReportCharts() {
  }

  /** Draws every plot that the inputs allow, in report order. */
  public static List<ReportPlot> draw(List<MetricsRow> metrics, List<FieldShareRow> shares,
      FieldPhiSample phi) {
    System.setProperty("java.awt.headless", "true");
    List<ReportPlot> plots = new ArrayList<>();
    plots.add(aucVersus(metrics, "kept", "kept parameters", MetricsRow::kept));
    plots.add(aucVersus(metrics, "bytes", "bytes of the served table", MetricsRow::bytes));
    if (phi != null) {
      plots.add(phiByField(phi));
    }
    for (Map.Entry<String, List<FieldShareRow>> method : byMethod(shares).entrySet()) {
      plots.add(prunedShare(method.getKey(), method.getValue()));
    }
    return plots;
  }

  /** Plots AUC against {@code x} (log scale), one series per method. */
  static ReportPlot aucVersus(List<MetricsRow> metrics, String name, String axis,
      ToLongFunction<MetricsRow> x) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
        .title("Test AUC versus " + axis).xAxisTitle(axis + " (log scale)")
        .yAxisTitle("AUC").build();
    chart.getStyler().setXAxisLogarithmic(true).setLegendPosition(LegendPosition.OutsideE)
        .setMarkerSize(8);
    int dropped = 0;
    for (Map.Entry<String, List<MetricsRow>> method : metricsByMethod(metrics).entrySet()) {
      List<double[]> points = new ArrayList<>();
      for (MetricsRow row : method.getValue()) {
        if (x.applyAsLong(row) > 0 && Double.isFinite(row.auc())) {
          points.add(new double[] {x.applyAsLong(row), row.auc()});
        } else {
          dropped++;
        }
      }
      if (points.isEmpty()) {
        continue;
      }
      points.sort((a, b) -> Double.compare(a[0], b[0]));
      double[] xs = points.stream().mapToDouble(point -> point[0]).toArray();
      double[] ys = points.stream().mapToDouble(point -> point[1]).toArray();
      chart.addSeries(method.getKey(), xs, ys);
    }
    String caption = "One line per method, budgets in ascending " + name + "; the unpruned"
        + " model is a single point and PTQ has one point per bit width."
        + (dropped > 0 ? " " + dropped + " point(s) with " + name + " = 0 or an undefined AUC"
            + " are left out, because a log axis cannot show them." : "");
    return new ReportPlot("auc-vs-" + name + ".png", "AUC versus " + axis, caption, png(chart));
  }

  /** Box plot of log10|phi| per field. */
  static ReportPlot phiByField(FieldPhiSample phi) {
    int fields = phi.log10AbsPhi().size();
    BoxChart chart = new BoxChartBuilder().width(Math.max(WIDTH, 60 * fields)).height(HEIGHT)
        .title("log10 |phi| per field (non-zero phi)").xAxisTitle("field")
        .yAxisTitle("log10 |phi|").build();
    chart.getStyler().setXAxisLabelRotation(fields > 12 ? 90 : 0);
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setBoxWidthFraction(0.5);
    List<String> empty = new ArrayList<>();
    for (Map.Entry<String, double[]> field : phi.log10AbsPhi().entrySet()) {
      if (field.getValue().length == 0) {
        empty.add(field.getKey());
      } else {
        chart.addSeries(field.getKey(), field.getValue());
      }
    }
    long total = phi.counts().values().stream().mapToLong(Long::longValue).sum();
    long zeros = phi.zeros().values().stream().mapToLong(Long::longValue).sum();
    String caption = "Boxes over a seeded sample of up to about "
        + FieldPhiSample.DEFAULT_SAMPLE_SIZE + " non-zero phi per field. "
        + String.format("%.1f%%", total == 0 ? 0 : 100.0 * zeros / total)
        + " of the " + total + " phi in shapley/ are exactly 0 and are not drawn."
        + (empty.isEmpty() ? "" : " Fields without non-zero phi: " + String.join(", ", empty)
            + ".");
    return new ReportPlot("phi-by-field.png", "Shapley values per field", caption, png(chart));
  }

  /** Heat map of the pruned share of each field (x) at each budget (y) of one method. */
  static ReportPlot prunedShare(String method, List<FieldShareRow> rows) {
    List<String> fields = new ArrayList<>(new LinkedHashSet<>(rows.stream()
        .sorted((a, b) -> Integer.compare(a.fieldIndex(), b.fieldIndex()))
        .map(FieldShareRow::field).toList()));
    List<String> budgets = new ArrayList<>(new LinkedHashSet<>(rows.stream()
        .map(FieldShareRow::budget).toList()));
    List<Number[]> cells = new ArrayList<>();
    for (FieldShareRow row : rows) {
      cells.add(new Number[] {fields.indexOf(row.field()), budgets.indexOf(row.budget()),
          row.share()});
    }
    HeatMapChart chart = new HeatMapChartBuilder()
        .width(Math.max(WIDTH, 60 * fields.size())).height(Math.max(HEIGHT, 40 * budgets.size()))
        .title("Share of each field's parameters pruned: " + method).xAxisTitle("field")
        .yAxisTitle("budget").build();
    chart.getStyler().setMin(0).setMax(1).setShowValue(fields.size() * budgets.size() <= 200)
        .setHeatMapValueDecimalPattern("0.00").setXAxisLabelRotation(fields.size() > 12 ? 90 : 0);
    chart.addSeries(method, fields, budgets, cells);
    String caption = "Each cell is the share of the field's parameters (rows × d) that the"
        + " budget prunes, from 0 (orange) to 1 (dark red).";
    return new ReportPlot("pruned-share-" + method + ".png", "Pruned share per field: "
        + method, caption, png(chart));
  }

  private static Map<String, List<MetricsRow>> metricsByMethod(List<MetricsRow> metrics) {
    Map<String, List<MetricsRow>> byMethod = new LinkedHashMap<>();
    for (MetricsRow row : metrics) {
      byMethod.computeIfAbsent(row.method(), key -> new ArrayList<>()).add(row);
    }
    return byMethod;
  }

  private static Map<String, List<FieldShareRow>> byMethod(List<FieldShareRow> shares) {
    Map<String, List<FieldShareRow>> byMethod = new LinkedHashMap<>();
    for (FieldShareRow row : shares) {
      byMethod.computeIfAbsent(row.method(), key -> new ArrayList<>()).add(row);
    }
    return byMethod;
  }

  private static byte[] png(Chart<?, ?> chart) {
    try {
      return BitmapEncoder.getBitmapBytes(chart, BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to encode a PNG plot", e);
    }
  }
}
