package io.shaver.backend;

import io.shaver.model.CtrModel;
import io.shaver.shapley.PermutationSource;
import io.shaver.shapley.Placeholder;
import io.shaver.shapley.TableLayout;
import io.shaver.shapley.WalkEngine;

/**
 * Where the dense math of Shapley walks runs. A backend opens walk engines; every backend
 * must credit the same contributions to the same parameters, so that phi does not depend on
 * the backend beyond float rounding.
 */
public interface WalkBackend {

  /** Returns a short name for logs, for example {@code cpu (ND4J)}. */
  String name();

  /** Returns the device this backend computes on. */
  DeviceBinding device();

  /**
   * Opens a walk engine for batches of up to {@code maxBatch} samples.
   *
   * @see WalkEngine#WalkEngine
   */
  WalkEngine open(CtrModel model, TableLayout layout, Placeholder placeholder,
      PermutationSource permutations, boolean antithetic, int maxBatch);
}
