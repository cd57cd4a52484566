package io.shaver.prepare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Plain-Java reading of raw sample files, independent of the Spark readers: lines with their
 * byte offsets, and token counts per field.
 */
final class RawCounts {

  /** One raw line and the byte offset where it starts. */
  record Line(long offset, String text) {
  }

  private RawCounts() {
  }

  /** Reads an uncompressed file's lines with their byte offsets; LF line ends only. */
  static List<Line> lines(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    List<Line> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        lines.add(new Line(start, new String(bytes, start, i - start, StandardCharsets.UTF_8)));
        start = i + 1;
      }
    }
    if (start < bytes.length) {
      lines.add(new Line(start,
          new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8)));
    }
    return lines;
  }

  /**
   * Counts tokens per field.
   *
   * @param tokenizer turns a line into its tokens, one per field
   */
  static List<Map<String, Long>> countTokens(List<Line> lines, Function<String, String[]> tokenizer,
      int fields) {
    List<Map<String, Long>> counts = new ArrayList<>();
    for (int f = 0; f < fields; f++) {
      counts.add(new HashMap<>());
    }
    for (Line line : lines) {
      String[] tokens = tokenizer.apply(line.text());
      for (int f = 0; f < fields; f++) {
        counts.get(f).merge(tokens[f], 1L, Long::sum);
      }
    }
    return counts;
  }

  /** Number of tokens with at least {@code minCount} occurrences, per field. */
  static List<Integer> keptSizes(List<Map<String, Long>> counts, int minCount) {
    List<Integer> sizes = new ArrayList<>();
    for (Map<String, Long> field : counts) {
      sizes.add((int) field.values().stream().filter(c -> c >= minCount).count());
    }
    return sizes;
  }

  /** Criteo tokens written independently of the product: bins by the documented formula. */
  static String[] criteoTokens(String line) {
    String[] columns = line.split("\t", -1);
    String[] tokens = new String[39];
    for (int i = 0; i < 13; i++) {
      String value = columns[1 + i];
      if (value.isEmpty()) {
        tokens[i] = "NULL";
      } else {
        long v = Long.parseLong(value);
        tokens[i] = v > 2 ? String.valueOf((long) Math.floor(Math.pow(Math.log(v), 2)))
            : String.valueOf(v - 2);
      }
    }
    for (int i = 0; i < 26; i++) {
      String value = columns[14 + i];
      tokens[13 + i] = value.isEmpty() ? "NULL" : value;
    }
    return tokens;
  }

  static Map<Long, Line> byOffset(List<Line> lines) {
    Map<Long, Line> map = new LinkedHashMap<>();
    for (Line line : lines) {
      map.put(line.offset(), line);
    }
    return map;
  }
}
