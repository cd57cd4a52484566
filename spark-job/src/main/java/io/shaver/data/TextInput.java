package io.shaver.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.spark.api.java.JavaNewHadoopRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * Reads text input with Hadoop's {@link TextInputFormat}, which gives each line's byte offset
 * (the row key's position) and decompresses by file extension (gzip, bzip2, ...).
 *
 * <p>Plain files are split into one partition per Hadoop input split (by block size, or by
 * {@code mapreduce.input.fileinputformat.split.maxsize} in the Hadoop configuration). A
 * compressed file is always one partition, bzip2 included although Hadoop could split it,
 * because offsets within a split of a bzip2 file depend on where the split starts. A read
 * error, such as a truncated gzip file, fails the task with an {@link InputDataException} that
 * names the file.
 */
final class TextInput {

  private TextInput() {
  }

  /** Parses every line of {@code files} into {@link ParsedRows} rows. */
  static JavaRDD<Row> read(JavaSparkContext context, InputFiles files, TextLineParser parser) {
    Map<String, Integer> indexes = new HashMap<>();
    List<Path> paths = files.paths();
    for (int i = 0; i < paths.size(); i++) {
      indexes.put(paths.get(i).toString(), i);
    }
    JavaNewHadoopRDD<LongWritable, Text> lines = openLines(context, paths);
    return lines.mapPartitionsWithInputSplit((split, records) -> {
      Path file = ((FileSplit) split).getPath();
      Integer index = indexes.get(file.toString());
      if (index == null) {
        throw new IllegalStateException("Input split of unknown file " + file);
      }
      return new ParsingIterator(records, index, file.toString(), parser);
    }, true);
  }

  /** Returns the lines of {@code paths} keyed by byte offset. */
  @SuppressWarnings("unchecked")
  static JavaNewHadoopRDD<LongWritable, Text> openLines(JavaSparkContext context,
      List<Path> paths) {
    try {
      Job job = Job.getInstance(new Configuration(context.hadoopConfiguration()));
      FileInputFormat.setInputPaths(job, paths.toArray(new Path[0]));
      return (JavaNewHadoopRDD<LongWritable, Text>) context.newAPIHadoopRDD(
          job.getConfiguration(), WholeCompressedFiles.class, LongWritable.class, Text.class);
    } catch (IOException e) {
      throw new InputDataException("Cannot open input files: " + e.getMessage(), e);
    }
  }

  /**
   * Reads the first line of a file on the driver (decompressing by extension), with a byte
   * order mark and carriage return removed.
   *
   * @return the line, or null when the file is empty
   */
  static String firstLine(Path file, Configuration hadoopConf) {
    try {
      FileSystem fileSystem = file.getFileSystem(hadoopConf);
      CompressionCodec codec = new CompressionCodecFactory(hadoopConf).getCodec(file);
      try (InputStream raw = fileSystem.open(file);
          InputStream in = codec == null ? raw : codec.createInputStream(raw);
          BufferedReader reader = new BufferedReader(
              new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line = reader.readLine();
        return line == null ? null : TextLineParser.clean(line, 0);
      }
    } catch (IOException e) {
      throw new InputDataException("Failed to read the header of " + file + ": "
          + e.getMessage(), e);
    }
  }

  /** Text input that never splits a compressed file, so line offsets are uncompressed offsets. */
  public static final class WholeCompressedFiles extends TextInputFormat {
    @Override
    protected boolean isSplitable(JobContext context, Path file) {
      CompressionCodec codec = new CompressionCodecFactory(context.getConfiguration())
          .getCodec(file);
      return codec == null && super.isSplitable(context, file);
    }
  }

  /** Parses lines one by one and names the file in any read error. */
  private static final class ParsingIterator implements Iterator<Row> {
    private final Iterator<Tuple2<LongWritable, Text>> records;
    private final int fileIndex;
    private final String file;
    private final TextLineParser parser;

    ParsingIterator(Iterator<Tuple2<LongWritable, Text>> records, int fileIndex, String file,
        TextLineParser parser) {
      this.records = records;
      this.fileIndex = fileIndex;
      this.file = file;
      this.parser = parser;
    }

    @Override
    public boolean hasNext() {
      try {
        return records.hasNext();
      } catch (Exception e) {
        throw readFailure(e);
      }
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Tuple2<LongWritable, Text> record;
      try {
        record = records.next();
      } catch (Exception e) {
        throw readFailure(e);
      }
      long offset = record._1().get();
      if (offset > RowKeys.MAX_POSITION) {
        throw new InputDataException("File " + file + " is larger than 2^40 bytes"
            + " uncompressed; split it into smaller files.");
      }
      return parser.parse(fileIndex, offset, record._2().toString());
    }

    private InputDataException readFailure(Exception e) {
      return new InputDataException("Failed to read input file " + file + ": " + e
          + ". The file may be truncated or corrupt (for a .gz file, check that it was copied"
          + " completely, for example with 'gzip -t').", e);
    }
  }
}
