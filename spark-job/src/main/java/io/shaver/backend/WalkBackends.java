package io.shaver.backend;

import io.shaver.cuda.CudaLibraries;
import io.shaver.model.ModelKind;
import io.shaver.shapley.FullStateWalker;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the walk backend for the device a task was bound to and the model it walks.
 *
 * <p>An unbound task walks on the CPU. A task bound to a GPU walks on the CUDA full-state
 * backend when the model kind is supported (DeepFM) and CUDA loads. Otherwise it walks on the
 * CPU, and the first such task per device and cause in a JVM logs a warning that names the
 * device and the model kind or the load failure. So a GPU cluster that runs on its CPUs is
 * visible in the executor logs.
 */
public final class WalkBackends {

  private static final Logger LOG = LoggerFactory.getLogger(WalkBackends.class);

  private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

  private WalkBackends() {
  }

  /**
   * Returns the backend for {@code device} and models of {@code kind}; never null.
   *
   * @throws IllegalArgumentException if the device is bound to an address that is not a CUDA
   *     device ordinal, or to an ordinal this process cannot see
   */
  public static WalkBackend select(DeviceBinding device, ModelKind kind) {
    if (!device.isBound()) {
      return CpuWalkBackend.instance();
    }
    int ordinal = ordinal(device);
    if (!FullStateWalker.supports(kind)) {
      warnOnce(device + "/" + kind, "Task was bound to {} but the GPU walk backend does not"
          + " support {} models; walking on the {} backend instead", device, kind,
          CpuWalkBackend.instance().name());
      return CpuWalkBackend.instance();
    }
    Optional<String> failure = CudaLibraries.loadFailure();
    if (failure.isPresent()) {
      warnOnce(device + "/cuda", "Task was bound to {} but the CUDA walk backend could not"
          + " load ({}); walking on the {} backend instead", device, failure.get(),
          CpuWalkBackend.instance().name());
      return CpuWalkBackend.instance();
    }
    if (ordinal >= CudaLibraries.deviceCount()) {
      throw new IllegalArgumentException("Invalid GPU address " + device + ": this process"
          + " sees " + CudaLibraries.deviceCount() + " CUDA device(s), ordinals 0 .. "
          + (CudaLibraries.deviceCount() - 1) + "; check CUDA_VISIBLE_DEVICES and the"
          + " discovery script");
    }
    return FullStateWalkBackend.cuda(device, ordinal);
  }

  /** Returns why the GPU backend cannot load in this JVM, or empty if it can. */
  public static Optional<String> gpuUnavailableReason() {
    return CudaLibraries.loadFailure();
  }

  /** Returns the CUDA device ordinal of a bound device's address. */
  static int ordinal(DeviceBinding device) {
    String address = device.address().orElseThrow();
    try {
      int ordinal = Integer.parseInt(address.trim());
      if (ordinal >= 0) {
        return ordinal;
      }
    } catch (NumberFormatException e) {
      // Reported below with the address.
    }
    throw new IllegalArgumentException("Invalid GPU address '" + address + "' of " + device
        + ": expected a CUDA device ordinal such as 0, as the discovery script lists it");
  }

  private static void warnOnce(String key, String format, Object... arguments) {
    if (WARNED.add(key)) {
      LOG.warn(format, arguments);
    }
  }
}
