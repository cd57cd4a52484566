package io.shaver.data;

import java.io.Serializable;
import java.util.List;

/** Turns the column values of one input row into a label and one token or id per field. */
interface ColumnDecoder extends Serializable {

  /** The feature fields, in the order of the decoded tokens or ids. */
  List<FieldSpec> fields();

  /**
   * Decodes {@code columns} into {@code out}, a fresh result.
   *
   * @param columns column values in source order; null stands for a missing value (Parquet)
   * @param explain whether to fill {@link DecodedRow#detail} when the row is rejected; the
   *     driver sets it to describe the first bad rows, tasks do not
   */
  void decode(String[] columns, DecodedRow out, boolean explain);
}
