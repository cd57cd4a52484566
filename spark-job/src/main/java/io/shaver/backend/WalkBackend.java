package io.shaver.backend;

import io.shaver.model.CtrModel;
import io.shaver.shapley.PermutationSource;
import io.shaver.shapley.Placeholder;
import io.shaver.shapley.TableLayout;
import io.shaver.shapley.WalkEngine;
import io.shaver.shapley.Walker;

/**
 * Where the dense math of Shapley walks runs. A backend opens walkers; every backend
 * must credit the same contributions to the same parameters, so that phi does not depend on
 * the backend beyond float rounding.
 */
public interface WalkBackend {

  /** Returns a short name for logs, for example {@code cpu (ND4J)}. */
  String name();

  /** Returns the device this backend computes on. */
  DeviceBinding device();

  /**
   * Opens a walker for batches of up to {@code maxBatch} samples. The caller owns it and must
   * close it.
   *
   * @throws IllegalArgumentException on the conditions of {@link WalkEngine#WalkEngine}, or if
   *     this backend cannot walk the model's kind
   */
  Walker open(CtrModel model, TableLayout layout, Placeholder placeholder,
      PermutationSource permutations, boolean antithetic, int maxBatch);
}
