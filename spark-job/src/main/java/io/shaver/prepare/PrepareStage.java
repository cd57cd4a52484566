package io.shaver.prepare;

import static org.apache.spark.sql.functions.col;

import io.shaver.config.DataSettings;
import io.shaver.config.JobConfig;
import io.shaver.config.SourceFormat;
import io.shaver.data.DataSplit;
import io.shaver.data.EncodedRow;
import io.shaver.data.EncodedVocabulary;
import io.shaver.data.InputDataException;
import io.shaver.data.InputFiles;
import io.shaver.data.InputQuality;
import io.shaver.data.PreparedTables;
import io.shaver.data.SourceReader;
import io.shaver.data.SplitTally;
import io.shaver.data.TokenEncoder;
import io.shaver.data.Vocabulary;
import io.shaver.data.VocabularyBuilder;
import io.shaver.data.VocabularyTable;
import io.shaver.output.AtomicDirectory;
import io.shaver.output.Provenance;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The prepare stage: raw click logs (or pre-encoded ids) in, {@code prepared/} out.
 *
 * <p>Steps: resolve the input files; parse every line into a row key, split, label and tokens;
 * count rows by status and enforce the error budget; build the per-field vocabularies; encode
 * tokens to global ids; write {@code fields}, {@code vocabulary}, {@code train}, {@code val},
 * {@code test} and {@code report.json}. Everything is written into a staging directory that is
 * renamed to {@code OUTPUT/prepared} only when all of it succeeded, with a {@code _SUCCESS}
 * marker; a failed run leaves any earlier {@code prepared/} as it was and no new partial one.
 * A run killed before it can clean up leaves a hidden {@code .prepared.staging-*} directory
 * without a marker.
 */
public final class PrepareStage {

  public static final String STAGE = "prepare";

  private static final Logger LOG = LoggerFactory.getLogger(PrepareStage.class);

  private PrepareStage() {
  }

  /**
   * Runs the stage.
   *
   * @throws InputDataException for unusable input: missing or empty files, a truncated file,
   *     too many malformed rows, ids out of range; the message names the file
   * @throws java.io.UncheckedIOException when the output directory cannot be written
   */
  public static PrepareResult run(SparkSession spark, JobConfig config) {
    long start = System.nanoTime();
    DataSettings settings = config.data();
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    InputFiles files = InputFiles.resolve(settings.paths(), hadoopConf);
    Path target = new Path(config.output(), PreparedTables.DIRECTORY);
    LOG.info("Prepare started: {} input file(s), {} bytes, format {}, output {}", files.size(),
        files.totalBytes(), settings.format().configName(), target);

    try (AtomicDirectory directory = AtomicDirectory.begin(target, hadoopConf)) {
      Counts counts = prepareInto(spark, config, files, directory.staging());
      directory.commit();
      double seconds = (System.nanoTime() - start) / 1e9;
      PrepareResult result = new PrepareResult(directory.target().toString(), counts.rowsRead,
          counts.rejected, counts.tally.rows(DataSplit.TRAIN), counts.tally.rows(DataSplit.VAL),
          counts.tally.rows(DataSplit.TEST), counts.embeddingRows, seconds);
      logFinished(result);
      return result;
    } catch (Exception e) {
      throw translate(e);
    }
  }

  private record Counts(long rowsRead, long rejected, SplitTally tally, long embeddingRows) {
  }

  private static Counts prepareInto(SparkSession spark, JobConfig config, InputFiles files,
      Path staging) {
    DataSettings settings = config.data();
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    SourceReader.ParsedInput input = SourceReader.read(spark, settings, config.seed(), files);
    Dataset<Row> parsed = input.rows().persist(StorageLevel.MEMORY_AND_DISK());
    JavaRDD<EncodedRow> encoded = null;
    try {
      InputQuality quality = InputQuality.count(parsed);
      quality.check(parsed, settings.errorBudget(), context, files, input.text());
      LOG.info("Parsed {} rows: {} valid, {} rejected, {} empty lines", quality.rowsRead(),
          quality.valid(), quality.rejected(),
          quality.count(io.shaver.data.RowStatus.EMPTY_LINE));

      Dataset<Row> valid = parsed.where(col("status").isNull());
      VocabularyTable vocabulary;
      long[] distinctTokens = null;
      if (settings.format() == SourceFormat.ENCODED) {
        vocabulary = EncodedVocabulary.build(spark, valid, input.fields(),
            settings.fieldSizes(), settings.vocabulary());
        encoded = TokenEncoder.fromIds(valid);
      } else {
        Vocabulary tokens = VocabularyBuilder.build(valid, input.fields(), settings.minCount(),
            settings.vocabularySplits());
        distinctTokens = new long[tokens.fieldCount()];
        for (int f = 0; f < distinctTokens.length; f++) {
          distinctTokens[f] = tokens.distinctTokens(f);
        }
        vocabulary = tokens;
        encoded = TokenEncoder.encodeTokens(valid, tokens);
      }
      encoded.persist(StorageLevel.MEMORY_AND_DISK());
      SplitTally tally = SplitTally.of(encoded, vocabulary.oovGlobalIds());
      parsed.unpersist();

      Provenance provenance = Provenance.of(STAGE, config.effectiveYaml(), config.seed())
          .with("rows_read", quality.rowsRead())
          .with("rows_rejected", quality.rejected())
          .with("embedding_rows", vocabulary.totalSize());
      writeTables(spark, settings, vocabulary, encoded, tally, staging, provenance);
      PrepareReport.write(PrepareReport.build(provenance, settings, files, quality, tally,
          vocabulary, distinctTokens), new Path(staging, PreparedTables.REPORT), hadoopConf);
      return new Counts(quality.rowsRead(), quality.rejected(), tally, vocabulary.totalSize());
    } finally {
      parsed.unpersist();
      if (encoded != null) {
        encoded.unpersist();
      }
    }
  }

  private static void writeTables(SparkSession spark, DataSettings settings,
      VocabularyTable vocabulary, JavaRDD<EncodedRow> encoded, SplitTally tally, Path staging,
      Provenance provenance) {
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    PreparedTables.writeFields(vocabulary, new Path(staging, PreparedTables.FIELDS),
        provenance, hadoopConf);
    PreparedTables.writeVocabulary(vocabulary, new Path(staging, PreparedTables.VOCABULARY),
        provenance, hadoopConf);
    for (DataSplit split : DataSplit.values()) {
      int index = split.ordinal();
      JavaRDD<EncodedRow> rows = encoded.filter(row -> row.split() == index);
      long written = PreparedTables.writeSplit(spark, rows, tally.rows(split),
          settings.rowsPerFile(), new Path(staging, PreparedTables.splitDirectory(split)),
          provenance.with("split", split.code()).with("rows", tally.rows(split)));
      LOG.info("Wrote {} rows to {}", written, split.code());
    }
  }

  private static void logFinished(PrepareResult result) {
    LOG.info(String.format(Locale.ROOT, "Prepare finished in %.1f s: %d rows read (%.0f rows/s),"
            + " %d rejected; train %d, val %d, test %d; %d embedding rows; output %s",
        result.seconds(), result.rowsRead(), result.rowsRead() / Math.max(result.seconds(), 1e-9),
        result.rowsRejected(), result.trainRows(), result.valRows(), result.testRows(),
        result.embeddingRows(), result.directory()));
  }

  /** Surfaces an input problem raised inside a Spark task as the cause of the failure. */
  private static RuntimeException translate(Exception error) {
    InputDataException input = InputDataException.findIn(error);
    if (input != null) {
      return input == error ? input : new InputDataException(input.getMessage(), error);
    }
    if (error instanceof RuntimeException runtime) {
      return runtime;
    }
    return new IllegalStateException(error.getMessage(), error);
  }
}
