package io.shaver.cuda;

import java.util.Optional;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.nvrtc;
import org.bytedeco.javacpp.Loader;

/**
 * Loads the CUDA runtime, cuBLAS and NVRTC through the JavaCPP CUDA presets, once per JVM,
 * and records why that failed. The presets link against the CUDA libraries installed on the
 * machine (libcudart, libcublas, libnvrtc of the CUDA major version the presets were built
 * for) and the driver's libcuda.
 */
public final class CudaLibraries {

  private static volatile Status status;

  /** Outcome of loading: the number of visible devices, or the reason nothing loaded. */
  private record Status(int devices, String failure) {
  }

  private CudaLibraries() {
  }

  /** Returns why CUDA cannot be used in this JVM, or empty if it loaded and found a device. */
  public static Optional<String> loadFailure() {
    return Optional.ofNullable(status().failure());
  }

  /** Returns the number of CUDA devices visible to this process; 0 when CUDA did not load. */
  public static int deviceCount() {
    return status().devices();
  }

  private static Status status() {
    Status loaded = status;
    if (loaded == null) {
      synchronized (CudaLibraries.class) {
        if (status == null) {
          status = load();
        }
        loaded = status;
      }
    }
    return loaded;
  }

  private static Status load() {
    try {
      Loader.load(cudart.class);
      Loader.load(cublas.class);
      Loader.load(nvrtc.class);
      int[] count = new int[1];
      int code = cudart.cudaGetDeviceCount(count);
      if (code != cudart.cudaSuccess) {
        return new Status(0, "cudaGetDeviceCount failed: "
            + cudart.cudaGetErrorString(code).getString());
      }
      if (count[0] == 0) {
        return new Status(0, "the CUDA runtime loaded but sees no device");
      }
      return new Status(count[0], null);
    } catch (LinkageError | RuntimeException e) {
      // A missing library or driver is reported as a status, so the caller falls back to the CPU.
      return new Status(0, describe(e));
    }
  }

  /** Returns the innermost cause, whose message names the missing library. */
  private static String describe(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}
