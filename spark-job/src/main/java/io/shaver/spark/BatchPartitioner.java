package io.shaver.spark;

import org.apache.spark.Partitioner;

/**
 * Sends walk batch b to partition {@code b mod partitions}: consecutive batches go to
 * different partitions, so partitions get equal numbers of batches, and a recomputed partition
 * gets the same batches.
 */
final class BatchPartitioner extends Partitioner {

  private static final long serialVersionUID = 1L;

  private final int partitions;

  BatchPartitioner(int partitions) {
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
    return (int) Long.remainderUnsigned((Long) key, partitions);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof BatchPartitioner partitioner && partitioner.partitions == partitions;
  }

  @Override
  public int hashCode() {
    return partitions;
  }
}
