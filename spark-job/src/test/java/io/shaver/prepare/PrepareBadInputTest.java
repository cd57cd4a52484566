package io.shaver.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.shaver.cli.ShaverCli;
import io.shaver.config.JobConfig;
import io.shaver.config.JobConfigLoader;
import io.shaver.data.InputDataException;
import io.shaver.output.AtomicDirectory;
import io.shaver.testing.SharedSpark;
import io.shaver.testing.TestData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A corpus of broken inputs built in a temporary directory, and the documented outcomes. */
class PrepareBadInputTest {

  private static List<String> good;

  @TempDir
  Path directory;

  @BeforeAll
  static void readSample() throws IOException {
    good = RawCounts.lines(TestData.criteoTrain10k()).subList(0, 1_000).stream()
        .map(RawCounts.Line::text).toList();
  }

  private static JobConfig config(Path output, Path input, String extra) {
    return JobConfigLoader.parse("output: " + output + "\nseed: 3\ndata:\n  format: criteo\n"
        + "  path: " + input + "\n  min_count: 2\n" + extra, List.of());
  }

  private static PrepareResult run(JobConfig config) {
    return PrepareStage.run(SharedSpark.get(), config);
  }

  /** Good lines with three malformed ones at lines 501, 702 and 903. */
  private static List<String> withBadLines() {
    List<String> lines = new ArrayList<>(good);
    lines.add(500, "0\t1\t2");
    String[] columns = good.get(0).split("\t", -1);
    columns[0] = "yes";
    lines.add(701, String.join("\t", columns));
    columns = good.get(1).split("\t", -1);
    columns[5] = "12abc";
    lines.add(902, String.join("\t", columns));
    return lines;
  }

  private static Path write(Path file, List<String> lines, String lineEnd) throws IOException {
    Files.writeString(file, String.join(lineEnd, lines) + lineEnd, StandardCharsets.UTF_8);
    return file;
  }

  /** Sorted "label ids" strings of all splits: the encoded content, independent of row keys. */
  private static List<String> encodedContent(Path run) {
    PreparedOutput prepared = new PreparedOutput(run.toString());
    List<String> content = new ArrayList<>();
    for (String split : List.of("train", "val", "test")) {
      for (Row row : prepared.split(split)) {
        content.add(row.getInt(0) + " " + row.getList(1));
      }
    }
    content.sort(null);
    return content;
  }

  private static void assertNothingPublished(Path run) throws IOException {
    assertFalse(Files.exists(run.resolve("prepared")), "prepared/ must not exist");
    if (Files.exists(run)) {
      try (Stream<Path> children = Files.list(run)) {
        List<String> names = children.map(p -> p.getFileName().toString()).toList();
        assertTrue(names.stream().noneMatch(name -> name.contains("staging")),
            "staging left behind: " + names);
      }
    }
  }

  @Test
  void malformedRowsWithinBudgetSkipped() throws Exception {
    Path input = write(directory.resolve("bad.txt"), withBadLines(), "\n");
    Path run = directory.resolve("within");

    PrepareResult result = run(config(run, input, "  error_budget: 0.01\n"));

    assertEquals(1_003, result.rowsRead());
    assertEquals(3, result.rowsRejected());
    JsonNode report = new PreparedOutput(run.toString()).report();
    JsonNode reasons = report.get("rows_rejected_by_reason");
    assertEquals(1, reasons.get("wrong_column_count").asLong());
    assertEquals(1, reasons.get("invalid_label").asLong());
    assertEquals(1, reasons.get("invalid_integer").asLong());
    assertEquals(0, reasons.get("invalid_id").asLong());
    assertEquals(1_000, report.get("rows_valid").asLong());
    assertEquals(1_000, result.trainRows() + result.valRows() + result.testRows());
  }

  @Test
  void malformedRowsPastBudgetFailWithLines() throws Exception {
    Path input = write(directory.resolve("bad.txt"), withBadLines(), "\n");
    Path run = directory.resolve("past");

    InputDataException error = assertThrows(InputDataException.class,
        () -> run(config(run, input, "  error_budget: 0.001\n")));

    String message = error.getMessage();
    assertTrue(message.contains("3 of 1003 rows"), message);
    assertTrue(message.contains("bad.txt line 501 (wrong_column_count: expected 40 columns,"
        + " got 3)"), message);
    assertTrue(message.contains("bad.txt line 702 (invalid_label"), message);
    assertTrue(message.contains("'yes'"), message);
    assertTrue(message.contains("bad.txt line 903 (invalid_integer: integer column 'I5' is"
        + " '12abc'"), message);
    assertTrue(message.indexOf("line 501") < message.indexOf("line 702"), message);
    assertNothingPublished(run);
  }

  @Test
  void crlfBomAndEmptyLinesHandled() throws Exception {
    Path plain = write(directory.resolve("plain.txt"), good, "\n");
    List<String> messy = new ArrayList<>(good);
    messy.set(0, "\uFEFF" + messy.get(0));
    messy.add(10, "");
    messy.add(20, "");
    messy.add("");
    Path windows = write(directory.resolve("windows.txt"), messy, "\r\n");
    Path plainRun = directory.resolve("plain");
    Path windowsRun = directory.resolve("windows");

    run(config(plainRun, plain, ""));
    PrepareResult result = run(config(windowsRun, windows, "  error_budget: 0\n"));

    assertEquals(1_000, result.rowsRead());
    assertEquals(0, result.rowsRejected());
    JsonNode report = new PreparedOutput(windowsRun.toString()).report();
    assertEquals(3, report.get("empty_lines").asLong());
    assertEquals(1_003, report.get("lines_read").asLong());
    assertEquals(encodedContent(plainRun), encodedContent(windowsRun));
  }

  @Test
  void gzipMatchesPlainText() throws Exception {
    Path plain = write(directory.resolve("plain.txt"), good, "\n");
    Path gzip = directory.resolve("data.txt.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzip))) {
      out.write(Files.readAllBytes(plain));
    }
    Path plainRun = directory.resolve("plain");
    Path gzipRun = directory.resolve("gzip");

    run(config(plainRun, plain, ""));
    PrepareResult result = run(config(gzipRun, gzip, ""));

    assertEquals(1_000, result.rowsRead());
    assertEquals(encodedContent(plainRun), encodedContent(gzipRun));
    assertEquals(new PreparedOutput(plainRun.toString()).split("train").size(),
        new PreparedOutput(gzipRun.toString()).split("train").size(),
        "uncompressed offsets equal plain offsets, so the splits agree");
  }

  @Test
  void bzip2WithSmallSplitsMatchesPlainText() throws Exception {
    // 10,000 lines (2.4 MB) span three bzip2 blocks of 900 kB, so small splits cut blocks.
    List<String> all = RawCounts.lines(TestData.criteoTrain10k()).stream()
        .map(RawCounts.Line::text).toList();
    Path plain = write(directory.resolve("plain.txt"), all, "\n");
    Path bzip2 = directory.resolve("data.txt.bz2");
    org.apache.hadoop.io.compress.BZip2Codec codec = new org.apache.hadoop.io.compress.BZip2Codec();
    codec.setConf(new org.apache.hadoop.conf.Configuration());
    try (OutputStream out = codec.createOutputStream(Files.newOutputStream(bzip2))) {
      out.write(Files.readAllBytes(plain));
    }
    Path plainRun = directory.resolve("plain");
    Path bzip2Run = directory.resolve("bzip2");
    org.apache.hadoop.conf.Configuration hadoopConf =
        SharedSpark.get().sparkContext().hadoopConfiguration();

    run(config(plainRun, plain, ""));
    try {
      hadoopConf.setLong("mapreduce.input.fileinputformat.split.maxsize", 200_000);
      run(config(bzip2Run, bzip2, ""));
    } finally {
      hadoopConf.unset("mapreduce.input.fileinputformat.split.maxsize");
    }

    assertEquals(encodedContent(plainRun), encodedContent(bzip2Run));
    assertEquals(new PreparedOutput(plainRun.toString()).split("train").size(),
        new PreparedOutput(bzip2Run.toString()).split("train").size());
  }

  @Test
  void truncatedGzipNamesFile() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write((String.join("\n", good) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    byte[] whole = bytes.toByteArray();
    Path truncated = directory.resolve("cut.txt.gz");
    Files.write(truncated, Arrays.copyOf(whole, whole.length / 2));
    Path run = directory.resolve("truncated");

    InputDataException error = assertThrows(InputDataException.class,
        () -> run(config(run, truncated, "")));

    assertTrue(error.getMessage().contains("cut.txt.gz"), error.getMessage());
    assertTrue(error.getMessage().contains("truncated or corrupt"), error.getMessage());
    assertNothingPublished(run);
  }

  @Test
  void emptyFileIsError() throws Exception {
    Path empty = Files.createFile(directory.resolve("empty.txt"));
    Path run = directory.resolve("empty");

    InputDataException error = assertThrows(InputDataException.class,
        () -> run(config(run, empty, "")));

    assertTrue(error.getMessage().contains("no valid rows"), error.getMessage());
    assertTrue(error.getMessage().contains("empty.txt"), error.getMessage());
    assertNothingPublished(run);
  }

  @Test
  void onlyEmptyLinesIsError() throws Exception {
    Path blank = write(directory.resolve("blank.txt"), List.of("", "", ""), "\n");
    Path run = directory.resolve("blank");

    InputDataException error = assertThrows(InputDataException.class,
        () -> run(config(run, blank, "")));

    assertTrue(error.getMessage().contains("3 empty lines"), error.getMessage());
  }

  @Test
  void missingPathIsError() {
    Path missing = directory.resolve("nowhere/train.txt");
    Path run = directory.resolve("missing");

    InputDataException error = assertThrows(InputDataException.class,
        () -> run(config(run, missing, "")));

    assertTrue(error.getMessage().contains("Input path not found: " + missing),
        error.getMessage());
  }

  @Test
  void unknownConfigKeyExitsWithUsageCode() throws Exception {
    Path input = write(directory.resolve("plain.txt"), good, "\n");
    Path file = directory.resolve("job.yaml");
    Files.writeString(file, "output: " + directory.resolve("run") + "\ndata:\n  format: criteo\n"
        + "  path: " + input + "\n  min_cont: 3\n");

    int code = ShaverCli.execute("prepare", "--config", file.toString());

    assertEquals(ShaverCli.EXIT_USAGE, code);
    assertNothingPublished(directory.resolve("run"));
  }

  @Test
  void unwritableOutputIsClearError() throws Exception {
    Path input = write(directory.resolve("plain.txt"), good, "\n");
    Path blocker = Files.writeString(directory.resolve("not-a-directory"), "x");
    Path run = blocker.resolve("run");

    UncheckedIOException error = assertThrows(UncheckedIOException.class,
        () -> run(config(run, input, "")));

    assertTrue(error.getMessage().contains("Cannot create output directory next to"),
        error.getMessage());
    assertTrue(error.getMessage().contains("not-a-directory"), error.getMessage());
  }

  @Test
  void failedRunKeepsPreviousOutput() throws Exception {
    Path input = write(directory.resolve("plain.txt"), good, "\n");
    Path bad = write(directory.resolve("bad.txt"), withBadLines(), "\n");
    Path run = directory.resolve("kept");
    run(config(run, input, ""));
    String report = Files.readString(run.resolve("prepared/report.json"));

    assertThrows(InputDataException.class, () -> run(config(run, bad, "  error_budget: 0\n")));

    assertEquals(report, Files.readString(run.resolve("prepared/report.json")));
    assertTrue(AtomicDirectory.isComplete(
        new org.apache.hadoop.fs.Path(run.resolve("prepared").toString()),
        new org.apache.hadoop.conf.Configuration()));
    try (Stream<Path> children = Files.list(run)) {
      assertEquals(List.of("prepared"),
          children.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void csvHeaderMismatchNamesFile() throws Exception {
    Path inputs = Files.createDirectories(directory.resolve("csv"));
    write(inputs.resolve("a.csv"), List.of("label,x,y", "0,a,b", "1,c,d"), "\n");
    write(inputs.resolve("b.csv"), List.of("label,y,x", "0,a,b"), "\n");
    Path run = directory.resolve("csv-run");

    InputDataException error = assertThrows(InputDataException.class,
        () -> PrepareStage.run(SharedSpark.get(), JobConfigLoader.parse("output: " + run
            + "\ndata:\n  format: csv\n  path: " + inputs + "\n  categorical: [x, y]\n",
            List.of())));

    assertTrue(error.getMessage().contains("b.csv line 1 (header_mismatch"),
        error.getMessage());
    assertNothingPublished(run);
  }

  @Test
  void csvWithBomAndCrlfHeader() throws Exception {
    Path input = write(directory.resolve("bom.csv"),
        List.of("\uFEFFlabel,x,n", "0,a,5", "1,b,", "0,a,2"), "\r\n");
    Path run = directory.resolve("bom-run");

    PrepareResult result = PrepareStage.run(SharedSpark.get(), JobConfigLoader.parse("output: "
        + run + "\ndata:\n  format: csv\n  path: " + input + "\n  categorical: [x]\n"
        + "  integer: [n]\n  error_budget: 0\n", List.of()));

    assertEquals(3, result.rowsRead());
    assertEquals(0, result.rowsRejected());
    List<Row> vocabulary = new PreparedOutput(run.toString()).vocabulary();
    List<String> tokens = vocabulary.stream().map(row -> (String) row.get(4)).toList();
    // n: 5 -> floor(ln(5)^2) = 2, empty -> NULL, 2 -> "0"; integer fields come first.
    assertEquals(Arrays.asList("0", "2", "NULL", null, "a", "b", null), tokens);
  }
}
