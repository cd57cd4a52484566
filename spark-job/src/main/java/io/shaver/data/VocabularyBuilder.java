package io.shaver.data;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.shaver.config.VocabularySplits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts tokens per field on Spark and builds the {@link Vocabulary} on the driver.
 *
 * <p>A token is kept when it occurs at least {@code minCount} times in the vocabulary splits
 * (all splits, or train only). Train and val occurrences are counted for every token, so the
 * OOV slot's count is the train and val occurrences of every token that was not kept. A field
 * whose tokens are all below the minimum count keeps only its OOV slot (size 1). This is
 * logged as a warning, not an error.
 */
public final class VocabularyBuilder {

  private static final Logger LOG = LoggerFactory.getLogger(VocabularyBuilder.class);

  private VocabularyBuilder() {
  }

  /**
   * Builds the vocabulary of the valid rows (column {@code tokens}, one token per field).
   *
   * <p>NOTE: the kept tokens are collected to the driver and broadcast as a {@link TokenIndex},
   * so the vocabulary (not the raw data) must fit in driver and executor memory: about the
   * token bytes plus 20 to 28 bytes per token, about 0.3 GB for 6 M tokens of 20 bytes.
   */
  public static Vocabulary build(Dataset<Row> valid, List<FieldSpec> fields, int minCount,
      VocabularySplits vocabularySplits) {
    Column inVocabularySplits = vocabularySplits == VocabularySplits.ALL
        ? lit(true) : col("split").equalTo(DataSplit.TRAIN.ordinal());
    Column inTrainVal = col("split").lt(DataSplit.TEST.ordinal());
    Dataset<Row> counts = valid
        .select(col("split"), posexplode(col("tokens")).as(new String[] {"field", "token"}))
        .groupBy("field", "token")
        .agg(sum(when(inVocabularySplits, 1L).otherwise(0L)).as("vocabulary_count"),
            sum(when(inTrainVal, 1L).otherwise(0L)).as("train_val_count"))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      List<Row> kept = counts.where(col("vocabulary_count").geq(minCount))
          .select("field", "token", "vocabulary_count", "train_val_count").collectAsList();
      List<Row> perField = counts.groupBy("field")
          .agg(count(lit(1)).as("distinct"),
              sum(when(col("vocabulary_count").lt(minCount), col("train_val_count"))
                  .otherwise(0L)).as("oov_train_val_count"))
          .collectAsList();
      return assemble(fields, kept, perField);
    } finally {
      counts.unpersist();
    }
  }

  private static Vocabulary assemble(List<FieldSpec> fields, List<Row> kept,
      List<Row> perField) {
    int m = fields.size();
    List<List<Row>> byField = new ArrayList<>();
    for (int f = 0; f < m; f++) {
      byField.add(new ArrayList<>());
    }
    for (Row row : kept) {
      byField.get(row.getInt(0)).add(row);
    }
    Comparator<Row> order = Comparator.<Row>comparingLong(row -> -row.getLong(2))
        .thenComparing(row -> row.getString(1));
    List<String[]> tokens = new ArrayList<>();
    List<long[]> counts = new ArrayList<>();
    for (int f = 0; f < m; f++) {
      List<Row> rows = byField.get(f);
      rows.sort(order);
      String[] fieldTokens = new String[rows.size()];
      long[] fieldCounts = new long[rows.size()];
      for (int i = 0; i < rows.size(); i++) {
        fieldTokens[i] = rows.get(i).getString(1);
        fieldCounts[i] = rows.get(i).getLong(3);
      }
      tokens.add(fieldTokens);
      counts.add(fieldCounts);
      if (fieldTokens.length == 0) {
        LOG.warn("Field '{}' has no token with at least the minimum count; it keeps only its"
            + " OOV slot", fields.get(f).name());
      }
    }
    long[] oov = new long[m];
    long[] distinct = new long[m];
    for (Row row : perField) {
      int f = row.getInt(0);
      distinct[f] = row.getLong(1);
      oov[f] = row.getLong(2);
    }
    LOG.info("Vocabulary: {} rows over {} fields, sizes {}", totalRows(tokens), m,
        Arrays.toString(tokens.stream().mapToInt(t -> t.length + 1).toArray()));
    return new Vocabulary(fields, tokens, counts, oov, distinct);
  }

  private static long totalRows(List<String[]> tokens) {
    long total = 0;
    for (String[] fieldTokens : tokens) {
      total += fieldTokens.length + 1;
    }
    return total;
  }
}
