package io.shaver.data;

import io.shaver.output.ParquetTables;
import io.shaver.output.Provenance;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * Layout and writers of the prepare stage's output directory {@code prepared/}.
 *
 * <ul>
 *   <li>{@code fields}: field, field_index, kind (categorical or integer), size (OOV slot
 *       included), offset (global id of the field's first row).
 *   <li>{@code vocabulary}: one row per embedding row, in global id order: field, field_index,
 *       local_id, global_id, token (null for the OOV slot), oov, train_val_count (occurrences
 *       in the train and val splits).
 *   <li>{@code train}, {@code val}, {@code test}: label (0 or 1), ids (one global id per field,
 *       in field order), row_key; sorted by row_key.
 *   <li>{@code report.json}: counts and rates, see {@code PrepareReport}.
 * </ul>
 *
 * <p>Each split is written as {@code ceil(rows / rows_per_file)} files (at least one, possibly
 * empty), file i holding the rows of rank i * rows_per_file and up in row key order. Row keys,
 * splits and file boundaries depend only on the input and the seed, so the same input and seed
 * give byte-identical split files for any input partitioning.
 */
public final class PreparedTables {

  public static final String DIRECTORY = "prepared";
  public static final String FIELDS = "fields";
  public static final String VOCABULARY = "vocabulary";
  public static final String REPORT = "report.json";

  public static final StructType FIELDS_SCHEMA = new StructType()
      .add("field", DataTypes.StringType, false)
      .add("field_index", DataTypes.IntegerType, false)
      .add("kind", DataTypes.StringType, false)
      .add("size", DataTypes.IntegerType, false)
      .add("offset", DataTypes.IntegerType, false);

  public static final StructType VOCABULARY_SCHEMA = new StructType()
      .add("field", DataTypes.StringType, false)
      .add("field_index", DataTypes.IntegerType, false)
      .add("local_id", DataTypes.IntegerType, false)
      .add("global_id", DataTypes.IntegerType, false)
      .add("token", DataTypes.StringType, true)
      .add("oov", DataTypes.BooleanType, false)
      .add("train_val_count", DataTypes.LongType, false);

  public static final StructType SPLIT_SCHEMA = new StructType()
      .add("label", DataTypes.IntegerType, false)
      .add("ids", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
      .add("row_key", DataTypes.LongType, false);

  private PreparedTables() {
  }

  /** Returns the directory name of a split: train, val or test. */
  public static String splitDirectory(DataSplit split) {
    return split.code();
  }

  /** Writes {@code fields} as one file. */
  public static long writeFields(VocabularyTable vocabulary, Path target, Provenance provenance,
      Configuration hadoopConf) {
    List<Row> rows = new ArrayList<>();
    for (int f = 0; f < vocabulary.fieldCount(); f++) {
      FieldSpec field = vocabulary.fields().get(f);
      rows.add(RowFactory.create(field.name(), f, field.kind().code(), vocabulary.size(f),
          vocabulary.offset(f)));
    }
    return ParquetTables.writeLocal(rows, FIELDS_SCHEMA, target, provenance, hadoopConf);
  }

  /** Writes one row per global id from the driver, generating each row when it is written. */
  public static long writeVocabulary(VocabularyTable vocabulary, Path target, Provenance provenance,
      Configuration hadoopConf) {
    int[] offsets = new int[vocabulary.fieldCount()];
    for (int f = 0; f < offsets.length; f++) {
      offsets[f] = vocabulary.offset(f);
    }
    List<Row> rows = new AbstractList<>() {
      @Override
      public Row get(int globalId) {
        // Offsets strictly increase because every field has at least its OOV row.
        int found = Arrays.binarySearch(offsets, globalId);
        int field = found >= 0 ? found : -found - 2;
        int localId = globalId - offsets[field];
        return RowFactory.create(vocabulary.fields().get(field).name(), field, localId,
            globalId, vocabulary.tokenOrNull(field, localId),
            localId == vocabulary.oovLocalId(field), vocabulary.trainValCount(field, localId));
      }

      @Override
      public int size() {
        return vocabulary.totalSize();
      }
    };
    return ParquetTables.writeLocal(rows, VOCABULARY_SCHEMA, target, provenance, hadoopConf);
  }

  /**
   * Writes one split, sorted by row key, in files of {@code rowsPerFile} rows.
   *
   * <p>The row keys at ranks rowsPerFile, 2 * rowsPerFile, ... are found first by sorting the
   * keys alone (skipped for a single file). Then the rows move once, to the file whose key
   * range contains them, and are sorted within it.
   *
   * @param expectedRows the split's row count, known from the tally
   * @return the rows written
   */
  public static long writeSplit(SparkSession spark, JavaRDD<EncodedRow> rows, long expectedRows,
      int rowsPerFile, Path target, Provenance provenance) {
    int files = (int) Math.max(1, (expectedRows + rowsPerFile - 1) / rowsPerFile);
    long[] boundaries = fileBoundaries(rows, files, rowsPerFile);
    JavaRDD<Row> placed = rows.mapToPair(row -> new Tuple2<>(row.rowKey(), row))
        .repartitionAndSortWithinPartitions(new KeyRangePartitioner(boundaries))
        .map(keyed -> RowFactory.create(keyed._2().label(), keyed._2().ids(),
            keyed._2().rowKey()));
    long written = ParquetTables.write(spark.createDataFrame(placed, SPLIT_SCHEMA), target,
        provenance);
    if (written != expectedRows) {
      throw new IllegalStateException("Wrote " + written + " rows to " + target + " but the"
          + " split has " + expectedRows);
    }
    return written;
  }

  /** Returns the row keys of rank rowsPerFile * i for i = 1 .. files - 1, ascending. */
  private static long[] fileBoundaries(JavaRDD<EncodedRow> rows, int files, long rowsPerFile) {
    if (files == 1) {
      return new long[0];
    }
    List<Long> keys = rows.map(EncodedRow::rowKey)
        .sortBy(key -> key, true, Math.max(1, rows.getNumPartitions()))
        .zipWithIndex()
        .filter(ranked -> ranked._2() > 0 && ranked._2() % rowsPerFile == 0)
        .map(ranked -> ranked._1())
        .collect();
    long[] boundaries = keys.stream().mapToLong(Long::longValue).sorted().toArray();
    if (boundaries.length != files - 1) {
      throw new IllegalStateException("Expected " + (files - 1) + " file boundaries, found "
          + boundaries.length);
    }
    return boundaries;
  }

  /**
   * Sends a row key to the file whose key range contains it. File i gets the keys from boundary
   * i - 1 (inclusive) up to boundary i (exclusive).
   */
  static final class KeyRangePartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;

    private final long[] boundaries;

    KeyRangePartitioner(long[] boundaries) {
      this.boundaries = boundaries.clone();
    }

    @Override
    public int numPartitions() {
      return boundaries.length + 1;
    }

    @Override
    public int getPartition(Object key) {
      int found = Arrays.binarySearch(boundaries, (Long) key);
      return found >= 0 ? found + 1 : -found - 1;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof KeyRangePartitioner partitioner
          && Arrays.equals(partitioner.boundaries, boundaries);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(boundaries);
    }
  }
}
