package io.shaver.data;

/**
 * Stable row keys: the input file's index in the sorted file list times 2^40, plus the row's
 * position in that file.
 *
 * <p>The position is the byte offset of the line in the uncompressed text (for gzip files the
 * offset in the decompressed stream) or the row index in a Parquet file. Neither depends on how
 * Spark partitions the input, so splits and output order derived from the key are the same for
 * any partitioning. Limits: 2^23 files and 2^40 bytes (1 TiB) or rows per file.
 */
public final class RowKeys {

  public static final int POSITION_BITS = 40;
  public static final long MAX_POSITION = (1L << POSITION_BITS) - 1;
  public static final int MAX_FILES = 1 << (63 - POSITION_BITS);

  private RowKeys() {
  }

  /** Returns the key of the row at {@code position} in file {@code fileIndex}. */
  public static long of(int fileIndex, long position) {
    if (fileIndex < 0 || fileIndex >= MAX_FILES) {
      throw new IllegalArgumentException("file index " + fileIndex + " is outside [0, "
          + MAX_FILES + ")");
    }
    if (position < 0 || position > MAX_POSITION) {
      throw new IllegalArgumentException("position " + position + " is outside [0, 2^40)");
    }
    return ((long) fileIndex << POSITION_BITS) | position;
  }

  public static int fileIndex(long rowKey) {
    return (int) (rowKey >>> POSITION_BITS);
  }

  public static long position(long rowKey) {
    return rowKey & MAX_POSITION;
  }
}
