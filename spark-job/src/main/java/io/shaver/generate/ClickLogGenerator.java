package io.shaver.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.shaver.ShaverVersion;
import io.shaver.output.AtomicDirectory;
import io.shaver.output.SerializableHadoopConf;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes synthetic Criteo-format click logs drawn from {@link ClickModel}, on Spark.
 *
 * <p>The output is a directory of {@code part-NNNNN.txt} (or {@code .txt.gz}) files, file i
 * holding rows {@code floor(i * rows / files)} up to the next file's first row, plus
 * {@code _generator.json} (the model, its weights and the expected positive rate) and
 * {@code _SUCCESS}. Readers skip names starting with '_'. The directory is published
 * atomically. For a given seed, row count and file count, the bytes are always the same (gzip
 * headers carry no timestamp).
 */
public final class ClickLogGenerator {

  public static final String MODEL_FILE = "_generator.json";
  public static final long DEFAULT_ROWS_PER_FILE = 1_000_000;

  private static final Logger LOG = LoggerFactory.getLogger(ClickLogGenerator.class);

  private ClickLogGenerator() {
  }

  /** Returns the default number of files for {@code rows}: one per million rows, at least one. */
  public static int defaultFiles(long rows) {
    return (int) Math.max(1, (rows + DEFAULT_ROWS_PER_FILE - 1) / DEFAULT_ROWS_PER_FILE);
  }

  /**
   * Generates {@code rows} rows into the directory {@code output}, replacing an earlier one.
   *
   * @return the rows written
   */
  public static long generate(SparkSession spark, long rows, String output, long seed,
      boolean gzip, int files) {
    if (rows < 1) {
      throw new IllegalArgumentException("rows must be at least 1, got " + rows);
    }
    if (files < 1 || files > rows) {
      throw new IllegalArgumentException("files must be in [1, rows], got " + files);
    }
    long start = System.nanoTime();
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    ClickModel model = new ClickModel();
    LOG.info("Generate started: {} rows in {} file(s), seed {}, output {}", rows, files, seed,
        output);
    try (AtomicDirectory directory = AtomicDirectory.begin(new Path(output), hadoopConf)) {
      String staging = directory.staging().toString();
      SerializableHadoopConf taskConf = new SerializableHadoopConf(hadoopConf);
      List<Integer> indexes = new ArrayList<>();
      for (int i = 0; i < files; i++) {
        indexes.add(i);
      }
      JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
      long written = context.parallelize(indexes, files)
          .map(file -> writeFile(model, seed, rows, files, file, gzip, new Path(staging),
              taskConf.get()))
          .reduce(Long::sum);
      writeModel(model, rows, seed, files, new Path(directory.staging(), MODEL_FILE),
          hadoopConf);
      directory.commit();
      double seconds = (System.nanoTime() - start) / 1e9;
      LOG.info(String.format(Locale.ROOT, "Generate finished in %.1f s: %d rows (%.0f rows/s),"
          + " output %s", seconds, written, written / seconds, directory.target()));
      return written;
    }
  }

  private static long writeFile(ClickModel model, long seed, long rows, int files, int file,
      boolean gzip, Path directory, Configuration hadoopConf) throws IOException {
    long first = firstRow(rows, files, file);
    long end = firstRow(rows, files, file + 1);
    String name = String.format(Locale.ROOT, "part-%05d.txt%s", file, gzip ? ".gz" : "");
    Path attempt = new Path(directory, "_" + name + ".attempt-" + System.nanoTime());
    FileSystem fileSystem = attempt.getFileSystem(hadoopConf);
    try (OutputStream raw = fileSystem.create(attempt, true);
        OutputStream out = gzip ? new GZIPOutputStream(raw, 1 << 16) : raw;
        BufferedWriter writer = new BufferedWriter(
            new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16)) {
      for (long index = first; index < end; index++) {
        writer.write(model.line(seed, index));
        writer.write('\n');
      }
    }
    Path target = new Path(directory, name);
    fileSystem.delete(target, false);
    if (!fileSystem.rename(attempt, target)) {
      throw new IOException("rename of " + attempt + " to " + target + " returned false");
    }
    return end - first;
  }

  /** Returns floor(rows * file / files) without overflow. */
  static long firstRow(long rows, int files, int file) {
    return rows / files * file + rows % files * file / files;
  }

  private static void writeModel(ClickModel model, long rows, long seed, int files, Path target,
      Configuration hadoopConf) {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("generator", "shaver-spark " + ShaverVersion.version());
    document.put("format", "criteo");
    document.put("rows", rows);
    document.put("seed", seed);
    document.put("files", files);
    document.put("model", model.describe());
    try {
      FileSystem fileSystem = target.getFileSystem(hadoopConf);
      try (OutputStream out = fileSystem.create(target, true)) {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out, document);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to write " + target + ": " + e.getMessage(), e);
    }
  }
}
