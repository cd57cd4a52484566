package io.shaver.data;

import java.io.Serializable;
import org.apache.spark.api.java.JavaRDD;

/**
 * Per split: rows, positive labels, and per field the rows whose id is the field's OOV slot.
 * Computed in one pass over the encoded rows.
 */
public final class SplitTally implements Serializable {

  private static final long serialVersionUID = 1L;

  private final long[] rows = new long[3];
  private final long[] positives = new long[3];
  private final long[][] oov;

  private SplitTally(int fields) {
    oov = new long[3][fields];
  }

  /** Tallies {@code rows}; {@code oovIds[f]} is the global id of field f's OOV slot. */
  public static SplitTally of(JavaRDD<EncodedRow> rows, int[] oovIds) {
    int m = oovIds.length;
    return rows.aggregate(new SplitTally(m), (tally, row) -> tally.add(row, oovIds),
        SplitTally::merge);
  }

  private SplitTally add(EncodedRow row, int[] oovIds) {
    int split = row.split();
    rows[split]++;
    positives[split] += row.label();
    int[] ids = row.ids();
    for (int f = 0; f < ids.length; f++) {
      if (ids[f] == oovIds[f]) {
        oov[split][f]++;
      }
    }
    return this;
  }

  private SplitTally merge(SplitTally other) {
    for (int s = 0; s < 3; s++) {
      rows[s] += other.rows[s];
      positives[s] += other.positives[s];
      for (int f = 0; f < oov[s].length; f++) {
        oov[s][f] += other.oov[s][f];
      }
    }
    return this;
  }

  public long rows(DataSplit split) {
    return rows[split.ordinal()];
  }

  public long totalRows() {
    return rows[0] + rows[1] + rows[2];
  }

  public long positives(DataSplit split) {
    return positives[split.ordinal()];
  }

  public long totalPositives() {
    return positives[0] + positives[1] + positives[2];
  }

  /** Rows of {@code split} whose field f is the OOV slot. */
  public long oov(DataSplit split, int field) {
    return oov[split.ordinal()][field];
  }

  public long totalOov(int field) {
    return oov[0][field] + oov[1][field] + oov[2][field];
  }
}
