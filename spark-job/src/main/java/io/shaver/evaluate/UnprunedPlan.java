package io.shaver.evaluate;

import io.shaver.model.CtrModel;

/** One variant that serves the trained table unchanged: the reference every method is compared with. */
final class UnprunedPlan implements ServingPlan {

  private static final long serialVersionUID = 1L;

  @Override
  public int variants() {
    return 1;
  }

  @Override
  public ServedTables open(CtrModel model) {
    return (variant, ids, batch, x0) -> model.embed(ids, batch, x0);
  }
}
