package io.shaver.spark;

import io.shaver.output.AtomicDirectory;
import io.shaver.output.ParquetTables;
import io.shaver.output.Provenance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running totals after each whole pass, under {@code checkpoints/pass-N/}: Parquet rows
 * (parameter, sum, sum_of_squares, occurrences) of every touched parameter, in ascending
 * parameter order across part files, with {@link CheckpointInfo} and provenance in the footer.
 *
 * <p>Every pass after the first reads the previous pass's totals back from its checkpoint,
 * whether the run is resumed or not. A resumed run therefore repeats the computation of an
 * uninterrupted one, and the lineage of a pass never reaches back to earlier passes. A
 * checkpoint appears complete or not at all ({@link AtomicDirectory}), so a driver killed
 * while writing one leaves the previous checkpoint as the latest.
 */
final class Checkpoints {

  static final String DIRECTORY = "checkpoints";

  static final StructType SCHEMA = new StructType()
      .add("parameter", DataTypes.LongType, false)
      .add("sum", DataTypes.DoubleType, false)
      .add("sum_of_squares", DataTypes.DoubleType, false)
      .add("occurrences", DataTypes.LongType, false);

  private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
  private static final Pattern NAME = Pattern.compile("pass-(\\d+)");

  private final SparkSession spark;
  private final Path directory;
  private final Configuration hadoopConf;

  Checkpoints(SparkSession spark, Path run) {
    this(spark, run, DIRECTORY);
  }

  /** Creates checkpoints under {@code run/name}, e.g. checkpoints-zero for the zero baseline. */
  Checkpoints(SparkSession spark, Path run, String name) {
    this.spark = spark;
    this.directory = new Path(run, name);
    this.hadoopConf = spark.sparkContext().hadoopConfiguration();
  }

  /** Returns the directory of the checkpoint after {@code pass} whole passes. */
  Path path(int pass) {
    return new Path(directory, "pass-" + pass);
  }

  /** Deletes every checkpoint, so that a fresh run cannot be resumed from an older one. */
  void reset() {
    try {
      FileSystem fileSystem = directory.getFileSystem(hadoopConf);
      if (fileSystem.exists(directory)) {
        LOG.info("Deleting the checkpoints of an earlier run in {}", directory);
        fileSystem.delete(directory, true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + directory + ": " + e.getMessage(), e);
    }
  }

  /** Returns the complete checkpoint with the most passes, if any. */
  Optional<CheckpointInfo> latest() {
    try {
      FileSystem fileSystem = directory.getFileSystem(hadoopConf);
      if (!fileSystem.exists(directory)) {
        return Optional.empty();
      }
      int best = -1;
      for (FileStatus status : fileSystem.listStatus(directory)) {
        Matcher matcher = NAME.matcher(status.getPath().getName());
        if (status.isDirectory() && matcher.matches()
            && AtomicDirectory.isComplete(status.getPath(), hadoopConf)) {
          best = Math.max(best, Integer.parseInt(matcher.group(1)));
        }
      }
      if (best < 0) {
        return Optional.empty();
      }
      Path path = path(best);
      return Optional.of(CheckpointInfo.fromMetadata(
          ParquetTables.readMetadata(path, hadoopConf), path.toString()));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + directory + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes the parameter blocks of {@code totals} as checkpoint {@code info.pass()}, replacing
   * any older one of that pass. The totals must be partitioned by {@link BlockPartitioner}
   * and sorted by block within each partition.
   */
  void write(CheckpointInfo info, JavaPairRDD<Integer, PassRecord> totals, long blockSize,
      Provenance provenance) {
    JavaRDD<Row> rows = totals.values()
        .filter(record -> record instanceof ParameterBlock)
        .flatMap(record -> rowsOf((ParameterBlock) record, blockSize).iterator());
    Dataset<Row> frame = spark.createDataFrame(rows, SCHEMA);
    Provenance metadata = provenance
        .with(CheckpointInfo.PASS, info.pass())
        .with(CheckpointInfo.SAMPLES, info.samples())
        .with(CheckpointInfo.EVALUATIONS, info.evaluations())
        .with(CheckpointInfo.ROWS_PER_PASS, info.rowsPerPass())
        .with(CheckpointInfo.COMPATIBILITY, info.compatibility());
    long written = ParquetTables.write(frame, path(info.pass()), metadata);
    LOG.info("Wrote checkpoint {}: {} touched parameters", path(info.pass()), written);
  }

  /**
   * Reads checkpoint {@code pass} as parameter blocks keyed by block index. A block may come
   * back as several records when Spark splits a part file; aggregation combines them.
   */
  JavaPairRDD<Integer, PassRecord> readBlocks(int pass, long parameters, long blockSize) {
    JavaRDD<Row> rows = spark.read().schema(SCHEMA).parquet(path(pass).toString()).javaRDD();
    return rows.mapPartitionsToPair(part -> ParameterBlock.collect(visitor -> {
      while (part.hasNext()) {
        Row row = part.next();
        visitor.visit(row.getLong(0), row.getDouble(1), row.getDouble(2), row.getLong(3));
      }
    }, parameters, blockSize).iterator());
  }

  private static List<Row> rowsOf(ParameterBlock block, long blockSize) {
    List<Row> rows = new ArrayList<>();
    block.forEach(blockSize, (parameter, sum, sumOfSquares, occurrences) ->
        rows.add(RowFactory.create(parameter, sum, sumOfSquares, occurrences)));
    return rows;
  }
}
