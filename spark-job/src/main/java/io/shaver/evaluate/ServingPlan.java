package io.shaver.evaluate;

import io.shaver.model.CtrModel;
import java.io.Serializable;

/**
 * The embedding tables of the variants that one Spark job scores, in a form that is cheap to
 * ship to executors: each variant's table is derived on the executor from the model's own table.
 */
interface ServingPlan extends Serializable {

  /** Returns the number of variants, indexed from 0. */
  int variants();

  /** Opens the executor-side tables of this plan over {@code model}'s embedding table. */
  ServedTables open(CtrModel model);

  /** Releases driver-side resources such as broadcast variables. Idempotent. */
  default void release() {
  }

  /** Looks up embeddings of one variant; one instance is used by one task at a time. */
  interface ServedTables {

    /**
     * Writes the embeddings that variant {@code variant} serves for {@code batch} samples into
     * {@code x0}, laid out as {@link CtrModel#logits} expects.
     *
     * @param ids global row ids, {@code batch * m}, already checked to be in {@code [0, n)}
     */
    void lookup(int variant, int[] ids, int batch, float[] x0);
  }
}
