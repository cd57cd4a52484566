package io.shaver.model;

import java.util.Arrays;

/**
 * One named array of a state dict: its stored element type, its shape and its values.
 *
 * <p>Floating tensors (F64, F32, F16, BF16) hold their values as {@code float[]}; integer
 * tensors (I64, I32, I16, I8) as {@code long[]}; other types hold no values. Values are in
 * row-major (C) order. The arrays are shared, not copied: callers must not modify them.
 */
public final class Tensor {

  private final DType dtype;
  private final long[] shape;
  private final float[] floats;
  private final long[] longs;

  private Tensor(DType dtype, long[] shape, float[] floats, long[] longs) {
    this.dtype = dtype;
    this.shape = shape.clone();
    this.floats = floats;
    this.longs = longs;
  }

  /**
   * Creates an F32 tensor.
   *
   * @throws IllegalArgumentException if the value count differs from the product of the shape
   */
  public static Tensor ofFloats(float[] values, long... shape) {
    return ofFloats(DType.F32, values, shape);
  }

  /**
   * Creates a floating tensor that was stored as {@code storedType} and decoded to float.
   *
   * @throws IllegalArgumentException if the type is not floating or the count is wrong
   */
  public static Tensor ofFloats(DType storedType, float[] values, long... shape) {
    if (!storedType.isFloating()) {
      throw new IllegalArgumentException("Invalid dtype " + storedType + " for float values");
    }
    checkCount(values.length, shape);
    return new Tensor(storedType, shape, values, null);
  }

  /** Creates an I64 tensor; the value count must match the shape. */
  public static Tensor ofLongs(long[] values, long... shape) {
    return ofLongs(DType.I64, values, shape);
  }

  /** Creates an integer tensor stored as {@code storedType}; the count must match the shape. */
  public static Tensor ofLongs(DType storedType, long[] values, long... shape) {
    if (!storedType.isInteger()) {
      throw new IllegalArgumentException("Invalid dtype " + storedType + " for integer values");
    }
    checkCount(values.length, shape);
    return new Tensor(storedType, shape, null, values);
  }

  /** Creates a tensor of a type whose values are not decoded (see {@link DType.Category}). */
  static Tensor undecoded(DType storedType, long... shape) {
    return new Tensor(storedType, shape, null, null);
  }

  private static void checkCount(int count, long[] shape) {
    long expected = elementCount(shape);
    if (expected != count) {
      throw new IllegalArgumentException("Invalid tensor: shape " + Arrays.toString(shape)
          + " has " + expected + " elements but " + count + " values were given");
    }
  }

  /** Returns the product of {@code shape}; the empty shape (a scalar) has one element. */
  public static long elementCount(long[] shape) {
    long count = 1;
    for (long size : shape) {
      if (size < 0) {
        throw new IllegalArgumentException("Invalid shape " + Arrays.toString(shape)
            + ": sizes must not be negative");
      }
      count = Math.multiplyExact(count, size);
    }
    return count;
  }

  /** Returns the element type the tensor was stored as. */
  public DType dtype() {
    return dtype;
  }

  /** Returns a copy of the shape. */
  public long[] shape() {
    return shape.clone();
  }

  /** Returns whether the shape equals {@code expected}. */
  public boolean hasShape(long... expected) {
    return Arrays.equals(shape, expected);
  }

  public long elementCount() {
    return elementCount(shape);
  }

  /**
   * Returns the values of a floating tensor, shared with this tensor.
   *
   * @throws IllegalStateException if the tensor is not floating
   */
  public float[] floats() {
    if (floats == null) {
      throw new IllegalStateException("Tensor of dtype " + dtype + " has no float values");
    }
    return floats;
  }

  /**
   * Returns the values of an integer tensor, shared with this tensor.
   *
   * @throws IllegalStateException if the tensor is not an integer tensor
   */
  public long[] longs() {
    if (longs == null) {
      throw new IllegalStateException("Tensor of dtype " + dtype + " has no integer values");
    }
    return longs;
  }

  /** Returns the shape as text, e.g. {@code [25, 4]}. */
  public String shapeText() {
    return Arrays.toString(shape);
  }

  @Override
  public String toString() {
    return "Tensor{" + dtype + " " + shapeText() + "}";
  }
}
