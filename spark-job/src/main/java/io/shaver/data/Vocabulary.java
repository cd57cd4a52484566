package io.shaver.data;

import java.util.List;

/**
 * The per-field vocabularies of a prepared dataset, held on the driver.
 *
 * <p>Field f has {@code size(f) = tokens + 1} rows: local ids 0 to size - 2 are its tokens,
 * ordered by count in the vocabulary splits (descending), ties by token (ascending, Java
 * string order); local id size - 1 is the OOV slot, which every token below the minimum
 * count and every unseen token maps to. Global id = offset(f) + local id, where offsets are
 * the exclusive prefix sums of the sizes.
 */
public final class Vocabulary implements VocabularyTable {

  private final List<FieldSpec> fields;
  private final List<String[]> tokens;
  private final List<long[]> trainValCounts;
  private final long[] oovTrainValCounts;
  private final long[] distinctTokens;
  private final int[] offsets;
  private final int totalSize;

  /**
   * @param tokens per field, its kept tokens in local id order
   * @param trainValCounts per field, the train and val occurrences of each kept token
   * @param oovTrainValCounts per field, the train and val occurrences that map to OOV
   * @param distinctTokens per field, the distinct tokens seen in any split
   */
  public Vocabulary(List<FieldSpec> fields, List<String[]> tokens, List<long[]> trainValCounts,
      long[] oovTrainValCounts, long[] distinctTokens) {
    this.fields = List.copyOf(fields);
    this.tokens = List.copyOf(tokens);
    this.trainValCounts = List.copyOf(trainValCounts);
    this.oovTrainValCounts = oovTrainValCounts.clone();
    this.distinctTokens = distinctTokens.clone();
    this.offsets = new int[fields.size()];
    long total = 0;
    for (int f = 0; f < fields.size(); f++) {
      offsets[f] = (int) total;
      total += tokens.get(f).length + 1L;
      if (total > Integer.MAX_VALUE) {
        throw new InputDataException("The vocabulary has more than 2^31 - 1 rows in total;"
            + " raise data.min_count.");
      }
    }
    this.totalSize = (int) total;
  }

  @Override
  public List<FieldSpec> fields() {
    return fields;
  }

  /** Rows of field f, OOV slot included. */
  @Override
  public int size(int field) {
    return tokens.get(field).length + 1;
  }

  @Override
  public int offset(int field) {
    return offsets[field];
  }

  /** Local id of the OOV slot of field f: its last row. */
  @Override
  public int oovLocalId(int field) {
    return tokens.get(field).length;
  }

  /** Sum of all field sizes: the number of rows of the embedding table. */
  @Override
  public int totalSize() {
    return totalSize;
  }

  @Override
  public String tokenOrNull(int field, int localId) {
    return localId == oovLocalId(field) ? null : tokens.get(field)[localId];
  }

  /** Train and val occurrences of local id {@code localId} of field f, OOV slot included. */
  @Override
  public long trainValCount(int field, int localId) {
    if (localId == oovLocalId(field)) {
      return oovTrainValCounts[field];
    }
    return trainValCounts.get(field)[localId];
  }

  public long distinctTokens(int field) {
    return distinctTokens[field];
  }

  /** Builds the lookup index that tasks use to encode tokens. */
  public TokenIndex index() {
    return new TokenIndex(tokens);
  }
}
