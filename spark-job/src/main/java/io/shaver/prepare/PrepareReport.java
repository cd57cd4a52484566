package io.shaver.prepare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.shaver.config.DataSettings;
import io.shaver.data.DataSplit;
import io.shaver.data.InputFiles;
import io.shaver.data.InputQuality;
import io.shaver.data.RowStatus;
import io.shaver.data.SplitTally;
import io.shaver.data.VocabularyTable;
import io.shaver.output.Provenance;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Builds and writes {@code prepared/report.json}: input, row counts by status, rows and
 * positives per split, and per field its size and OOV rate (overall and per split).
 *
 * <p>It holds no wall-clock values, so the same input, config and seed give the same file. It
 * is written into the staging directory of {@code prepared/}, which is published as a whole,
 * so the report never appears without the tables it describes.
 */
final class PrepareReport {

  private PrepareReport() {
  }

  static Map<String, Object> build(Provenance provenance, DataSettings settings,
      InputFiles files, InputQuality quality, SplitTally tally, VocabularyTable vocabulary,
      long[] distinctTokens) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("provenance", provenance.asMap());

    Map<String, Object> input = new LinkedHashMap<>();
    input.put("format", settings.format().configName());
    input.put("files", files.size());
    input.put("bytes", files.totalBytes());
    report.put("input", input);

    report.put("lines_read", quality.linesRead());
    report.put("rows_read", quality.rowsRead());
    report.put("rows_valid", quality.valid());
    report.put("empty_lines", quality.count(RowStatus.EMPTY_LINE));
    report.put("header_lines", quality.count(RowStatus.HEADER));
    report.put("rows_rejected", quality.rejected());
    report.put("rows_rejected_by_reason", quality.rejectedByReason());
    report.put("error_budget", settings.errorBudget());

    Map<String, Object> splits = new LinkedHashMap<>();
    for (DataSplit split : DataSplit.values()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      long rows = tally.rows(split);
      entry.put("rows", rows);
      entry.put("positives", tally.positives(split));
      entry.put("positive_rate", rate(tally.positives(split), rows));
      splits.put(split.code(), entry);
    }
    report.put("splits", splits);
    report.put("embedding_rows", vocabulary.totalSize());
    report.put("fields", fields(tally, vocabulary, distinctTokens));
    return report;
  }

  private static List<Object> fields(SplitTally tally, VocabularyTable vocabulary,
      long[] distinctTokens) {
    List<Object> fields = new ArrayList<>();
    for (int f = 0; f < vocabulary.fieldCount(); f++) {
      Map<String, Object> field = new LinkedHashMap<>();
      field.put("field", vocabulary.fields().get(f).name());
      field.put("kind", vocabulary.fields().get(f).kind().code());
      field.put("size", vocabulary.size(f));
      field.put("offset", vocabulary.offset(f));
      if (distinctTokens != null) {
        field.put("distinct_tokens", distinctTokens[f]);
      }
      field.put("oov_rate", rate(tally.totalOov(f), tally.totalRows()));
      Map<String, Object> bySplit = new LinkedHashMap<>();
      for (DataSplit split : DataSplit.values()) {
        bySplit.put(split.code(), rate(tally.oov(split, f), tally.rows(split)));
      }
      field.put("oov_rate_by_split", bySplit);
      fields.add(field);
    }
    return fields;
  }

  private static double rate(long count, long total) {
    return total == 0 ? 0.0 : (double) count / total;
  }

  static void write(Map<String, Object> report, Path target, Configuration hadoopConf) {
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    try {
      FileSystem fileSystem = target.getFileSystem(hadoopConf);
      try (OutputStream out = fileSystem.create(target, false)) {
        json.writeValue(out, report);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to write " + target + ": " + e.getMessage(), e);
    }
  }
}
