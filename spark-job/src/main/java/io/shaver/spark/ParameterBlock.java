package io.shaver.spark;

import io.shaver.shapley.Convergence;
import io.shaver.shapley.ParameterVisitor;
import io.shaver.shapley.ShapleyAccumulator;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import scala.Tuple2;

/**
 * Statistics of one block of parameters: block b covers flat parameter indices
 * {@code [b * blockSize, min((b + 1) * blockSize, n * d))}. The statistics live in a core
 * {@link ShapleyAccumulator} over block-local indices, so merging uses the core's compensated
 * sums. The accumulator's own sample count stays 0; the run's sample count is applied only
 * when phi or convergence is computed.
 *
 * <p>Memory: a block starts hashed (about 80 bytes per touched parameter) and turns dense (32
 * bytes per parameter of the block) once more than {@link #DENSE_SHARE} of its parameters are
 * touched, so a block never takes more than about 32 bytes times the block size plus its
 * hash table. Serialized, a block takes 28 bytes per touched parameter: the local index, sum,
 * sum of squares and occurrences. The sum is sent as one double (the accumulator's sum plus
 * its compensation), which rounds it once per shuffle.
 */
final class ParameterBlock implements PassRecord {

  private static final long serialVersionUID = 1L;

  /** Touched share above which a dense accumulator takes less memory than a hashed one. */
  static final double DENSE_SHARE = 0.4;

  private final int block;
  private final int length;
  private transient boolean dense;
  private transient ShapleyAccumulator statistics;

  private ParameterBlock(int block, int length, boolean dense) {
    this.block = block;
    this.length = length;
    this.dense = dense;
    this.statistics = ShapleyAccumulator.create(length, dense ? length : 0);
  }

  /** Returns an empty block; {@code length} parameters, dense or hashed. */
  static ParameterBlock empty(int block, int length, boolean dense) {
    if (block < 0 || length < 1) {
      throw new IllegalArgumentException("block must be >= 0 and length >= 1, got block "
          + block + " and length " + length);
    }
    return new ParameterBlock(block, length, dense);
  }

  /** Returns the number of blocks of {@code parameters} parameters. */
  static int blockCount(long parameters, long blockSize) {
    return Math.toIntExact((parameters + blockSize - 1) / blockSize);
  }

  /** Returns the parameters in block {@code block}, the last block being shorter. */
  static int blockLength(int block, long parameters, long blockSize) {
    return (int) Math.min(blockSize, parameters - block * blockSize);
  }

  /**
   * Splits a task's statistics into blocks, in block order. Each block holds the parameters'
   * sums, sums of squares and occurrences; the accumulator's sample count is not copied.
   */
  static List<Tuple2<Integer, PassRecord>> split(ShapleyAccumulator statistics, long blockSize) {
    return collect(statistics::forEach, statistics.parameterCount(), blockSize);
  }

  /**
   * Cuts the parameters that {@code source} visits into blocks. Parameters of one block must
   * arrive together and in any order within it; a block that arrives in several runs becomes
   * several records, which {@link #absorb} combines later.
   *
   * @throws IllegalArgumentException if a parameter lies outside {@code [0, parameters)}
   */
  static List<Tuple2<Integer, PassRecord>> collect(Consumer<ParameterVisitor> source,
      long parameters, long blockSize) {
    List<Tuple2<Integer, PassRecord>> blocks = new ArrayList<>();
    Splitter splitter = new Splitter(parameters, blockSize, blocks);
    source.accept(splitter);
    splitter.flush();
    return blocks;
  }

  int block() {
    return block;
  }

  int length() {
    return length;
  }

  boolean isDense() {
    return dense;
  }

  long touchedParameters() {
    return statistics.touchedParameters();
  }

  /** Adds the statistics of local parameter {@code local}. */
  void add(int local, double sum, double sumOfSquares, long occurrences) {
    statistics.addStatistics(local, sum, sumOfSquares, occurrences);
  }

  @Override
  public PassRecord absorb(PassRecord other) {
    if (!(other instanceof ParameterBlock that) || that.block != block
        || that.length != length) {
      throw new IllegalArgumentException("cannot combine block " + block + " of length "
          + length + " with " + other);
    }
    if (!dense && touchedParameters() + that.touchedParameters() > DENSE_SHARE * length) {
      ShapleyAccumulator denser = ShapleyAccumulator.create(length, length);
      denser.merge(statistics);
      statistics = denser;
      dense = true;
    }
    statistics.merge(that.statistics);
    return this;
  }

  /**
   * Visits every touched parameter in ascending order with its flat index
   * {@code block * blockSize + local}.
   */
  void forEach(long blockSize, ParameterVisitor visitor) {
    long first = block * blockSize;
    statistics.forEach((local, sum, sumOfSquares, occurrences) ->
        visitor.visit(first + local, sum, sumOfSquares, occurrences));
  }

  /**
   * Returns the convergence summary of this block after {@code samples} samples: its largest
   * standard error and its phi range, 0 included when some parameter of the block is untouched.
   */
  Convergence convergence(long samples) {
    ShapleyAccumulator copy = ShapleyAccumulator.create(length, dense ? length : 0);
    copy.merge(statistics);
    copy.addSamples(samples);
    return Convergence.of(copy);
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    out.writeBoolean(dense);
    out.writeInt(Math.toIntExact(statistics.touchedParameters()));
    IOException[] failure = new IOException[1];
    statistics.forEach((local, sum, sumOfSquares, occurrences) -> {
      if (failure[0] != null) {
        return;
      }
      try {
        out.writeInt((int) local);
        out.writeDouble(sum);
        out.writeDouble(sumOfSquares);
        out.writeLong(occurrences);
      } catch (IOException e) {
        failure[0] = e;
      }
    });
    if (failure[0] != null) {
      throw failure[0];
    }
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    dense = in.readBoolean();
    int touched = in.readInt();
    statistics = ShapleyAccumulator.create(length, dense ? length : 0);
    for (int i = 0; i < touched; i++) {
      int local = in.readInt();
      double sum = in.readDouble();
      double sumOfSquares = in.readDouble();
      long occurrences = in.readLong();
      statistics.addStatistics(local, sum, sumOfSquares, occurrences);
    }
  }

  @Override
  public String toString() {
    return "ParameterBlock{block=" + block + ", length=" + length + ", touched="
        + touchedParameters() + (dense ? ", dense" : ", hashed") + "}";
  }

  /** Cuts an ascending stream of parameters into blocks. */
  private static final class Splitter implements ParameterVisitor {
    private final long parameters;
    private final long blockSize;
    private final List<Tuple2<Integer, PassRecord>> out;
    private int current = -1;
    private int size;
    private int[] locals = new int[64];
    private double[] sums = new double[64];
    private double[] squares = new double[64];
    private long[] occurrences = new long[64];

    Splitter(long parameters, long blockSize, List<Tuple2<Integer, PassRecord>> out) {
      this.parameters = parameters;
      this.blockSize = blockSize;
      this.out = out;
    }

    @Override
    public void visit(long parameter, double sum, double sumOfSquares, long count) {
      if (parameter < 0 || parameter >= parameters) {
        throw new IllegalArgumentException("parameter " + parameter + " is outside [0, "
            + parameters + ")");
      }
      int block = (int) (parameter / blockSize);
      if (block != current) {
        flush();
        current = block;
      }
      if (size == locals.length) {
        locals = Arrays.copyOf(locals, 2 * size);
        sums = Arrays.copyOf(sums, 2 * size);
        squares = Arrays.copyOf(squares, 2 * size);
        occurrences = Arrays.copyOf(occurrences, 2 * size);
      }
      locals[size] = (int) (parameter - block * blockSize);
      sums[size] = sum;
      squares[size] = sumOfSquares;
      occurrences[size] = count;
      size++;
    }

    void flush() {
      if (size == 0) {
        return;
      }
      int length = blockLength(current, parameters, blockSize);
      ParameterBlock block = empty(current, length, size > DENSE_SHARE * length);
      for (int i = 0; i < size; i++) {
        block.add(locals[i], sums[i], squares[i], occurrences[i]);
      }
      out.add(new Tuple2<>(current, block));
      size = 0;
    }
  }
}
