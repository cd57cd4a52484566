package io.shaver.bench;

import io.shaver.model.CtrModel;
import io.shaver.model.CtrModels;
import io.shaver.model.IncrementalForward;
import io.shaver.model.ModelConfig;
import io.shaver.model.ModelKind;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Forward throughput of Criteo-shaped models at batch 1024, in samples per second, and the
 * share of it spent in GEMM.
 *
 * <p>Models: 39 fields x 16 dimensions (D = 624), MLP 400-400-400 with batch norm; DCN-Mix
 * adds 3 cross layers of 4 experts of rank 64. Each field has 1000 rows to keep the table
 * small. The table size affects only the embedding lookup, and these benchmarks look the
 * inputs up once in setup. {@code full} runs {@link CtrModel#logits};
 * {@code step} runs one Shapley walk step ({@link IncrementalForward#replace} of one
 * coordinate per sample, then {@link IncrementalForward#logits}); {@code gemm} runs only the
 * GEMMs of one full forward with the same shapes; {@code interleaved} runs both in turn and
 * reports their times as the counters {@code fullNanos} and {@code gemmNanos}.
 *
 * <p>Run: {@code java -cp <classpath> org.openjdk.jmh.Main ModelForwardBench -f 1 -wi 2 -i 3}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class ModelForwardBench {

  static final int BATCH = 1024;
  static final int FIELDS = 39;
  static final int DIM = 16;
  static final int ROWS_PER_FIELD = 1000;
  static final int HIDDEN = 400;

  @Param({"deepfm", "dcn_mix"})
  public String kind;

  private CtrModel model;
  private int[] ids;
  private float[] x0;
  private float[] logits;
  private IncrementalForward forward;
  private int[][] coordinates;
  private float[] zeros;
  private int step;
  private GemmShapes gemm;

  @Setup(Level.Trial)
  public void setUp() {
    ModelConfig.Builder builder = ModelConfig.builder().kind(ModelKind.fromId(kind))
        .embeddingDim(DIM).hiddenSizes(List.of(HIDDEN, HIDDEN, HIDDEN)).batchNorm(true)
        .crossLayers(3).experts(4).rank(64);
    for (int f = 0; f < FIELDS; f++) {
      builder.addField("C" + (f + 1), ROWS_PER_FIELD);
    }
    ModelConfig config = builder.build();
    model = CtrModels.fromStateDict(config, CtrModels.randomStateDict(config, 1, 0.1));
    SplittableRandom random = new SplittableRandom(2);
    ids = new int[BATCH * FIELDS];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = config.offset(i % FIELDS) + random.nextInt(ROWS_PER_FIELD);
    }
    x0 = new float[BATCH * config.inputSize()];
    model.embed(ids, BATCH, x0);
    logits = new float[BATCH];
    forward = model.openIncremental(BATCH);
    forward.reset(ids, x0, BATCH);
    coordinates = new int[config.inputSize()][BATCH];
    for (int t = 0; t < config.inputSize(); t++) {
      for (int b = 0; b < BATCH; b++) {
        coordinates[t][b] = random.nextInt(config.inputSize());
      }
    }
    zeros = new float[BATCH];
    gemm = new GemmShapes(kind.equals("dcn_mix"), config.inputSize());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    forward.close();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public float full() {
    model.logits(ids, x0, BATCH, logits);
    return logits[0];
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public float step() {
    forward.replace(coordinates[step], zeros);
    step = (step + 1) % coordinates.length;
    forward.logits(logits);
    return logits[0];
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public double gemm() {
    return gemm.run();
  }

  /** Nanoseconds spent in the full forward and in its GEMMs alone, in the same iterations. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Split {
    public long fullNanos;
    public long gemmNanos;

    @Setup(Level.Iteration)
    public void clear() {
      fullNanos = 0;
      gemmNanos = 0;
    }
  }

  /**
   * Runs a full forward and then its GEMMs alone, accumulating both times, so that the GEMM
   * share {@code gemmNanos / fullNanos} compares runs under the same machine load.
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public double interleaved(Split split) {
    long start = System.nanoTime();
    model.logits(ids, x0, BATCH, logits);
    long middle = System.nanoTime();
    double result = gemm.run();
    long end = System.nanoTime();
    split.fullNanos += middle - start;
    split.gemmNanos += end - middle;
    return result + logits[0];
  }

  /**
   * The GEMMs of one full forward, on preallocated arrays of the same shapes. Outputs of
   * width 1 are computed by a Java loop in the models, so they are not included.
   */
  static final class GemmShapes {
    private final INDArray[] left;
    private final INDArray[] right;
    private final INDArray[] out;

    GemmShapes(boolean mixture, int inputs) {
      List<int[]> shapes = new ArrayList<>();
      if (mixture) {
        int experts = 4;
        int rank = 64;
        for (int l = 0; l < 3; l++) {
          shapes.add(new int[] {BATCH, inputs, experts * rank + experts});
          for (int e = 0; e < experts; e++) {
            shapes.add(new int[] {BATCH, rank, rank});
          }
          shapes.add(new int[] {BATCH, experts * rank, inputs});
        }
      }
      shapes.add(new int[] {BATCH, inputs, HIDDEN});
      shapes.add(new int[] {BATCH, HIDDEN, HIDDEN});
      shapes.add(new int[] {BATCH, HIDDEN, HIDDEN});
      left = new INDArray[shapes.size()];
      right = new INDArray[shapes.size()];
      out = new INDArray[shapes.size()];
      for (int i = 0; i < shapes.size(); i++) {
        int[] s = shapes.get(i);
        left[i] = Nd4j.rand(DataType.FLOAT, s[0], s[1]);
        right[i] = Nd4j.rand(DataType.FLOAT, s[1], s[2]);
        out[i] = Nd4j.create(DataType.FLOAT, s[0], s[2]);
      }
    }

    double run() {
      for (int i = 0; i < left.length; i++) {
        Nd4j.gemm(left[i], right[i], out[i], false, false, 1.0, 0.0);
      }
      return out[out.length - 1].getDouble(0);
    }
  }
}
