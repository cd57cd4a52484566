package io.shaver.data;

import java.io.Externalizable;
import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;

/** One encoded sample: row key, split, label and one global id per field. */
public final class EncodedRow implements Externalizable {

  private static final long serialVersionUID = 1L;

  private long rowKey;
  private int split;
  private int label;
  private int[] ids;

  /** For deserialization only. */
  public EncodedRow() {
  }

  public EncodedRow(long rowKey, int split, int label, int[] ids) {
    this.rowKey = rowKey;
    this.split = split;
    this.label = label;
    this.ids = ids;
  }

  public long rowKey() {
    return rowKey;
  }

  /** 0 train, 1 val, 2 test. */
  public int split() {
    return split;
  }

  public int label() {
    return label;
  }

  public int[] ids() {
    return ids;
  }

  @Override
  public void writeExternal(ObjectOutput out) throws IOException {
    out.writeLong(rowKey);
    out.writeByte(split);
    out.writeByte(label);
    out.writeInt(ids.length);
    for (int id : ids) {
      out.writeInt(id);
    }
  }

  @Override
  public void readExternal(ObjectInput in) throws IOException {
    rowKey = in.readLong();
    split = in.readByte();
    label = in.readByte();
    ids = new int[in.readInt()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = in.readInt();
    }
  }
}
