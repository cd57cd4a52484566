package io.shaver.spark;

import java.io.Serializable;

/**
 * A value of the aggregation shuffle of one pass: the statistics of one parameter block
 * ({@link ParameterBlock}, keyed by block index) or the walk tasks' summaries
 * ({@link TaskReport}, under {@link TaskReport#KEY}). Records of the same key combine with
 * {@link #absorb}.
 */
interface PassRecord extends Serializable {

  /**
   * Adds {@code other} into this record and returns this record. Both must have the same key.
   * {@code other} is left unchanged.
   *
   * @throws IllegalArgumentException if the records differ in kind or key
   */
  PassRecord absorb(PassRecord other);
}
