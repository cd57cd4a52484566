package io.shaver.spark;

import io.shaver.shapley.EncodedSamples;
import io.shaver.shapley.TableLayout;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import scala.Tuple2;

/**
 * Samples of one walk partition in flat arrays, the cached form of the estimation data: ids
 * sample-major ({@code size * m}), labels and row keys. The samples are whole walk batches in
 * batch order, so walking a block in steps of the batch size reproduces the batches. A
 * partition larger than {@link #MAX_SAMPLES} is split into several blocks at batch boundaries,
 * so no array grows past 2^31 elements.
 */
final class SampleBlock implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Maximum samples per block: 2^20, so 40 fields take 160 MiB of ids. */
  static final int MAX_SAMPLES = 1 << 20;

  private final int fields;
  private final int[] ids;
  private final float[] labels;
  private final long[] keys;

  private SampleBlock(int fields, int[] ids, float[] labels, long[] keys) {
    this.fields = fields;
    this.ids = ids;
    this.labels = labels;
    this.keys = keys;
  }

  /**
   * Packs the (batch index, row) pairs of one partition into blocks: batches in index order,
   * rows of a batch in row-key order, blocks of whole batches, every id checked against its
   * field's rows.
   *
   * @throws IllegalArgumentException naming the row key of a row with the wrong number of ids,
   *     or the sample, field and id of an id outside its field
   * @throws IllegalStateException if a batch other than the partition's last one is not full
   */
  static Iterator<SampleBlock> pack(Iterator<Tuple2<Long, EncodedRow>> rows, TableLayout layout,
      int batchSize) {
    List<Tuple2<Long, EncodedRow>> sorted = new ArrayList<>();
    rows.forEachRemaining(sorted::add);
    sorted.sort(Comparator.<Tuple2<Long, EncodedRow>>comparingLong(Tuple2::_1)
        .thenComparingLong(row -> row._2().key()));
    requireFullBatches(sorted, batchSize);

    int blockLimit = Math.max(1, MAX_SAMPLES / batchSize) * batchSize;
    List<SampleBlock> blocks = new ArrayList<>();
    for (int from = 0; from < sorted.size(); from += blockLimit) {
      blocks.add(of(sorted.subList(from, Math.min(sorted.size(), from + blockLimit)), layout));
    }
    return blocks.iterator();
  }

  private static void requireFullBatches(List<Tuple2<Long, EncodedRow>> sorted, int batchSize) {
    int start = 0;
    while (start < sorted.size()) {
      long batch = sorted.get(start)._1();
      int end = start;
      while (end < sorted.size() && sorted.get(end)._1() == batch) {
        end++;
      }
      if (end - start > batchSize || (end - start < batchSize && end < sorted.size())) {
        throw new IllegalStateException("walk batch " + batch + " has " + (end - start)
            + " samples, expected " + batchSize + " (only the last batch may be shorter)");
      }
      start = end;
    }
  }

  private static SampleBlock of(List<Tuple2<Long, EncodedRow>> rows, TableLayout layout) {
    int fields = layout.fields();
    int[] ids = new int[rows.size() * fields];
    float[] labels = new float[rows.size()];
    long[] keys = new long[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      EncodedRow row = rows.get(i)._2();
      if (row.ids().length != fields) {
        throw new IllegalArgumentException("Prepared row with row_key " + row.key() + " has "
            + row.ids().length + " ids, but the table has " + fields + " fields");
      }
      System.arraycopy(row.ids(), 0, ids, i * fields, fields);
      labels[i] = row.label();
      keys[i] = row.key();
    }
    SampleBlock block = new SampleBlock(fields, ids, labels, keys);
    block.samples().validate(layout);
    return block;
  }

  /** Returns the samples as the walk engine reads them; the arrays are shared, not copied. */
  EncodedSamples samples() {
    return EncodedSamples.of(fields, ids, labels, keys);
  }

  int size() {
    return labels.length;
  }

  @Override
  public String toString() {
    return "SampleBlock{" + size() + " samples, keys " + (keys.length == 0 ? "[]"
        : "[" + keys[0] + " .. " + keys[keys.length - 1] + "]") + "}";
  }

  /** Returns a copy of the row keys, for tests. */
  long[] keys() {
    return Arrays.copyOf(keys, keys.length);
  }
}
