package io.shaver.spark;

import org.apache.spark.Partitioner;

/**
 * Sends a row to partition {@code mix(row key) mod partitions}. The assignment depends only on
 * the key, so a recomputed partition holds the same rows, and the mix spreads structured keys
 * (file index times 2^40 plus an offset) evenly.
 */
final class RowKeyPartitioner extends Partitioner {

  private static final long serialVersionUID = 1L;

  private final int partitions;

  RowKeyPartitioner(int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
    }
    this.partitions = partitions;
  }

  @Override
  public int numPartitions() {
    return partitions;
  }

  @Override
  public int getPartition(Object key) {
    long hash = RowSampler.mix((Long) key);
    return (int) Long.remainderUnsigned(hash, partitions);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RowKeyPartitioner partitioner && partitioner.partitions == partitions;
  }

  @Override
  public int hashCode() {
    return partitions;
  }
}
