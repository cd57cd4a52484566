package io.shaver.backend;

import io.shaver.cuda.CudaWalkOps;
import io.shaver.model.CtrModel;
import io.shaver.shapley.FullStateWalker;
import io.shaver.shapley.HostWalkOps;
import io.shaver.shapley.PermutationSource;
import io.shaver.shapley.Placeholder;
import io.shaver.shapley.TableLayout;
import io.shaver.shapley.WalkOps;
import io.shaver.shapley.Walker;
import java.util.function.Supplier;

/**
 * A backend whose walkers are {@link FullStateWalker}s: on a CUDA device (the GPU backend),
 * or on the host, which runs the same math on the CPU for checks. Each walker gets its own
 * ops, so its device buffers are freed when it is closed.
 */
public final class FullStateWalkBackend implements WalkBackend {

  private final String name;
  private final DeviceBinding device;
  private final Supplier<WalkOps> ops;
  private final int maxRows;

  private FullStateWalkBackend(String name, DeviceBinding device, Supplier<WalkOps> ops,
      int maxRows) {
    if (maxRows < 1) {
      throw new IllegalArgumentException("maxRows must be >= 1, got " + maxRows);
    }
    this.name = name;
    this.device = device;
    this.ops = ops;
    this.maxRows = maxRows;
  }

  /**
   * Returns the GPU backend on CUDA device {@code ordinal} of {@code device}. CUDA must have
   * loaded (see {@link io.shaver.cuda.CudaLibraries}); each {@link #open} creates a cuBLAS
   * handle and compiles the kernels.
   */
  public static FullStateWalkBackend cuda(DeviceBinding device, int ordinal) {
    return new FullStateWalkBackend("cuda full-state (" + device + ")", device,
        () -> new CudaWalkOps(ordinal), FullStateWalker.DEFAULT_MAX_ROWS);
  }

  /** Returns the full-state backend on the host, with up to {@code maxRows} states a group. */
  public static FullStateWalkBackend host(int maxRows) {
    return new FullStateWalkBackend("host full-state", DeviceBinding.none(), HostWalkOps::new,
        maxRows);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public DeviceBinding device() {
    return device;
  }

  /**
   * @throws IllegalArgumentException if the model is not a DeepFM, or on the conditions of
   *     {@link FullStateWalker#FullStateWalker}
   */
  @Override
  public Walker open(CtrModel model, TableLayout layout, Placeholder placeholder,
      PermutationSource permutations, boolean antithetic, int maxBatch) {
    if (!FullStateWalker.supports(model.config().kind())) {
      throw new IllegalArgumentException(name + " cannot walk " + model.config().kind()
          + " models; select the backend with WalkBackends.select(device, kind)");
    }
    WalkOps opened = ops.get();
    try {
      return new FullStateWalker(model, layout, placeholder, permutations, antithetic,
          maxBatch, maxRows, opened);
    } catch (RuntimeException e) {
      opened.close();
      throw e;
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
