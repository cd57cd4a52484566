package io.shaver.output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Writes job outputs as Parquet with provenance in every file's key-value metadata.
 *
 * <p>Spark's own Parquet writer cannot add footer metadata, so each partition is written by
 * parquet-java from inside its task, as {@code part-NNNNN.parquet} (NNNNN = partition index).
 * The directory is published atomically through {@link AtomicDirectory}. Row counts come back
 * through the job result, not accumulators, so a retried task is not counted twice. The same
 * rows in the same partitions give byte-identical files.
 */
public final class ParquetTables {

  private static final CompressionCodecName CODEC = CompressionCodecName.SNAPPY;

  private ParquetTables() {
  }

  /**
   * Writes a Dataset to {@code target}, replacing any previous output there only on success.
   *
   * @return the number of rows written
   */
  public static long write(Dataset<Row> rows, Path target, Provenance provenance) {
    Configuration hadoopConf = rows.sparkSession().sparkContext().hadoopConfiguration();
    StructType schema = rows.schema();
    try (AtomicDirectory directory = AtomicDirectory.begin(target, hadoopConf)) {
      SerializableHadoopConf taskConf = new SerializableHadoopConf(hadoopConf);
      String staging = directory.staging().toString();
      Map<String, String> metadata = provenance.asMap();

      MapPartitionsFunction<Row, Long> writePartition = partition -> {
        TaskContext task = TaskContext.get();
        int index = task == null ? 0 : task.partitionId();
        long written = writePart(partition, schema, new Path(staging), index, metadata,
            taskConf.get());
        return List.of(written).iterator();
      };
      List<Long> counts = rows.mapPartitions(writePartition, Encoders.LONG()).collectAsList();

      directory.commit();
      return counts.stream().mapToLong(Long::longValue).sum();
    }
  }

  /** Writes rows held by the driver to {@code target} as one file, atomically. */
  public static long writeLocal(List<Row> rows, StructType schema, Path target,
      Provenance provenance, Configuration hadoopConf) {
    try (AtomicDirectory directory = AtomicDirectory.begin(target, hadoopConf)) {
      long written = writePart(rows.iterator(), schema, directory.staging(), 0,
          provenance.asMap(), hadoopConf);
      directory.commit();
      return written;
    }
  }

  /** Returns the key-value metadata of the first part file under {@code directory}. */
  public static Map<String, String> readMetadata(Path directory, Configuration hadoopConf) {
    try {
      FileSystem fileSystem = directory.getFileSystem(hadoopConf);
      for (FileStatus status : fileSystem.listStatus(directory)) {
        if (status.getPath().getName().endsWith(".parquet")) {
          try (ParquetFileReader reader = ParquetFileReader.open(
              HadoopInputFile.fromPath(status.getPath(), hadoopConf))) {
            return reader.getFooter().getFileMetaData().getKeyValueMetaData();
          }
        }
      }
      throw new IOException("no .parquet file in " + directory);
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to read Parquet metadata: " + e.getMessage(), e);
    }
  }

  private static long writePart(Iterator<Row> rows, StructType schema, Path directory, int index,
      Map<String, String> metadata, Configuration hadoopConf) throws UncheckedIOException {
    MessageType parquetSchema = ParquetSchemas.toParquet(schema);
    SimpleGroupFactory groups = new SimpleGroupFactory(parquetSchema);
    String name = String.format("part-%05d.parquet", index);
    Path attempt = new Path(directory, "_" + name + ".attempt-" + System.nanoTime());
    long written = 0;
    try {
      try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(attempt)
          .withConf(hadoopConf)
          .withType(parquetSchema)
          .withExtraMetaData(metadata)
          .withCompressionCodec(CODEC)
          .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
          .build()) {
        while (rows.hasNext()) {
          writer.write(toGroup(rows.next(), schema, groups));
          written++;
        }
      }
      FileSystem fileSystem = attempt.getFileSystem(hadoopConf);
      Path finalPath = new Path(directory, name);
      fileSystem.delete(finalPath, false);
      if (!fileSystem.rename(attempt, finalPath)) {
        throw new IOException("rename to " + finalPath + " returned false");
      }
      return written;
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to write " + name + " in " + directory + ": "
          + e.getMessage(), e);
    }
  }

  private static Group toGroup(Row row, StructType schema, SimpleGroupFactory groups) {
    Group group = groups.newGroup();
    StructField[] fields = schema.fields();
    for (int i = 0; i < fields.length; i++) {
      if (row.isNullAt(i)) {
        continue;
      }
      String name = fields[i].name();
      DataType type = fields[i].dataType();
      if (type instanceof ArrayType array) {
        Group list = group.addGroup(name);
        for (Object value : elements(row.get(i))) {
          append(list.addGroup("list"), "element", array.elementType(), value);
        }
      } else {
        append(group, name, type, row.get(i));
      }
    }
    return group;
  }

  private static Iterable<?> elements(Object array) {
    if (array instanceof Iterable<?> iterable) {
      return iterable;
    }
    return scala.jdk.javaapi.CollectionConverters.asJava((scala.collection.Seq<?>) array);
  }

  private static void append(Group group, String name, DataType type, Object value) {
    if (type.equals(DataTypes.IntegerType)) {
      group.append(name, ((Number) value).intValue());
    } else if (type.equals(DataTypes.LongType)) {
      group.append(name, ((Number) value).longValue());
    } else if (type.equals(DataTypes.FloatType)) {
      group.append(name, ((Number) value).floatValue());
    } else if (type.equals(DataTypes.DoubleType)) {
      group.append(name, ((Number) value).doubleValue());
    } else if (type.equals(DataTypes.BooleanType)) {
      group.append(name, (Boolean) value);
    } else {
      group.append(name, value.toString());
    }
  }

  /** Lists the part files of an output directory in name order. */
  public static List<Path> partFiles(Path directory, Configuration hadoopConf) {
    try {
      FileSystem fileSystem = directory.getFileSystem(hadoopConf);
      List<Path> parts = new ArrayList<>();
      for (FileStatus status : fileSystem.listStatus(directory)) {
        if (status.getPath().getName().startsWith("part-")) {
          parts.add(status.getPath());
        }
      }
      parts.sort(null);
      return parts;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + directory + ": " + e.getMessage(), e);
    }
  }
}
