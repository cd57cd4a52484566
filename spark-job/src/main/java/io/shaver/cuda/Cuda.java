package io.shaver.cuda;

import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.nvrtc;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

/** Status checks of CUDA runtime, driver, cuBLAS and NVRTC calls. */
final class Cuda {

  private Cuda() {
  }

  /** Throws if a CUDA runtime call failed. */
  static void check(int code, String call) {
    if (code != cudart.cudaSuccess) {
      throw new IllegalStateException(call + " failed: CUDA error " + code + " ("
          + cudart.cudaGetErrorString(code).getString() + ")");
    }
  }

  /** Throws if a CUDA driver call failed. */
  static void checkDriver(int code, String call) {
    if (code != cudart.CUDA_SUCCESS) {
      String message = "unknown";
      try (PointerPointer<BytePointer> text = new PointerPointer<>(1)) {
        if (cudart.cuGetErrorString(code, text) == cudart.CUDA_SUCCESS
            && text.get(0) != null) {
          message = text.getString(0);
        }
      }
      throw new IllegalStateException(call + " failed: CUDA driver error " + code + " ("
          + message + ")");
    }
  }

  /** Throws if a cuBLAS call failed. */
  static void checkBlas(int status, String call) {
    if (status != cublas.CUBLAS_STATUS_SUCCESS) {
      throw new IllegalStateException(call + " failed: cuBLAS status " + status + " ("
          + cublas.cublasGetStatusString(status).getString() + ")");
    }
  }

  /** Throws if an NVRTC call failed, adding {@code log} (the compiler output) when given. */
  static void checkNvrtc(int result, String call, String log) {
    if (result != nvrtc.NVRTC_SUCCESS) {
      throw new IllegalStateException(call + " failed: NVRTC result " + result + " ("
          + nvrtc.nvrtcGetErrorString(result).getString() + ")"
          + (log == null || log.isBlank() ? "" : "\n" + log));
    }
  }
}
