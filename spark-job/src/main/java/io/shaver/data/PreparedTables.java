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
import org.apache.spark.api.java.JavaPairRDD;
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

  /** Writes one row per global id from the driver, generating rows as the writer asks. */
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
   * @param expectedRows the split's row count, known from the tally
   * @return the rows written
   */
  public static long writeSplit(SparkSession spark, JavaRDD<EncodedRow> rows, long expectedRows,
      int rowsPerFile, Path target, Provenance provenance) {
    int files = (int) Math.max(1, (expectedRows + rowsPerFile - 1) / rowsPerFile);
    int sortPartitions = Math.max(1, rows.getNumPartitions());
    JavaRDD<EncodedRow> sorted = rows.mapToPair(row -> new Tuple2<>(row.rowKey(), row))
        .sortByKey(true, sortPartitions).values();
    JavaPairRDD<Long, EncodedRow> byRank = sorted.zipWithIndex()
        .mapToPair(ranked -> new Tuple2<>(ranked._2(), ranked._1()));
    JavaRDD<Row> placed = byRank
        .repartitionAndSortWithinPartitions(new RankPartitioner(files, rowsPerFile))
        .map(ranked -> RowFactory.create(ranked._2().label(), ranked._2().ids(),
            ranked._2().rowKey()));
    long written = ParquetTables.write(spark.createDataFrame(placed, SPLIT_SCHEMA), target,
        provenance);
    if (written != expectedRows) {
      throw new IllegalStateException("Wrote " + written + " rows to " + target + " but the"
          + " split has " + expectedRows);
    }
    return written;
  }

  /** Sends rank r to partition r / rowsPerFile: consecutive ranks fill one file after another. */
  static final class RankPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;

    private final int files;
    private final long rowsPerFile;

    RankPartitioner(int files, long rowsPerFile) {
      this.files = files;
      this.rowsPerFile = rowsPerFile;
    }

    @Override
    public int numPartitions() {
      return files;
    }

    @Override
    public int getPartition(Object key) {
      long rank = (Long) key;
      return (int) Math.min(files - 1, rank / rowsPerFile);
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof RankPartitioner partitioner && partitioner.files == files
          && partitioner.rowsPerFile == rowsPerFile;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(files * 31L + rowsPerFile);
    }
  }
}
