package io.shaver.shapley;

/**
 * The dense operations of a {@link FullStateWalker}, on the device of its buffers.
 * Matrices are row-major. A buffer contains floats, ints or doubles, as allocated. Passing one
 * of another element type, or of another implementation, is an error.
 *
 * <p>Not thread-safe. Closing the ops frees every buffer they allocated.
 */
public interface WalkOps extends AutoCloseable {

  /** Memory on the device, valid until the ops are closed. */
  interface Buffer {
    /** Returns the number of elements. */
    long length();
  }

  /** Returns a short name for logs, for example {@code host} or {@code cuda:0}. */
  String name();

  Buffer allocateFloats(long length);

  Buffer allocateInts(long length);

  Buffer allocateDoubles(long length);

  /** Copies {@code source[0 .. length)} to the start of {@code target}. */
  void upload(float[] source, int length, Buffer target);

  /** Copies {@code source[0 .. length)} to the start of {@code target}. */
  void upload(int[] source, int length, Buffer target);

  /** Copies {@code source[0 .. length)} to the start of {@code target}. */
  void upload(double[] source, int length, Buffer target);

  /** Copies the first {@code length} doubles of {@code source} to {@code target[0 ..)}. */
  void download(Buffer source, int length, double[] target);

  /** Computes {@code c = a b} for {@code a [rows, inner]} and {@code b [inner, cols]}, floats. */
  void gemm(Buffer a, Buffer b, Buffer c, int rows, int inner, int cols);

  /**
   * Adds {@code bias [cols]} to each row of {@code values [rows, cols]}, then applies ReLU if
   * {@code relu} is true.
   */
  void addBias(Buffer values, Buffer bias, int rows, int cols, boolean relu);

  /**
   * Builds every walk state of {@code samples} samples: row {@code b * (D + 1) + t} of
   * {@code states [samples * (D + 1), D]} is sample b's input with each coordinate c whose
   * {@code rank[b * D + c] < t} replaced by {@code placeholder[c]}, where D is
   * {@code coordinates}. So row t of a sample has the first t coordinates of its removal order
   * absent, and the ranks must be a permutation of {@code 0 .. D - 1} per sample.
   *
   * @param intact floats {@code [samples, D]}: the looked-up embeddings
   * @param rank ints {@code [samples, D]}: the step at which each coordinate is removed
   * @param placeholder floats {@code [D]}
   */
  void buildStates(Buffer intact, Buffer rank, Buffer placeholder, int samples,
      int coordinates, Buffer states);

  /**
   * Computes the factorization-machine term of each row of {@code states [rows, m * d]} into
   * the doubles {@code fm [rows]}: {@code 1/2 sum_j [(sum_f x_fj)^2 - sum_f x_fj^2]}, summed in
   * double.
   */
  void fmTerm(Buffer states, int rows, int fields, int dimension, Buffer fm);

  /**
   * Computes the binary cross-entropy of each row into the doubles {@code losses [rows]}: the
   * logit is {@code (float) (linear[b] + fm[r] + deep[r])} with {@code b = r / rowsPerSample},
   * and the loss is {@link LogLoss#fromLogit} of it and {@code labels[b]}.
   *
   * @param deep floats {@code [rows]}: the MLP's output
   * @param fm doubles {@code [rows]}
   * @param linear doubles {@code [rows / rowsPerSample]}: bias plus first-order terms
   * @param labels floats {@code [rows / rowsPerSample]}
   */
  void logLoss(Buffer deep, Buffer fm, Buffer linear, Buffer labels, int rows,
      int rowsPerSample, Buffer losses);

  /** Frees every buffer and any device state. */
  @Override
  void close();
}
