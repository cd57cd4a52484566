package io.shaver.data;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The vocabulary of pre-encoded input: every id of every declared field, with its train+val
 * count from the data and its token from an optional vocabulary file.
 *
 * <p>The vocabulary file is CSV with a header line (a name ending in {@code .csv} or
 * {@code .csv.gz}) or else Parquet (a file or directory), with columns {@code field} (field
 * name), {@code local_id} and {@code token}; {@code prepared/vocabulary} of an earlier run
 * qualifies. Without the file, or for ids it does not list, the token is null. As in raw
 * sources, the last local id of each field is flagged as the OOV slot, although the source may
 * have used it as an ordinary id.
 *
 * <p>NOTE: the counts are held on the driver as one long per id (8 bytes times the sum of the
 * field sizes).
 */
public final class EncodedVocabulary implements VocabularyTable {

  private final List<FieldSpec> fields;
  private final int[] sizes;
  private final int[] offsets;
  private final int totalSize;
  private final long[] trainValCounts;
  private final Map<Integer, String> tokens;

  private EncodedVocabulary(List<FieldSpec> fields, int[] sizes, long[] trainValCounts,
      Map<Integer, String> tokens) {
    this.fields = List.copyOf(fields);
    this.sizes = sizes.clone();
    this.offsets = new int[sizes.length];
    long total = 0;
    for (int f = 0; f < sizes.length; f++) {
      offsets[f] = (int) total;
      total += sizes[f];
    }
    this.totalSize = (int) total;
    this.trainValCounts = trainValCounts;
    this.tokens = tokens;
  }

  /**
   * Counts train+val occurrences of every global id of {@code valid} (column {@code ids}) and
   * reads the vocabulary file when one is given.
   *
   * @throws InputDataException if the vocabulary file lacks a column, names an unknown field,
   *     gives a local id out of range, or lists an id twice
   */
  public static EncodedVocabulary build(SparkSession spark, Dataset<Row> valid,
      List<FieldSpec> fields, List<Integer> sizes, String vocabularyPath) {
    int[] fieldSizes = sizes.stream().mapToInt(Integer::intValue).toArray();
    long total = Arrays.stream(fieldSizes).asLongStream().sum();
    long[] counts = new long[(int) total];
    List<Row> rows = valid.where(col("split").lt(DataSplit.TEST.ordinal()))
        .select(explode(col("ids")).as("id")).groupBy("id").count().collectAsList();
    for (Row row : rows) {
      counts[row.getInt(0)] = row.getLong(1);
    }
    EncodedVocabulary vocabulary = new EncodedVocabulary(fields, fieldSizes, counts,
        new HashMap<>());
    if (vocabularyPath != null) {
      vocabulary.readTokens(spark, vocabularyPath);
    }
    return vocabulary;
  }

  private void readTokens(SparkSession spark, String path) {
    boolean csv = path.endsWith(".csv") || path.endsWith(".csv.gz");
    Dataset<Row> table = csv
        ? spark.read().option("header", "true").csv(path)
        : spark.read().parquet(path);
    List<String> columns = Arrays.asList(table.columns());
    for (String needed : List.of("field", "local_id", "token")) {
      if (!columns.contains(needed)) {
        throw new InputDataException("Vocabulary file " + path + " has no column '" + needed
            + "'; its columns are " + columns + ". Expected field, local_id and token.");
      }
    }
    Map<String, Integer> fieldIndexes = new HashMap<>();
    for (int f = 0; f < fields.size(); f++) {
      fieldIndexes.put(fields.get(f).name(), f);
    }
    List<Row> rows = table.select(col("field").cast("string"), col("local_id").cast("long"),
        col("token").cast("string")).collectAsList();
    for (Row row : rows) {
      addToken(path, row, fieldIndexes);
    }
  }

  private void addToken(String path, Row row, Map<String, Integer> fieldIndexes) {
    Integer field = row.isNullAt(0) ? null : fieldIndexes.get(row.getString(0));
    if (field == null) {
      throw new InputDataException("Vocabulary file " + path + " names field '"
          + row.get(0) + "', which is not in data.fields " + fieldNames() + ".");
    }
    if (row.isNullAt(1) || row.getLong(1) < 0 || row.getLong(1) >= sizes[field]) {
      throw new InputDataException("Vocabulary file " + path + " gives local id "
          + row.get(1) + " for field '" + row.getString(0) + "', outside [0, " + sizes[field]
          + ").");
    }
    int globalId = offsets[field] + (int) row.getLong(1);
    if (tokens.containsKey(globalId)) {
      throw new InputDataException("Vocabulary file " + path + " lists local id "
          + row.getLong(1) + " of field '" + row.getString(0) + "' twice.");
    }
    tokens.put(globalId, row.isNullAt(2) ? null : row.getString(2));
  }

  private List<String> fieldNames() {
    List<String> names = new ArrayList<>();
    for (FieldSpec field : fields) {
      names.add(field.name());
    }
    return names;
  }

  @Override
  public List<FieldSpec> fields() {
    return fields;
  }

  @Override
  public int size(int field) {
    return sizes[field];
  }

  @Override
  public int offset(int field) {
    return offsets[field];
  }

  @Override
  public int totalSize() {
    return totalSize;
  }

  @Override
  public String tokenOrNull(int field, int localId) {
    return tokens.get(offsets[field] + localId);
  }

  @Override
  public long trainValCount(int field, int localId) {
    return trainValCounts[offsets[field] + localId];
  }
}
