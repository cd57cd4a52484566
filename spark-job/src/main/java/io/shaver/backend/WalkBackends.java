package io.shaver.backend;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the walk backend for the device a task was bound to.
 *
 * <p>Only the CPU backend exists. A task bound to a GPU walks on the CPU and the first such
 * task per device in a JVM logs a warning naming the device, so a GPU cluster that runs on
 * its CPUs is visible in the executor logs.
 */
public final class WalkBackends {

  private static final Logger LOG = LoggerFactory.getLogger(WalkBackends.class);

  private static final Set<DeviceBinding> WARNED = ConcurrentHashMap.newKeySet();

  private WalkBackends() {
  }

  /** Returns the backend for {@code device}; never null. */
  public static WalkBackend select(DeviceBinding device) {
    if (!device.isBound()) {
      return CpuWalkBackend.instance();
    }
    // TODO: a GPU backend (cuBLAS and NVRTC kernels through the JavaCPP CUDA presets) goes
    // here and takes the bound device; until it exists every walk runs on the CPU backend.
    if (WARNED.add(device)) {
      LOG.warn("Task was bound to {} but no GPU walk backend exists in this version;"
          + " walking on the {} backend instead", device, CpuWalkBackend.instance().name());
    }
    return CpuWalkBackend.instance();
  }

  /** Returns whether a GPU walk backend is available in this build: false for now. */
  public static boolean gpuBackendAvailable() {
    return false;
  }
}
