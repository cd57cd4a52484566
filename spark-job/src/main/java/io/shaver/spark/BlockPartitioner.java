package io.shaver.spark;

import org.apache.spark.Partitioner;

/**
 * Range partitioner of the aggregation shuffle: partition p holds a contiguous range of block
 * indices, so that partitions sorted by key and written in partition order list parameters in
 * ascending order. The task report ({@link TaskReport#KEY}) goes to partition 0.
 */
final class BlockPartitioner extends Partitioner {

  private static final long serialVersionUID = 1L;

  private final int blocks;
  private final int partitions;

  BlockPartitioner(int blocks, int partitions) {
    if (blocks < 1 || partitions < 1) {
      throw new IllegalArgumentException("blocks and partitions must be >= 1, got " + blocks
          + " and " + partitions);
    }
    this.blocks = blocks;
    this.partitions = partitions;
  }

  @Override
  public int numPartitions() {
    return partitions;
  }

  @Override
  public int getPartition(Object key) {
    int block = (Integer) key;
    if (block < 0) {
      return 0;
    }
    return (int) Math.min(partitions - 1, (long) block * partitions / blocks);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof BlockPartitioner that && that.blocks == blocks
        && that.partitions == partitions;
  }

  @Override
  public int hashCode() {
    return 31 * blocks + partitions;
  }
}
