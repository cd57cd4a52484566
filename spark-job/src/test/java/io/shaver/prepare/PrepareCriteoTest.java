package io.shaver.prepare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.shaver.config.JobConfig;
import io.shaver.config.JobConfigLoader;
import io.shaver.data.InputFiles;
import io.shaver.data.SourceReader;
import io.shaver.output.AtomicDirectory;
import io.shaver.output.ParquetTables;
import io.shaver.testing.SharedSpark;
import io.shaver.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrepareCriteoTest {

  private static final int FIELDS = 39;
  private static final int MIN_COUNT = 10;
  private static final String SPLIT_MAX_SIZE = "mapreduce.input.fileinputformat.split.maxsize";

  @TempDir
  static Path directory;

  private static Path criteo;
  private static List<RawCounts.Line> lines;
  private static List<Map<String, Long>> tokenCounts;
  private static PrepareResult result;
  private static PreparedOutput output;

  static JobConfig config(Path output, Path input, String extra) {
    return JobConfigLoader.parse("output: " + output + "\nseed: 7\ndata:\n  format: criteo\n"
        + "  path: " + input + "\n" + extra, List.of());
  }

  @BeforeAll
  static void prepare() throws Exception {
    criteo = TestData.criteoTrain10k();
    lines = RawCounts.lines(criteo);
    tokenCounts = RawCounts.countTokens(lines, RawCounts::criteoTokens, FIELDS);
    Path run = directory.resolve("run");
    result = PrepareStage.run(SharedSpark.get(), config(run, criteo, ""));
    output = new PreparedOutput(run.toString());
  }

  @Test
  void rowAndLabelCounts() {
    assertEquals(10_000, lines.size());
    assertEquals(10_000, result.rowsRead());
    assertEquals(0, result.rowsRejected());
    assertEquals(10_000, result.trainRows() + result.valRows() + result.testRows());
    long positives = 0;
    for (String split : List.of("train", "val", "test")) {
      for (Row row : output.split(split)) {
        positives += row.getInt(row.fieldIndex("label"));
      }
    }
    assertEquals(2_182, positives);
  }

  @Test
  void splitSharesNearRatios() {
    // Binomial standard deviations: train 40, val and test 30; allow 4 of them.
    assertEquals(8_000, result.trainRows(), 160);
    assertEquals(1_000, result.valRows(), 120);
    assertEquals(1_000, result.testRows(), 120);
    assertEquals(result.trainRows(), output.split("train").size());
    assertEquals(result.valRows(), output.split("val").size());
    assertEquals(result.testRows(), output.split("test").size());
  }

  @Test
  void vocabularySizesMatchIndependentCount() {
    List<Integer> kept = RawCounts.keptSizes(tokenCounts, MIN_COUNT);
    List<Row> fields = output.fields();
    assertEquals(FIELDS, fields.size());
    int offset = 0;
    for (int f = 0; f < FIELDS; f++) {
      Row field = fields.get(f);
      String name = field.getString(0);
      assertEquals(SourceReader.CRITEO_COLUMNS.get(f + 1), name);
      assertEquals(f < 13 ? "integer" : "categorical", field.getString(2), name);
      assertEquals(kept.get(f) + 1, field.getInt(3), "size of " + name);
      assertEquals(offset, field.getInt(4), "offset of " + name);
      offset += field.getInt(3);
    }
    assertEquals(offset, result.embeddingRows());
    assertEquals(offset, output.vocabulary().size());
  }

  @Test
  void oovSlotIsLastRowOfEachField() {
    List<Row> fields = output.fields();
    List<Row> vocabulary = output.vocabulary();
    for (Row field : fields) {
      int last = field.getInt(4) + field.getInt(3) - 1;
      Row oov = vocabulary.get(last);
      assertEquals(field.getString(0), oov.getString(0));
      assertEquals(field.getInt(3) - 1, oov.getInt(2));
      assertNull(oov.get(4), "OOV token of " + field.getString(0));
      assertTrue(oov.getBoolean(5));
    }
    long oovFlags = vocabulary.stream().filter(row -> row.getBoolean(5)).count();
    assertEquals(FIELDS, oovFlags);
  }

  @Test
  void localIdsOrderedByCountThenToken() {
    List<Row> vocabulary = output.vocabulary();
    for (int i = 1; i < vocabulary.size(); i++) {
      Row previous = vocabulary.get(i - 1);
      Row current = vocabulary.get(i);
      if (previous.getInt(1) != current.getInt(1) || current.getBoolean(5)) {
        continue;
      }
      int f = current.getInt(1);
      long previousCount = tokenCounts.get(f).get(previous.getString(4));
      long currentCount = tokenCounts.get(f).get(current.getString(4));
      assertTrue(previousCount > currentCount || (previousCount == currentCount
          && previous.getString(4).compareTo(current.getString(4)) < 0),
          "order at global id " + i);
    }
  }

  @Test
  void everyRowDecodesToItsRawTokens() {
    Map<Long, RawCounts.Line> raw = RawCounts.byOffset(lines);
    List<Row> vocabulary = output.vocabulary();
    for (String split : List.of("train", "val", "test")) {
      long previousKey = -1;
      for (Row row : output.split(split)) {
        long key = row.getLong(2);
        assertTrue(key > previousKey, "row keys ascend in " + split);
        previousKey = key;
        RawCounts.Line line = raw.get(key);
        String[] tokens = RawCounts.criteoTokens(line.text());
        assertEquals(Integer.parseInt(line.text().substring(0, 1)), row.getInt(0));
        List<Integer> ids = row.getList(1);
        assertEquals(FIELDS, ids.size());
        for (int f = 0; f < FIELDS; f++) {
          Row entry = vocabulary.get(ids.get(f));
          assertEquals(f, entry.getInt(1), "field of id at line offset " + key);
          boolean kept = tokenCounts.get(f).get(tokens[f]) >= MIN_COUNT;
          assertEquals(!kept, entry.getBoolean(5), "OOV flag at offset " + key + " field " + f);
          if (kept) {
            assertEquals(tokens[f], entry.getString(4));
          }
        }
      }
    }
  }

  @Test
  void trainValCountsMatchRawLines() {
    Map<Long, RawCounts.Line> raw = RawCounts.byOffset(lines);
    List<Map<String, Long>> expected = new java.util.ArrayList<>();
    for (int f = 0; f < FIELDS; f++) {
      expected.add(new HashMap<>());
    }
    for (String split : List.of("train", "val")) {
      for (Row row : output.split(split)) {
        String[] tokens = RawCounts.criteoTokens(raw.get(row.getLong(2)).text());
        for (int f = 0; f < FIELDS; f++) {
          boolean kept = tokenCounts.get(f).get(tokens[f]) >= MIN_COUNT;
          expected.get(f).merge(kept ? tokens[f] : null, 1L, Long::sum);
        }
      }
    }
    for (Row entry : output.vocabulary()) {
      int f = entry.getInt(1);
      String token = entry.getBoolean(5) ? null : entry.getString(4);
      long count = expected.get(f).getOrDefault(token, 0L);
      assertEquals(count, entry.getLong(6), "train_val_count of " + token + " in field " + f);
    }
  }

  @Test
  void reportCountsMatchResult() throws Exception {
    JsonNode report = output.report();
    assertEquals(10_000, report.get("rows_read").asLong());
    assertEquals(10_000, report.get("lines_read").asLong());
    assertEquals(0, report.get("rows_rejected").asLong());
    assertEquals(result.trainRows(), report.get("splits").get("train").get("rows").asLong());
    long positives = 0;
    for (String split : List.of("train", "val", "test")) {
      positives += report.get("splits").get(split).get("positives").asLong();
    }
    assertEquals(2_182, positives);
    assertEquals(FIELDS, report.get("fields").size());
    for (int f = 0; f < FIELDS; f++) {
      JsonNode field = report.get("fields").get(f);
      assertEquals(SourceReader.CRITEO_COLUMNS.get(f + 1), field.get("field").asText());
      long oov = 0;
      for (RawCounts.Line line : lines) {
        String token = RawCounts.criteoTokens(line.text())[f];
        if (tokenCounts.get(f).get(token) < MIN_COUNT) {
          oov++;
        }
      }
      assertEquals(oov / 10_000.0, field.get("oov_rate").asDouble(), 1e-12,
          "OOV rate of " + field.get("field").asText());
      assertEquals(tokenCounts.get(f).size(), field.get("distinct_tokens").asLong());
    }
    assertTrue(AtomicDirectory.isComplete(new org.apache.hadoop.fs.Path(
        output.path("")), new Configuration()));
  }

  @Test
  void provenanceInSplitFooters() {
    Map<String, String> metadata = ParquetTables.readMetadata(
        new org.apache.hadoop.fs.Path(output.path("train")), new Configuration());
    assertEquals("prepare", metadata.get("shaver.stage"));
    assertEquals("7", metadata.get("shaver.seed"));
    assertEquals("train", metadata.get("shaver.split"));
    assertTrue(metadata.get("shaver.config").contains("format: criteo"));
  }

  @Test
  void byteIdenticalForOneAndFourPartitions() throws Exception {
    // Both runs write to the same output path: provenance records the config, output included.
    SparkSession spark = SharedSpark.get();
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    Path run = directory.resolve("partitions");
    JobConfig config = config(run, criteo, "  rows_per_file: 3000\n");
    PreparedOutput prepared = new PreparedOutput(run.toString());
    Map<String, List<byte[]>> fourPartitions;
    try {
      hadoopConf.setLong(SPLIT_MAX_SIZE, Files.size(criteo) / 4 + 1);
      assertEquals(4, SourceReader.read(spark, config.data(), config.seed(),
          InputFiles.resolve(List.of(criteo.toString()), hadoopConf)).rows().rdd()
          .getNumPartitions());
      PrepareStage.run(spark, config);
      fourPartitions = splitBytes(prepared);
      hadoopConf.setLong(SPLIT_MAX_SIZE, Long.MAX_VALUE);
      assertEquals(1, SourceReader.read(spark, config.data(), config.seed(),
          InputFiles.resolve(List.of(criteo.toString()), hadoopConf)).rows().rdd()
          .getNumPartitions());
      PrepareStage.run(spark, config);
    } finally {
      hadoopConf.unset(SPLIT_MAX_SIZE);
    }
    Map<String, List<byte[]>> onePartition = splitBytes(prepared);
    for (String split : List.of("train", "val", "test")) {
      List<byte[]> expected = fourPartitions.get(split);
      List<byte[]> actual = onePartition.get(split);
      assertEquals(expected.size(), actual.size(), split);
      for (int i = 0; i < expected.size(); i++) {
        assertArrayEquals(expected.get(i), actual.get(i), split + " file " + i);
      }
    }
    assertEquals(3, onePartition.get("train").size(), "about 8,000 train rows in files of 3,000");
  }

  @Test
  void trainOnlyVocabularyCountsTrainRows() throws Exception {
    Path run = directory.resolve("train-only");

    PrepareStage.run(SharedSpark.get(), config(run, criteo, "  vocabulary_splits: train\n"));

    PreparedOutput prepared = new PreparedOutput(run.toString());
    Map<Long, RawCounts.Line> raw = RawCounts.byOffset(lines);
    List<RawCounts.Line> trainLines = new java.util.ArrayList<>();
    for (Row row : prepared.split("train")) {
      trainLines.add(raw.get(row.getLong(2)));
    }
    List<Integer> kept = RawCounts.keptSizes(
        RawCounts.countTokens(trainLines, RawCounts::criteoTokens, FIELDS), MIN_COUNT);
    List<Row> fields = prepared.fields();
    int smaller = 0;
    for (int f = 0; f < FIELDS; f++) {
      assertEquals(kept.get(f) + 1, fields.get(f).getInt(3), "size of field " + f);
      if (fields.get(f).getInt(3) < output.fields().get(f).getInt(3)) {
        smaller++;
      }
    }
    assertTrue(smaller > 0, "counting train only keeps fewer tokens in some field");
  }

  private static Map<String, List<byte[]>> splitBytes(PreparedOutput prepared)
      throws Exception {
    Map<String, List<byte[]>> bytes = new HashMap<>();
    for (String split : List.of("train", "val", "test")) {
      List<byte[]> files = new java.util.ArrayList<>();
      for (String file : prepared.partFiles(split)) {
        files.add(Files.readAllBytes(Path.of(file)));
      }
      bytes.put(split, files);
    }
    return bytes;
  }
}
