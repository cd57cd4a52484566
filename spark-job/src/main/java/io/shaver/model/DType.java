package io.shaver.model;

/**
 * Element types of the safetensors format, by their header names.
 *
 * <p>{@link Tensor} decodes the floating types to {@code float} and the signed integer types to
 * {@code long}. The remaining types are recognized in headers so that a loader can report them
 * as wrong types, but their data is not decoded.
 */
public enum DType {
  F64(8, Category.FLOATING),
  F32(4, Category.FLOATING),
  F16(2, Category.FLOATING),
  BF16(2, Category.FLOATING),
  I64(8, Category.INTEGER),
  I32(4, Category.INTEGER),
  I16(2, Category.INTEGER),
  I8(1, Category.INTEGER),
  U64(8, Category.OTHER),
  U32(4, Category.OTHER),
  U16(2, Category.OTHER),
  U8(1, Category.OTHER),
  BOOL(1, Category.OTHER),
  F8_E4M3(1, Category.OTHER),
  F8_E5M2(1, Category.OTHER);

  /** Representation of a type's values in {@link Tensor}. */
  public enum Category {
    /** Decoded to {@code float[]}. */
    FLOATING,
    /** Decoded to {@code long[]}. */
    INTEGER,
    /** Not decoded. */
    OTHER
  }

  private final int byteSize;
  private final Category category;

  DType(int byteSize, Category category) {
    this.byteSize = byteSize;
    this.category = category;
  }

  /** Returns the size of one element in bytes. */
  public int byteSize() {
    return byteSize;
  }

  public Category category() {
    return category;
  }

  public boolean isFloating() {
    return category == Category.FLOATING;
  }

  public boolean isInteger() {
    return category == Category.INTEGER;
  }

  /**
   * Parses a safetensors dtype name such as {@code F32}.
   *
   * @throws IllegalArgumentException naming the value if the type is unknown
   */
  public static DType fromName(String name) {
    for (DType type : values()) {
      if (type.name().equals(name)) {
        return type;
      }
    }
    throw new IllegalArgumentException("Unknown safetensors dtype '" + name + "'");
  }
}
