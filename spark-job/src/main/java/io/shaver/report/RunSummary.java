package io.shaver.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.shaver.config.DataSettings;
import io.shaver.evaluate.MetricsRow;
import io.shaver.evaluate.Variant;
import io.shaver.model.ModelConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The content of {@code report/summary.json}: what was run and how every variant scored.
 *
 * <p>Keys are documented in the README section "summary.json keys". Numbers that are not finite
 * (an AUC of a one-class test split) are written as null, because JSON has no NaN.
 */
public final class RunSummary {

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  private final Map<String, Object> document;

  private RunSummary(Map<String, Object> document) {
    this.document = document;
  }

  /**
   * Builds the summary.
   *
   * @param metrics rows of {@code metrics/}; the {@code unpruned} row fills {@code unpruned} and
   *     the others fill {@code results}, in the given order
   * @throws IllegalArgumentException if {@code metrics} has no unpruned row
   */
  public static RunSummary of(String runId, DataSettings data, ModelConfig model,
      EstimationInfo estimation, List<MetricsRow> metrics) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("run_id", runId);
    document.put("dataset", dataset(data));
    document.put("model", model(model));
    document.put("estimation", estimation(estimation));

    MetricsRow unpruned = metrics.stream()
        .filter(row -> row.method().equals(Variant.UNPRUNED)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("metrics/ has no '" + Variant.UNPRUNED
            + "' row; rerun the evaluate stage"));
    Map<String, Object> reference = new LinkedHashMap<>();
    reference.put("auc", finite(unpruned.auc()));
    reference.put("logloss", finite(unpruned.logloss()));
    document.put("unpruned", reference);

    List<Map<String, Object>> results = new ArrayList<>();
    for (MetricsRow row : metrics) {
      if (!row.method().equals(Variant.UNPRUNED)) {
        results.add(result(row));
      }
    }
    document.put("results", results);
    return new RunSummary(document);
  }

  private static Map<String, Object> dataset(DataSettings data) {
    Map<String, Object> dataset = new LinkedHashMap<>();
    dataset.put("format", data.format().configName());
    dataset.put("path", data.paths());
    return dataset;
  }

  private static Map<String, Object> model(ModelConfig config) {
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("kind", config.kind().id());
    model.put("fields", config.fieldCount());
    model.put("n", config.rowCount());
    model.put("d", config.embeddingDim());
    return model;
  }

  private static Map<String, Object> estimation(EstimationInfo info) {
    Map<String, Object> estimation = new LinkedHashMap<>();
    estimation.put("samples", info.samples());
    estimation.put("evaluations", info.evaluations());
    estimation.put("passes", info.passes());
    estimation.put("convergence_ratio", info.convergenceRatio());
    estimation.put("seconds", info.seconds());
    return estimation;
  }

  private static Map<String, Object> result(MetricsRow row) {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("budget", row.budget());
    result.put("method", row.method());
    result.put("sparsity", finite(row.sparsity()));
    result.put("kept", row.kept());
    result.put("bytes", row.bytes());
    result.put("auc", finite(row.auc()));
    result.put("logloss", finite(row.logloss()));
    result.put("kl", finite(row.kl()));
    result.put("delta_auc", finite(row.deltaAuc()));
    return result;
  }

  private static Double finite(double value) {
    return Double.isFinite(value) ? value : null;
  }

  /** Returns the summary as nested maps and lists, in key order. */
  public Map<String, Object> document() {
    return document;
  }

  /** Returns the indented JSON text, UTF-8. */
  public byte[] toJson() {
    try {
      return JSON.writeValueAsString(document).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot render summary.json", e);
    }
  }
}
