package io.shaver.spark;

import io.shaver.shapley.EncodedSamples;
import io.shaver.shapley.TableLayout;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import scala.Tuple2;

/**
 * Samples of one walk partition in flat arrays, the cached form of the estimation data: ids
 * sample-major ({@code size * m}), labels and row keys. A partition larger than
 * {@link #MAX_SAMPLES} is split into several blocks so that no array grows past 2^31 elements.
 */
final class SampleBlock implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Most samples per block: 2^20, so 40 fields take 160 MiB of ids. */
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
   * Packs the rows of one partition into blocks of at most {@link #MAX_SAMPLES} samples and
   * checks every id against its field's rows.
   *
   * @throws IllegalArgumentException naming the row key of a row with the wrong number of ids,
   *     or the sample, field and id of an id outside its field
   */
  static Iterator<SampleBlock> pack(Iterator<Tuple2<Long, EncodedRow>> rows, TableLayout layout) {
    List<SampleBlock> blocks = new ArrayList<>();
    Builder builder = new Builder(layout.fields());
    while (rows.hasNext()) {
      Tuple2<Long, EncodedRow> row = rows.next();
      builder.add(row._1(), row._2());
      if (builder.size == MAX_SAMPLES) {
        blocks.add(builder.build(layout));
        builder = new Builder(layout.fields());
      }
    }
    if (builder.size > 0) {
      blocks.add(builder.build(layout));
    }
    return blocks.iterator();
  }

  /** Returns the samples as the walk engine reads them; the arrays are shared, not copied. */
  EncodedSamples samples() {
    return EncodedSamples.of(fields, ids, labels, keys);
  }

  int size() {
    return labels.length;
  }

  /** Growable columns of one block. */
  private static final class Builder {
    private final int fields;
    private int[] ids;
    private float[] labels;
    private long[] keys;
    private int size;

    Builder(int fields) {
      this.fields = fields;
      this.ids = new int[16 * fields];
      this.labels = new float[16];
      this.keys = new long[16];
    }

    void add(long key, EncodedRow row) {
      if (row.ids().length != fields) {
        throw new IllegalArgumentException("Prepared row with row_key " + key + " has "
            + row.ids().length + " ids, but the table has " + fields + " fields");
      }
      if (size == labels.length) {
        int capacity = Math.min(MAX_SAMPLES, 2 * size);
        ids = java.util.Arrays.copyOf(ids, capacity * fields);
        labels = java.util.Arrays.copyOf(labels, capacity);
        keys = java.util.Arrays.copyOf(keys, capacity);
      }
      System.arraycopy(row.ids(), 0, ids, size * fields, fields);
      labels[size] = row.label();
      keys[size] = key;
      size++;
    }

    SampleBlock build(TableLayout layout) {
      SampleBlock block = new SampleBlock(fields, java.util.Arrays.copyOf(ids, size * fields),
          java.util.Arrays.copyOf(labels, size), java.util.Arrays.copyOf(keys, size));
      block.samples().validate(layout);
      return block;
    }
  }
}
