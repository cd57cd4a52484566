package io.shaver.prepare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.shaver.config.JobConfig;
import io.shaver.config.JobConfigLoader;
import io.shaver.data.InputDataException;
import io.shaver.data.SourceReader;
import io.shaver.testing.SharedSpark;
import io.shaver.testing.TestData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrepareSourcesTest {

  private static final String SPLIT_MAX_SIZE = "mapreduce.input.fileinputformat.split.maxsize";

  @TempDir
  Path directory;

  private static JobConfig config(Path output, String data) {
    return JobConfigLoader.parse("output: " + output + "\nseed: 11\ndata:\n" + data, List.of());
  }

  private static PrepareResult run(JobConfig config) {
    return PrepareStage.run(SharedSpark.get(), config);
  }

  /** Runs {@code config} with 4 and then 1 input partitions and compares the split bytes. */
  private static void assertSameBytesForOneAndFourPartitions(JobConfig config, Path input)
      throws Exception {
    Configuration hadoopConf = SharedSpark.get().sparkContext().hadoopConfiguration();
    PreparedOutput prepared = new PreparedOutput(config.output());
    Map<String, List<byte[]>> four;
    try {
      hadoopConf.setLong(SPLIT_MAX_SIZE, Files.size(input) / 4 + 1);
      run(config);
      four = splitBytes(prepared);
      hadoopConf.setLong(SPLIT_MAX_SIZE, Long.MAX_VALUE);
      run(config);
    } finally {
      hadoopConf.unset(SPLIT_MAX_SIZE);
    }
    Map<String, List<byte[]>> one = splitBytes(prepared);
    for (String split : List.of("train", "val", "test")) {
      assertEquals(four.get(split).size(), one.get(split).size(), split);
      for (int i = 0; i < one.get(split).size(); i++) {
        assertArrayEquals(four.get(split).get(i), one.get(split).get(i), split + " file " + i);
      }
    }
  }

  private static Map<String, List<byte[]>> splitBytes(PreparedOutput prepared) throws Exception {
    Map<String, List<byte[]>> bytes = new HashMap<>();
    for (String split : List.of("train", "val", "test")) {
      List<byte[]> files = new ArrayList<>();
      for (String file : prepared.partFiles(split)) {
        files.add(Files.readAllBytes(Path.of(file)));
      }
      bytes.put(split, files);
    }
    return bytes;
  }

  private static long positives(PreparedOutput prepared) {
    long positives = 0;
    for (String split : List.of("train", "val", "test")) {
      for (Row row : prepared.split(split)) {
        positives += row.getInt(0);
      }
    }
    return positives;
  }

  private static void assertSizes(List<Integer> kept, PreparedOutput prepared,
      List<String> names) {
    List<Row> fields = prepared.fields();
    assertEquals(kept.size(), fields.size());
    for (int f = 0; f < kept.size(); f++) {
      assertEquals(names.get(f), fields.get(f).getString(0));
      assertEquals(kept.get(f) + 1, fields.get(f).getInt(3), "size of " + names.get(f));
    }
  }

  @Test
  void avazuCountsAndVocabulary() throws Exception {
    Path avazu = TestData.avazu10k();
    List<RawCounts.Line> lines = RawCounts.lines(avazu);
    List<RawCounts.Line> rows = lines.subList(1, lines.size());
    List<Map<String, Long>> counts = RawCounts.countTokens(rows,
        line -> List.of(line.split(",", -1)).subList(2, 24).toArray(new String[0]), 22);
    Path run = directory.resolve("avazu");

    PrepareResult result = run(config(run, "  format: avazu\n  path: " + avazu + "\n"));

    PreparedOutput prepared = new PreparedOutput(run.toString());
    assertEquals(9_999, result.rowsRead());
    assertEquals(1_706, positives(prepared));
    JsonNode report = prepared.report();
    assertEquals(1, report.get("header_lines").asLong());
    assertEquals(10_000, report.get("lines_read").asLong());
    assertSizes(RawCounts.keptSizes(counts, 2), prepared,
        SourceReader.AVAZU_COLUMNS.subList(2, 24));
    assertEquals("hour", prepared.fields().get(0).getString(0));
    assertEquals(2, prepared.fields().get(0).getInt(3), "one hour value plus the OOV slot");
  }

  @Test
  void avazuSameBytesForOneAndFourPartitions() throws Exception {
    Path avazu = TestData.avazu10k();
    assertSameBytesForOneAndFourPartitions(config(directory.resolve("avazu-partitions"),
        "  format: avazu\n  path: " + avazu + "\n  rows_per_file: 4000\n"), avazu);
  }

  @Test
  void kddLabelsAndImpressionField() throws Exception {
    Path kdd = TestData.kdd2012Training();
    List<RawCounts.Line> lines = RawCounts.lines(kdd);
    List<Map<String, Long>> counts = RawCounts.countTokens(lines,
        line -> List.of(line.split("\t", -1)).subList(1, 12).toArray(new String[0]), 11);
    long clicked = lines.stream()
        .filter(line -> Long.parseLong(line.text().split("\t")[0]) >= 1).count();
    Path run = directory.resolve("kdd");

    PrepareResult result = run(config(run,
        "  format: kdd2012\n  path: " + kdd + "\n  min_count: 1\n"));

    PreparedOutput prepared = new PreparedOutput(run.toString());
    assertEquals(11, result.rowsRead());
    assertEquals(clicked, positives(prepared));
    assertSizes(RawCounts.keptSizes(counts, 1), prepared,
        SourceReader.KDD2012_COLUMNS.subList(1, 12));
    assertEquals("Impression", prepared.fields().get(0).getString(0));
  }

  @Test
  void kddDefaultMinCountKeepsOnlyFrequentTokens() throws Exception {
    Path kdd = TestData.kdd2012Training();
    List<Map<String, Long>> counts = RawCounts.countTokens(RawCounts.lines(kdd),
        line -> List.of(line.split("\t", -1)).subList(1, 12).toArray(new String[0]), 11);
    Path run = directory.resolve("kdd-default");

    run(config(run, "  format: kdd2012\n  path: " + kdd + "\n"));

    PreparedOutput prepared = new PreparedOutput(run.toString());
    assertSizes(RawCounts.keptSizes(counts, 10), prepared,
        SourceReader.KDD2012_COLUMNS.subList(1, 12));
    assertEquals(1, prepared.fields().get(2).getInt(3), "AdID keeps only its OOV slot");
  }

  @Test
  void kddSameBytesForOneAndFourPartitions() throws Exception {
    Path kdd = TestData.kdd2012Training();
    assertSameBytesForOneAndFourPartitions(config(directory.resolve("kdd-partitions"),
        "  format: kdd2012\n  path: " + kdd + "\n  min_count: 1\n"), kdd);
  }

  @Test
  void csvWithHeaderAndDecimalIntegers() throws Exception {
    Path csv = TestData.datasets().resolve("criteo/deepctr_criteo_sample_200.csv");
    List<RawCounts.Line> lines = RawCounts.lines(csv);
    List<Map<String, Long>> counts = RawCounts.countTokens(lines.subList(1, lines.size()),
        line -> RawCounts.criteoTokens(line.replace(".0,", ",").replace(".0\t", "\t")
            .replace(',', '\t')), 39);
    List<String> integer = SourceReader.CRITEO_COLUMNS.subList(1, 14);
    List<String> categorical = SourceReader.CRITEO_COLUMNS.subList(14, 40);
    Path run = directory.resolve("csv");

    PrepareResult result = run(config(run, "  format: csv\n  path: " + csv + "\n"
        + "  integer: " + integer + "\n  categorical: " + categorical + "\n"));

    assertEquals(200, result.rowsRead());
    assertEquals(0, result.rowsRejected());
    assertSizes(RawCounts.keptSizes(counts, 1), new PreparedOutput(run.toString()),
        SourceReader.CRITEO_COLUMNS.subList(1, 40));
  }

  @Test
  void parquetSourceMatchesTextCounts() throws Exception {
    SparkSession spark = SharedSpark.get();
    List<RawCounts.Line> lines = RawCounts.lines(TestData.criteoTrain10k()).subList(0, 2_000);
    StructType schema = new StructType().add("click", DataTypes.IntegerType, false);
    for (int i = 1; i <= 13; i++) {
      schema = schema.add("I" + i, DataTypes.LongType, true);
    }
    for (int i = 1; i <= 26; i++) {
      schema = schema.add("C" + i, DataTypes.StringType, true);
    }
    List<Row> rows = new ArrayList<>();
    for (RawCounts.Line line : lines) {
      String[] columns = line.text().split("\t", -1);
      Object[] values = new Object[40];
      values[0] = Integer.parseInt(columns[0]);
      for (int i = 1; i < 40; i++) {
        if (columns[i].isEmpty()) {
          values[i] = null;
        } else if (i < 14) {
          values[i] = Long.parseLong(columns[i]);
        } else {
          values[i] = columns[i];
        }
      }
      rows.add(RowFactory.create(values));
    }
    Path parquet = directory.resolve("criteo.parquet");
    spark.createDataFrame(rows, schema).repartition(3).write().parquet(parquet.toString());
    List<Map<String, Long>> counts = RawCounts.countTokens(lines, RawCounts::criteoTokens, 39);
    Path run = directory.resolve("parquet");

    PrepareResult result = run(config(run, "  format: parquet\n  path: " + parquet + "\n"
        + "  label: click\n  min_count: 3\n"
        + "  integer: " + SourceReader.CRITEO_COLUMNS.subList(1, 14) + "\n"
        + "  categorical: " + SourceReader.CRITEO_COLUMNS.subList(14, 40) + "\n"));

    assertEquals(2_000, result.rowsRead());
    PreparedOutput prepared = new PreparedOutput(run.toString());
    assertSizes(RawCounts.keptSizes(counts, 3), prepared,
        SourceReader.CRITEO_COLUMNS.subList(1, 40));
    long expectedPositives = lines.stream().filter(line -> line.text().startsWith("1")).count();
    assertEquals(expectedPositives, positives(prepared));
  }

  private static Path writeEncodedCsv(Path file, List<String> rows) throws Exception {
    Files.write(file, rows, StandardCharsets.UTF_8);
    return file;
  }

  @Test
  void encodedCsvWithLocalIdsAndVocabulary() throws Exception {
    List<String> lines = new ArrayList<>(List.of("y,a,b,c"));
    for (int i = 0; i < 300; i++) {
      lines.add((i % 3 == 0 ? 1 : 0) + "," + (i % 3) + "," + (i % 4) + "," + (i % 2));
    }
    Path input = writeEncodedCsv(directory.resolve("encoded.csv"), lines);
    Path vocabulary = writeEncodedCsv(directory.resolve("tokens.csv"),
        List.of("field,local_id,token", "a,0,red", "a,1,green", "b,3,other"));
    Path run = directory.resolve("encoded");

    PrepareResult result = run(config(run, "  format: encoded\n  path: " + input + "\n"
        + "  file_type: csv\n  label: y\n  fields: [a, b, c]\n  field_sizes: [3, 4, 2]\n"
        + "  vocabulary: " + vocabulary + "\n"));

    assertEquals(300, result.rowsRead());
    assertEquals(9, result.embeddingRows());
    PreparedOutput prepared = new PreparedOutput(run.toString());
    Map<Long, RawCounts.Line> raw = RawCounts.byOffset(RawCounts.lines(input));
    int rows = 0;
    for (String split : List.of("train", "val", "test")) {
      for (Row row : prepared.split(split)) {
        String[] local = raw.get(row.getLong(2)).text().split(",");
        List<Integer> ids = row.getList(1);
        assertEquals(Integer.parseInt(local[0]), row.getInt(0), "label");
        assertEquals(Integer.parseInt(local[1]), ids.get(0), "field a starts at 0");
        assertEquals(3 + Integer.parseInt(local[2]), ids.get(1), "field b starts at 3");
        assertEquals(7 + Integer.parseInt(local[3]), ids.get(2), "field c starts at 7");
        rows++;
      }
    }
    assertEquals(300, rows);
    List<Row> vocabularyRows = prepared.vocabulary();
    assertEquals(9, vocabularyRows.size());
    assertEquals("red", vocabularyRows.get(0).getString(4));
    assertEquals("green", vocabularyRows.get(1).getString(4));
    assertNull(vocabularyRows.get(2).get(4));
    assertEquals("other", vocabularyRows.get(6).getString(4));
    long trainVal = result.trainRows() + result.valRows();
    long countA = vocabularyRows.subList(0, 3).stream().mapToLong(row -> row.getLong(6)).sum();
    assertEquals(trainVal, countA, "field a counts every train and val row once");
  }

  @Test
  void encodedParquetWithGlobalIds() throws Exception {
    SparkSession spark = SharedSpark.get();
    StructType schema = new StructType().add("label", DataTypes.IntegerType, false)
        .add("f", DataTypes.IntegerType, false).add("g", DataTypes.LongType, false);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      rows.add(RowFactory.create(i % 2, i % 5, 5L + i % 7));
    }
    Path parquet = directory.resolve("global.parquet");
    spark.createDataFrame(rows, schema).write().parquet(parquet.toString());
    Path run = directory.resolve("global");

    PrepareResult result = run(config(run, "  format: encoded\n  path: " + parquet + "\n"
        + "  fields: [f, g]\n  field_sizes: [5, 7]\n  id_kind: global\n"));

    assertEquals(100, result.rowsRead());
    assertEquals(12, result.embeddingRows());
    long total = 0;
    for (Row row : new PreparedOutput(run.toString()).vocabulary()) {
      total += row.getLong(6);
    }
    assertEquals(2 * (result.trainRows() + result.valRows()), total);
  }

  @Test
  void encodedIdOutOfRangeFails() throws Exception {
    Path input = writeEncodedCsv(directory.resolve("bad-ids.csv"),
        List.of("label,a,b", "0,1,2", "1,0,9", "0,2,1"));
    Path run = directory.resolve("bad-ids");

    InputDataException error = assertThrows(InputDataException.class, () -> run(config(run,
        "  format: encoded\n  path: " + input + "\n  file_type: csv\n  fields: [a, b]\n"
            + "  field_sizes: [3, 4]\n")));

    String message = error.getMessage();
    assertTrue(message.contains("bad-ids.csv line 3"), message);
    assertTrue(message.contains("field 'b'"), message);
    assertTrue(message.contains("local id 9"), message);
    assertTrue(!Files.exists(run.resolve("prepared")), "no prepared/ after a failure");
  }

  @Test
  void partitionsKeyKeepsContent() throws Exception {
    Path kdd = TestData.kdd2012Training();
    Path plain = directory.resolve("kdd-plain");
    Path spread = directory.resolve("kdd-spread");

    run(config(plain, "  format: kdd2012\n  path: " + kdd + "\n  min_count: 1\n"));
    run(config(spread, "  format: kdd2012\n  path: " + kdd + "\n  min_count: 1\n"
        + "  partitions: 3\n"));

    PreparedOutput expected = new PreparedOutput(plain.toString());
    PreparedOutput actual = new PreparedOutput(spread.toString());
    assertEquals(expected.vocabulary(), actual.vocabulary());
    for (String split : List.of("train", "val", "test")) {
      assertEquals(expected.split(split), actual.split(split), split);
    }
  }

  @Test
  void commandPreparesFileUris() throws Exception {
    Path kdd = TestData.kdd2012Training();
    Path file = directory.resolve("job.yaml");
    Files.writeString(file, "output: unused\ndata:\n  format: kdd2012\n  path: "
        + kdd.toUri() + "\n");
    Path run = directory.resolve("cli");
    // Start the shared session first, so the command reuses it (local, 127.0.0.1, no UI).
    SharedSpark.get();

    int code = io.shaver.cli.ShaverCli.execute("prepare", "--config", file.toString(),
        "--output", run.toUri().toString());

    assertEquals(io.shaver.cli.ShaverCli.EXIT_OK, code);
    assertTrue(Files.exists(run.resolve("prepared/_SUCCESS")));
    assertEquals(11, new PreparedOutput(run.toString()).report().get("rows_read").asLong());
  }

  @Test
  void commandFailureExitsOneNamingPath() throws Exception {
    Path missing = directory.resolve("absent.txt");
    Path file = directory.resolve("job.yaml");
    Files.writeString(file, "output: " + directory.resolve("run") + "\ndata:\n"
        + "  format: kdd2012\n  path: " + missing + "\n");
    // Start the shared session first, so the command reuses it (local, 127.0.0.1, no UI).
    SharedSpark.get();
    java.io.PrintStream originalErr = System.err;
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int code;
    try {
      System.setErr(new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
      code = io.shaver.cli.ShaverCli.execute("prepare", "--config", file.toString());
    } finally {
      System.setErr(originalErr);
    }

    assertEquals(io.shaver.cli.ShaverCli.EXIT_FAILED, code);
    String output = err.toString(StandardCharsets.UTF_8);
    assertTrue(output.contains("stage 'prepare' failed: Input path not found: " + missing),
        output);
  }
}
