package io.shaver.backend;

import io.shaver.model.CtrModel;
import io.shaver.shapley.PermutationSource;
import io.shaver.shapley.Placeholder;
import io.shaver.shapley.TableLayout;
import io.shaver.shapley.WalkEngine;
import io.shaver.shapley.Walker;

/**
 * The CPU backend: the model's own forward passes, which run on ND4J (OpenBLAS sgemm) for the
 * real models. One engine per task thread; set {@code OMP_NUM_THREADS} to 1 on executors that
 * run several tasks, or the BLAS threads oversubscribe the cores.
 */
public final class CpuWalkBackend implements WalkBackend {

  private static final CpuWalkBackend INSTANCE = new CpuWalkBackend();

  private CpuWalkBackend() {
  }

  public static CpuWalkBackend instance() {
    return INSTANCE;
  }

  @Override
  public String name() {
    return "cpu (ND4J)";
  }

  @Override
  public DeviceBinding device() {
    return DeviceBinding.none();
  }

  @Override
  public Walker open(CtrModel model, TableLayout layout, Placeholder placeholder,
      PermutationSource permutations, boolean antithetic, int maxBatch) {
    return new WalkEngine(model, layout, placeholder, permutations, antithetic, maxBatch);
  }

  @Override
  public String toString() {
    return name();
  }
}
