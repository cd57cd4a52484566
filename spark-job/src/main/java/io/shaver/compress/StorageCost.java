package io.shaver.compress;

import java.util.Objects;

/**
 * Payload bytes of the on-device artifact of one table in one storage format.
 *
 * <p>Counted: per kept value, its value bytes (4, 2 or 1) plus its CSR column index (uint8 when
 * d is at most 256, else int16); per table, the int32 row pointers (n + 1), the float32 codebook
 * (m·d, stored in zero mode too), the int32 field offsets (m + 1) and, for int8, the float32
 * scale and int32 zero point. Not counted: field names, schema metadata, and the Arrow framing
 * and padding, so the file on disk is somewhat larger than the payload (the writers report both).
 *
 * @param shape the table
 * @param format the encoding of kept values
 */
public record StorageCost(TableShape shape, StorageFormat format) {

  public StorageCost {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(format, "format");
  }

  /** Bytes of one kept entry: value plus column index. */
  public long bytesPerKept() {
    return format.valueBytes() + shape.columnIndexBytes();
  }

  /** Bytes that do not depend on the kept count. */
  public long fixedBytes() {
    long rowPointers = 4L * (shape.rows() + 1L);
    long codebook = 4L * shape.fields() * shape.dimension();
    long fieldOffsets = 4L * (shape.fields() + 1L);
    long quantization = format == StorageFormat.INT8 ? 8 : 0;
    return rowPointers + codebook + fieldOffsets + quantization;
  }

  /** Payload bytes of an artifact that keeps {@code kept} values. */
  public long payloadBytes(long kept) {
    return fixedBytes() + kept * bytesPerKept();
  }

  /**
   * Returns the largest kept count whose payload fits in {@code budgetBytes}, at most n·d.
   *
   * @throws IllegalArgumentException naming the budget when it is below {@link #fixedBytes()}
   */
  public long maxKept(long budgetBytes) {
    long fixed = fixedBytes();
    if (budgetBytes < fixed) {
      throw new IllegalArgumentException("byte budget " + budgetBytes + " (" + format.configName()
          + ") is below the " + fixed + " bytes that the row pointers, codebook and field offsets"
          + " of this table take (n = " + shape.rows() + ", m = " + shape.fields() + ", d = "
          + shape.dimension() + "); raise it to at least " + fixed);
    }
    return Math.min(shape.parameters(), (budgetBytes - fixed) / bytesPerKept());
  }
}
