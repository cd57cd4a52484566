package io.shaver.spark;

import io.shaver.config.EstimationData;
import io.shaver.shapley.TableLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The prepare stage's outputs that estimation reads, under {@code prepared/}: {@code fields}
 * (field, size, offset, kind), {@code vocabulary} (field, token, local_id, global_id, train_val_count
 * over train and validation) and the encoded splits {@code train}, {@code val}, {@code test}
 * (label, ids with one global id per field, row_key).
 */
public final class PreparedData {

  static final String DIRECTORY = "prepared";

  private final SparkSession spark;
  private final Path root;
  private final List<String> fieldNames;
  private final int[] fieldSizes;

  private PreparedData(SparkSession spark, Path root, List<String> fieldNames, int[] fieldSizes) {
    this.spark = spark;
    this.root = root;
    this.fieldNames = fieldNames;
    this.fieldSizes = fieldSizes;
  }

  /**
   * Reads {@code prepared/fields} under the run directory {@code run}.
   *
   * @throws IllegalStateException if the table is missing, empty, or its offsets are not the
   *     running sums of the sizes in offset order
   */
  public static PreparedData open(SparkSession spark, Path run) {
    Path root = new Path(run, DIRECTORY);
    requireDirectory(spark, new Path(root, "fields"), "prepared/fields");
    List<Row> rows = new ArrayList<>(spark.read().parquet(new Path(root, "fields").toString())
        .select("field", "size", "offset").collectAsList());
    if (rows.isEmpty()) {
      throw new IllegalStateException("prepared/fields under " + run + " lists no fields");
    }
    rows.sort(Comparator.comparingLong(row -> ((Number) row.get(2)).longValue()));
    List<String> names = new ArrayList<>();
    int[] sizes = new int[rows.size()];
    long expectedOffset = 0;
    for (int f = 0; f < rows.size(); f++) {
      Row row = rows.get(f);
      long size = ((Number) row.get(1)).longValue();
      long offset = ((Number) row.get(2)).longValue();
      if (offset != expectedOffset || size < 1 || size > Integer.MAX_VALUE) {
        throw new IllegalStateException("prepared/fields under " + run + ": field '"
            + row.getString(0) + "' has size " + size + " and offset " + offset
            + ", expected a size >= 1 and offset " + expectedOffset
            + " (the sum of the sizes before it)");
      }
      names.add(row.getString(0));
      sizes[f] = (int) size;
      expectedOffset += size;
    }
    return new PreparedData(spark, root, List.copyOf(names), sizes);
  }

  /** Returns the field names in offset order. */
  public List<String> fieldNames() {
    return fieldNames;
  }

  /** Returns the rows per field (OOV row included), in offset order. */
  public int[] fieldSizes() {
    return fieldSizes.clone();
  }

  /** Returns the number of table rows n. */
  long rows() {
    long rows = 0;
    for (int size : fieldSizes) {
      rows += size;
    }
    return rows;
  }

  /** Returns the table layout for embedding dimension {@code dimension}. */
  TableLayout layout(int dimension) {
    return TableLayout.of(fieldSizes, dimension);
  }

  /**
   * Returns the train and validation count of every global row id, from the vocabulary;
   * rows the vocabulary lacks count 0. The counts travel to the driver (8 bytes per row).
   *
   * @throws IllegalStateException on a global id outside the table or a negative count
   */
  long[] counts() {
    Path vocabulary = new Path(root, "vocabulary");
    requireDirectory(spark, vocabulary, "prepared/vocabulary");
    long[] counts = new long[Math.toIntExact(rows())];
    List<Row> rows = spark.read().parquet(vocabulary.toString())
        .select("global_id", "train_val_count").collectAsList();
    for (Row row : rows) {
      long id = ((Number) row.get(0)).longValue();
      long count = row.isNullAt(1) ? 0 : ((Number) row.get(1)).longValue();
      if (id < 0 || id >= counts.length || count < 0) {
        throw new IllegalStateException("prepared/vocabulary has global_id " + id + " with count "
            + count + ", expected an id in [0, " + counts.length + ") and a count >= 0");
      }
      counts[(int) id] += count;
    }
    return counts;
  }

  /** Returns (global_id long, token string) of every vocabulary entry. */
  Dataset<Row> tokens() {
    Path vocabulary = new Path(root, "vocabulary");
    requireDirectory(spark, vocabulary, "prepared/vocabulary");
    return spark.read().parquet(vocabulary.toString()).select(
        functions.col("global_id").cast("long").as("global_id"),
        functions.col("token").cast("string").as("token"));
  }

  /**
   * Returns the rows of the splits that {@code data} names, as (label, ids, row_key).
   *
   * @throws IllegalStateException naming a split that the prepare stage did not write
   */
  Dataset<Row> splits(EstimationData data) {
    Dataset<Row> union = null;
    for (String split : data.splits()) {
      Path path = new Path(root, split);
      requireDirectory(spark, path, "prepared/" + split);
      Dataset<Row> rows = spark.read().parquet(path.toString()).select("label", "ids", "row_key");
      union = union == null ? rows : union.unionAll(rows);
    }
    return union;
  }

  private static void requireDirectory(SparkSession spark, Path path, String name) {
    try {
      FileSystem fileSystem = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fileSystem.exists(path)) {
        throw new IllegalStateException(name + " not found at " + path
            + "; run the prepare stage first, or choose other splits with estimate.data");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + path + ": " + e.getMessage(), e);
    }
  }
}
