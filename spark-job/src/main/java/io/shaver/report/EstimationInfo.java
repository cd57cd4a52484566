package io.shaver.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shaver.output.AtomicDirectory;
import io.shaver.output.ParquetTables;
import io.shaver.output.Provenance;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Statistics of the Shapley estimate, as recorded by the estimate stage: samples processed,
 * model evaluations, passes and the final convergence ratio from the {@code shaver.*} footer
 * metadata of {@code shapley/}, and the stage's wall time from {@code _stages/estimate.json}.
 * Each value is null when its source is missing or unreadable.
 */
public record EstimationInfo(Long samples, Long evaluations, Long passes,
    Double convergenceRatio, Double seconds) {

  private static final Logger LOG = LoggerFactory.getLogger(EstimationInfo.class);

  /** Footer metadata keys, without the {@code shaver.} prefix. */
  public static final String SAMPLES = "samples";
  public static final String EVALUATIONS = "evaluations";
  public static final String PASSES = "passes";
  public static final String CONVERGENCE_RATIO = "convergence_ratio";

  /** Reads the estimate's metadata; a missing {@code shapley/} gives all nulls. */
  public static EstimationInfo read(Path shapley, Path stageRecord, Configuration hadoopConf) {
    Map<String, String> metadata = Map.of();
    if (AtomicDirectory.isComplete(shapley, hadoopConf)) {
      metadata = ParquetTables.readMetadata(shapley, hadoopConf);
    } else {
      LOG.warn("No complete {}; the report's estimation fields are null", shapley);
    }
    return new EstimationInfo(
        longValue(metadata, SAMPLES), longValue(metadata, EVALUATIONS),
        longValue(metadata, PASSES), doubleValue(metadata, CONVERGENCE_RATIO),
        stageSeconds(stageRecord, hadoopConf));
  }

  private static Long longValue(Map<String, String> metadata, String key) {
    Double value = doubleValue(metadata, key);
    return value == null ? null : Math.round(value);
  }

  private static Double doubleValue(Map<String, String> metadata, String key) {
    String text = metadata.get(Provenance.PREFIX + key);
    if (text == null) {
      return null;
    }
    try {
      return Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      LOG.warn("Ignoring metadata {}{} = '{}': not a number", Provenance.PREFIX, key, text);
      return null;
    }
  }

  private static Double stageSeconds(Path record, Configuration hadoopConf) {
    try {
      FileSystem fileSystem = record.getFileSystem(hadoopConf);
      if (!fileSystem.exists(record)) {
        return null;
      }
      try (InputStream in = fileSystem.open(record)) {
        JsonNode seconds = new ObjectMapper().readTree(in).get("seconds");
        return seconds == null || !seconds.isNumber() ? null : seconds.doubleValue();
      }
    } catch (IOException e) {
      LOG.warn("Ignoring unreadable stage record {}: {}", record, e.toString());
      return null;
    }
  }
}
