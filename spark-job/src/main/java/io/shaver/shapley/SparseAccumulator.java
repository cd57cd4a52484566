package io.shaver.shapley;

import java.util.Arrays;

/**
 * {@link ShapleyAccumulator} keyed by flat parameter index in an open-addressing hash table
 * with linear probing. Memory is about 80 bytes per touched parameter (load factor at most
 * one half), independent of the table size.
 */
final class SparseAccumulator extends ShapleyAccumulator {
  private static final long EMPTY = -1L;
  private static final int INITIAL_CAPACITY = 1024;

  private long[] keys;
  private double[] sums;
  private double[] compensations;
  private double[] sumsOfSquares;
  private long[] occurrences;
  private int size;

  SparseAccumulator(long parameterCount) {
    super(parameterCount);
    allocate(INITIAL_CAPACITY);
  }

  private void allocate(int capacity) {
    keys = new long[capacity];
    Arrays.fill(keys, EMPTY);
    sums = new double[capacity];
    compensations = new double[capacity];
    sumsOfSquares = new double[capacity];
    occurrences = new long[capacity];
  }

  @Override
  void accumulate(long parameter, double sum, double compensation, double sumOfSquares,
      long count) {
    int slot = slotFor(parameter);
    if (keys[slot] == EMPTY) {
      keys[slot] = parameter;
      size++;
      if (2 * size > keys.length) {
        grow();
        slot = find(parameter);
      }
    }
    addCompensated(sums, compensations, slot, sum);
    if (compensation != 0.0) {
      addCompensated(sums, compensations, slot, compensation);
    }
    sumsOfSquares[slot] += sumOfSquares;
    occurrences[slot] += count;
  }

  /** Returns the slot holding {@code parameter}, or the empty slot where it would go. */
  private int slotFor(long parameter) {
    int mask = keys.length - 1;
    int slot = (int) SplitMix64.mix64(parameter) & mask;
    while (keys[slot] != EMPTY && keys[slot] != parameter) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  /** Returns the slot of a stored parameter, or -1. */
  private int find(long parameter) {
    int slot = slotFor(parameter);
    return keys[slot] == EMPTY ? -1 : slot;
  }

  private void grow() {
    long[] oldKeys = keys;
    double[] oldSums = sums;
    double[] oldCompensations = compensations;
    double[] oldSquares = sumsOfSquares;
    long[] oldOccurrences = occurrences;
    allocate(oldKeys.length * 2);
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        int slot = slotFor(oldKeys[i]);
        keys[slot] = oldKeys[i];
        sums[slot] = oldSums[i];
        compensations[slot] = oldCompensations[i];
        sumsOfSquares[slot] = oldSquares[i];
        occurrences[slot] = oldOccurrences[i];
      }
    }
  }

  @Override
  public double sum(long parameter) {
    int slot = find(parameter);
    return slot < 0 ? 0.0 : sums[slot] + compensations[slot];
  }

  @Override
  public double sumOfSquares(long parameter) {
    int slot = find(parameter);
    return slot < 0 ? 0.0 : sumsOfSquares[slot];
  }

  @Override
  public long occurrences(long parameter) {
    int slot = find(parameter);
    return slot < 0 ? 0L : occurrences[slot];
  }

  @Override
  public long touchedParameters() {
    return size;
  }

  @Override
  void forEachCompensated(CompensatedVisitor visitor) {
    long[] stored = new long[size];
    int n = 0;
    for (long key : keys) {
      if (key != EMPTY) {
        stored[n++] = key;
      }
    }
    Arrays.sort(stored);
    for (long parameter : stored) {
      int slot = find(parameter);
      visitor.visit(parameter, sums[slot], compensations[slot], sumsOfSquares[slot],
          occurrences[slot]);
    }
  }
}
