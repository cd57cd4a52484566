package io.shaver.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.nvrtc;
import org.bytedeco.cuda.nvrtc._nvrtcProgram;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * The element-wise kernels of {@link CudaWalkOps}, compiled from {@code walk_kernels.cu} by
 * NVRTC to PTX for the device's compute capability and loaded as a driver-API module. The
 * driver compiles the PTX to machine code on load, so the driver must support the PTX version
 * of the NVRTC in use (it does when both come from the same CUDA release or the driver is
 * newer).
 */
final class CudaKernels implements AutoCloseable {

  static final String BUILD_STATES = "build_states";
  static final String ADD_BIAS = "add_bias";
  static final String FM_TERM = "fm_term";
  static final String LOG_LOSS = "log_loss";

  private static final String SOURCE = "walk_kernels.cu";

  private final CUmod_st module;
  private final Map<String, CUfunc_st> functions = new HashMap<>();

  private CudaKernels(CUmod_st module) {
    this.module = module;
  }

  /** Compiles and loads the kernels for {@code device}, which must be current. */
  static CudaKernels compile(int device) {
    Cuda.checkDriver(cudart.cuInit(0), "cuInit");
    int[] major = new int[1];
    int[] minor = new int[1];
    Cuda.check(cudart.cudaDeviceGetAttribute(major,
        cudart.cudaDevAttrComputeCapabilityMajor, device), "cudaDeviceGetAttribute");
    Cuda.check(cudart.cudaDeviceGetAttribute(minor,
        cudart.cudaDevAttrComputeCapabilityMinor, device), "cudaDeviceGetAttribute");
    // No fused multiply-add, so the kernels round like the Java loops of HostWalkOps.
    String[] options = {"--gpu-architecture=compute_" + major[0] + minor[0], "--fmad=false"};
    byte[] ptx = toPtx(source(), options);

    CUmod_st module = new CUmod_st();
    try (BytePointer image = new BytePointer(ptx)) {
      Cuda.checkDriver(cudart.cuModuleLoadData(module, image), "cuModuleLoadData");
    }
    CudaKernels kernels = new CudaKernels(module);
    for (String name : new String[] {BUILD_STATES, ADD_BIAS, FM_TERM, LOG_LOSS}) {
      CUfunc_st function = new CUfunc_st();
      Cuda.checkDriver(cudart.cuModuleGetFunction(function, module, name),
          "cuModuleGetFunction(" + name + ")");
      kernels.functions.put(name, function);
    }
    return kernels;
  }

  /**
   * Launches kernel {@code name} on the default stream with {@code grid} blocks of
   * {@code block} threads. Each argument is a device {@link Pointer} or an {@link Integer},
   * in the order of the kernel's parameters.
   */
  void launch(String name, int grid, int block, Object... arguments) {
    Pointer[] values = new Pointer[arguments.length];
    try (PointerPointer<Pointer> parameters = new PointerPointer<>(arguments.length)) {
      for (int i = 0; i < arguments.length; i++) {
        values[i] = parameter(arguments[i]);
        parameters.put(i, values[i]);
      }
      Cuda.checkDriver(cudart.cuLaunchKernel(functions.get(name), grid, 1, 1, block, 1, 1, 0,
          (CUstream_st) null, parameters, (PointerPointer<?>) null), "cuLaunchKernel(" + name
          + ")");
    } finally {
      for (Pointer value : values) {
        if (value != null) {
          value.close();
        }
      }
    }
  }

  /** Returns host memory holding the argument's value, as cuLaunchKernel expects. */
  private static Pointer parameter(Object argument) {
    if (argument instanceof Integer value) {
      return new IntPointer(1).put(value);
    }
    if (argument instanceof Pointer device) {
      return new PointerPointer<>(1).put(0, device);
    }
    throw new IllegalArgumentException("kernel argument must be an Integer or a device Pointer,"
        + " got " + argument);
  }

  @Override
  public void close() {
    cudart.cuModuleUnload(module);
  }

  private static String source() {
    try (InputStream in = CudaKernels.class.getResourceAsStream(SOURCE)) {
      if (in == null) {
        throw new IllegalStateException("kernel source " + SOURCE + " not found on the"
            + " class path next to " + CudaKernels.class.getName());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to read kernel source " + SOURCE, e);
    }
  }

  private static byte[] toPtx(String source, String[] options) {
    _nvrtcProgram program = new _nvrtcProgram();
    try (BytePointer text = new BytePointer(source); BytePointer name = new BytePointer(SOURCE)) {
      Cuda.checkNvrtc(nvrtc.nvrtcCreateProgram(program, text, name, 0, (PointerPointer<?>) null,
          (PointerPointer<?>) null), "nvrtcCreateProgram", null);
    }
    try (PointerPointer<BytePointer> flags = new PointerPointer<>(options)) {
      int result = nvrtc.nvrtcCompileProgram(program, options.length, flags);
      Cuda.checkNvrtc(result, "nvrtcCompileProgram " + String.join(" ", options),
          log(program));
      try (SizeTPointer size = new SizeTPointer(1)) {
        Cuda.checkNvrtc(nvrtc.nvrtcGetPTXSize(program, size), "nvrtcGetPTXSize", null);
        byte[] ptx = new byte[(int) size.get()];
        Cuda.checkNvrtc(nvrtc.nvrtcGetPTX(program, ptx), "nvrtcGetPTX", null);
        return ptx;
      }
    } finally {
      nvrtc.nvrtcDestroyProgram(program);
    }
  }

  private static String log(_nvrtcProgram program) {
    try (SizeTPointer size = new SizeTPointer(1)) {
      if (nvrtc.nvrtcGetProgramLogSize(program, size) != nvrtc.NVRTC_SUCCESS) {
        return null;
      }
      byte[] text = new byte[(int) size.get()];
      if (nvrtc.nvrtcGetProgramLog(program, text) != nvrtc.NVRTC_SUCCESS) {
        return null;
      }
      return new String(text, StandardCharsets.UTF_8).trim();
    }
  }
}
