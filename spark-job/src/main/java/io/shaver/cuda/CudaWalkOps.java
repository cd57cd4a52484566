package io.shaver.cuda;

import io.shaver.shapley.WalkOps;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Pointer;

/**
 * {@link WalkOps} on one CUDA device: cuBLAS sgemm for the matrix products and the kernels of
 * {@link CudaKernels} for the rest. Everything runs on the default stream, so each operation
 * starts after the previous one, and {@link #download} waits for all of them.
 *
 * <p>cuBLAS runs in its default math mode, so sgemm computes in FP32 (no TF32 unless the
 * environment forces it, for example with {@code NVIDIA_TF32_OVERRIDE=1}).
 *
 * <p>NOTE: nothing in this class has run on a GPU yet. The build machine has none, so only
 * {@link io.shaver.shapley.HostWalkOps}, which implements the same operations, is tested; run
 * {@code bin/gpu-check} on a GPU machine to compare this class with the CPU walks.
 */
public final class CudaWalkOps implements WalkOps {

  private static final int BLOCK = 256;
  private static final int MAX_GRID = 65_535;

  private final int device;
  private final cublasContext blas;
  private final CudaKernels kernels;
  private final List<DeviceBuffer> buffers = new ArrayList<>();
  private final FloatPointer alpha = new FloatPointer(1f);
  private final FloatPointer beta = new FloatPointer(0f);
  private boolean closed;

  private record DeviceBuffer(Pointer address, long length, int elementSize)
      implements Buffer {
  }

  /**
   * Opens ops on device {@code device}: creates its context, a cuBLAS handle and the compiled
   * kernels.
   *
   * @throws IllegalStateException if CUDA did not load or a CUDA call fails
   * @throws IllegalArgumentException if {@code device} is not a visible device ordinal
   */
  public CudaWalkOps(int device) {
    CudaLibraries.loadFailure().ifPresent(reason -> {
      throw new IllegalStateException("CUDA is not available: " + reason);
    });
    if (device < 0 || device >= CudaLibraries.deviceCount()) {
      throw new IllegalArgumentException("CUDA device " + device + " is not visible: "
          + CudaLibraries.deviceCount() + " device(s), ordinals 0 .. "
          + (CudaLibraries.deviceCount() - 1) + " (after CUDA_VISIBLE_DEVICES)");
    }
    this.device = device;
    Cuda.check(cudart.cudaSetDevice(device), "cudaSetDevice(" + device + ")");
    // Creates the device's primary context, which the driver-API kernel launches then use.
    Cuda.check(cudart.cudaFree(null), "cudaFree(null)");
    this.blas = new cublasContext();
    Cuda.checkBlas(cublas.cublasCreate_v2(blas), "cublasCreate");
    Cuda.checkBlas(cublas.cublasSetMathMode(blas, cublas.CUBLAS_DEFAULT_MATH),
        "cublasSetMathMode");
    CudaKernels compiled;
    try {
      compiled = CudaKernels.compile(device);
    } catch (RuntimeException e) {
      cublas.cublasDestroy_v2(blas);
      throw e;
    }
    this.kernels = compiled;
  }

  @Override
  public String name() {
    return "cuda:" + device;
  }

  @Override
  public Buffer allocateFloats(long length) {
    return allocate(length, Float.BYTES);
  }

  @Override
  public Buffer allocateInts(long length) {
    return allocate(length, Integer.BYTES);
  }

  @Override
  public Buffer allocateDoubles(long length) {
    return allocate(length, Double.BYTES);
  }

  private Buffer allocate(long length, int elementSize) {
    activate();
    Pointer address = new Pointer();
    Cuda.check(cudart.cudaMalloc(address, Math.max(1, length) * elementSize),
        "cudaMalloc(" + length * elementSize + " bytes)");
    DeviceBuffer buffer = new DeviceBuffer(address, length, elementSize);
    buffers.add(buffer);
    return buffer;
  }

  @Override
  public void upload(float[] source, int length, Buffer target) {
    try (FloatPointer host = new FloatPointer(length)) {
      host.put(source, 0, length);
      copyIn(host, (long) length * Float.BYTES, target, Float.BYTES);
    }
  }

  @Override
  public void upload(int[] source, int length, Buffer target) {
    try (IntPointer host = new IntPointer(length)) {
      host.put(source, 0, length);
      copyIn(host, (long) length * Integer.BYTES, target, Integer.BYTES);
    }
  }

  @Override
  public void upload(double[] source, int length, Buffer target) {
    try (DoublePointer host = new DoublePointer(length)) {
      host.put(source, 0, length);
      copyIn(host, (long) length * Double.BYTES, target, Double.BYTES);
    }
  }

  private void copyIn(Pointer host, long bytes, Buffer target, int elementSize) {
    activate();
    DeviceBuffer buffer = cast(target, elementSize, bytes / elementSize);
    Cuda.check(cudart.cudaMemcpy(buffer.address(), host, bytes,
        cudart.cudaMemcpyHostToDevice), "cudaMemcpy to the device");
  }

  @Override
  public void download(Buffer source, int length, double[] target) {
    activate();
    DeviceBuffer buffer = cast(source, Double.BYTES, length);
    try (DoublePointer host = new DoublePointer(length)) {
      Cuda.check(cudart.cudaMemcpy(host, buffer.address(), (long) length * Double.BYTES,
          cudart.cudaMemcpyDeviceToHost), "cudaMemcpy to the host");
      host.get(target, 0, length);
    }
  }

  /**
   * Multiplies row-major matrices with column-major cuBLAS: row-major {@code c = a b} is
   * column-major {@code c^T = b^T a^T}, so b comes first and no transpose is needed.
   */
  @Override
  public void gemm(Buffer a, Buffer b, Buffer c, int rows, int inner, int cols) {
    activate();
    FloatPointer left = floats(a, (long) rows * inner);
    FloatPointer right = floats(b, (long) inner * cols);
    FloatPointer result = floats(c, (long) rows * cols);
    Cuda.checkBlas(cublas.cublasSgemm_v2(blas, cublas.CUBLAS_OP_N, cublas.CUBLAS_OP_N,
        cols, rows, inner, alpha, right, cols, left, inner, beta, result, cols), "cublasSgemm");
  }

  @Override
  public void addBias(Buffer values, Buffer bias, int rows, int cols, boolean relu) {
    activate();
    long total = (long) rows * cols;
    kernels.launch(CudaKernels.ADD_BIAS, grid(total), BLOCK,
        address(values, Float.BYTES, total), address(bias, Float.BYTES, cols),
        rows, cols, relu ? 1 : 0);
  }

  @Override
  public void buildStates(Buffer intact, Buffer rank, Buffer placeholder, int samples,
      int coordinates, Buffer states) {
    activate();
    long perSample = (long) coordinates * coordinates + coordinates;
    long total = samples * perSample;
    long inputs = (long) samples * coordinates;
    kernels.launch(CudaKernels.BUILD_STATES, grid(total), BLOCK,
        address(intact, Float.BYTES, inputs), address(rank, Integer.BYTES, inputs),
        address(placeholder, Float.BYTES, coordinates), samples, coordinates,
        address(states, Float.BYTES, total));
  }

  @Override
  public void fmTerm(Buffer states, int rows, int fields, int dimension, Buffer fm) {
    activate();
    kernels.launch(CudaKernels.FM_TERM, grid(rows), BLOCK,
        address(states, Float.BYTES, (long) rows * fields * dimension), rows, fields,
        dimension, address(fm, Double.BYTES, rows));
  }

  @Override
  public void logLoss(Buffer deep, Buffer fm, Buffer linear, Buffer labels, int rows,
      int rowsPerSample, Buffer losses) {
    activate();
    int samples = (rows + rowsPerSample - 1) / rowsPerSample;
    kernels.launch(CudaKernels.LOG_LOSS, grid(rows), BLOCK,
        address(deep, Float.BYTES, rows), address(fm, Double.BYTES, rows),
        address(linear, Double.BYTES, samples), address(labels, Float.BYTES, samples), rows,
        rowsPerSample, address(losses, Double.BYTES, rows));
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    cudart.cudaSetDevice(device);
    for (DeviceBuffer buffer : buffers) {
      cudart.cudaFree(buffer.address());
    }
    buffers.clear();
    kernels.close();
    cublas.cublasDestroy_v2(blas);
    alpha.close();
    beta.close();
  }

  /** Makes this device current on the calling thread; Spark may call from another thread. */
  private void activate() {
    if (closed) {
      throw new IllegalStateException("CUDA walk ops on device " + device + " are closed");
    }
    Cuda.check(cudart.cudaSetDevice(device), "cudaSetDevice(" + device + ")");
  }

  private static int grid(long work) {
    return (int) Math.max(1, Math.min(MAX_GRID, (work + BLOCK - 1) / BLOCK));
  }

  private static DeviceBuffer cast(Buffer buffer, int elementSize, long needed) {
    if (!(buffer instanceof DeviceBuffer device) || device.elementSize() != elementSize) {
      throw new IllegalArgumentException("expected a CUDA buffer of " + elementSize
          + "-byte elements, got " + buffer);
    }
    if (needed > device.length()) {
      throw new IllegalArgumentException("CUDA buffer of " + device.length()
          + " elements is too small for " + needed);
    }
    return device;
  }

  private static Pointer address(Buffer buffer, int elementSize, long needed) {
    return cast(buffer, elementSize, needed).address();
  }

  private static FloatPointer floats(Buffer buffer, long needed) {
    return new FloatPointer(address(buffer, Float.BYTES, needed));
  }
}
