package io.shaver.compress;

import java.util.Arrays;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One total order of all n·d embedding parameters, least important first, for single-shot
 * pruning with Shapley values (Shaver: Tran et al., "On-device Content-based Recommendation with
 * Single-shot Embedding Pruning: A Cooperative Game Perspective", WWW 2025).
 *
 * <p>A budget that prunes k parameters prunes the first k of this order, so the masks of a sweep
 * are nested by construction. The order is a pure function of phi, the table and the
 * placeholders:
 * <ol>
 *   <li>primary: |phi| ascending ({@link RankingKey#ABSOLUTE}) or phi ascending
 *       ({@link RankingKey#SIGNED}); -0.0 equals 0.0;</li>
 *   <li>then |E[r, j] − placeholder(r, j)| ascending, computed in float32, so among equal phi
 *       the parameters whose pruning changes the table least go first;</li>
 *   <li>then the flat index r·d + j ascending.</li>
 * </ol>
 *
 * <p>Algorithm: each parameter gets one long key (the top 33 bits of its order-preserving phi
 * bits, then its 31-bit flat index), and the keys are sorted as primitives. Runs that share the
 * top 33 bits are sorted again by the low 31 phi bits, and runs of exactly equal phi by the
 * packed tie-break key. Every pass sorts primitive longs, with no boxing.
 *
 * <p>NOTE: memory peaks at about 20 bytes per parameter beyond the inputs (8 for the keys, 8 for
 * the parallel sort's buffer, 4 for the order); for KDD 2012 (9.6·10^7 parameters) that is about
 * 1.9 GB, plus 1.2 GB for phi (double) and the table. The order itself keeps 4 bytes per
 * parameter.
 */
public final class Ranking {

  private static final Logger LOG = LoggerFactory.getLogger(Ranking.class);

  private static final int INDEX_BITS = 31;
  private static final long INDEX_MASK = (1L << INDEX_BITS) - 1;

  private final int[] order;
  private final RankingKey key;

  private Ranking(int[] order, RankingKey key) {
    this.order = order;
    this.key = key;
  }

  /**
   * Ranks every parameter of {@code table} by {@code phi}.
   *
   * @param phi n·d Shapley values, flat index r·d + j; every value finite
   * @throws IllegalArgumentException when phi has the wrong length or a non-finite value (the
   *     message names its flat index)
   */
  public static Ranking rank(EmbeddingTable table, double[] phi, RankingKey key) {
    Objects.requireNonNull(key, "key");
    int size = Math.toIntExact(table.shape().parameters());
    if (phi.length != size) {
      throw new IllegalArgumentException("expected " + size + " phi values (n·d), got "
          + phi.length);
    }
    long started = System.nanoTime();
    long[] keys = new long[size];
    for (int i = 0; i < size; i++) {
      double value = phi[i];
      if (!Double.isFinite(value)) {
        throw new IllegalArgumentException("phi at flat index " + i + " is " + value
            + "; every Shapley value must be finite");
      }
      keys[i] = ((sortableBits(value, key) >> INDEX_BITS) << INDEX_BITS) | i;
    }
    Arrays.parallelSort(keys);

    TieBreaker ties = new TieBreaker(table, phi, key);
    forEachRun(keys, 0, size, ties::refineByLowBits);

    int[] order = new int[size];
    for (int p = 0; p < size; p++) {
      order[p] = (int) (keys[p] & INDEX_MASK);
    }
    LOG.info("Ranked {} parameters by {} in {} ms", size, key.configName(),
        (System.nanoTime() - started) / 1_000_000);
    return new Ranking(order, key);
  }

  /**
   * Maps phi to a long whose signed order equals the order of the primary key. For ABSOLUTE the
   * sign is dropped; -0.0 and 0.0 map to the same value.
   */
  static long sortableBits(double phi, RankingKey key) {
    double value = key == RankingKey.ABSOLUTE ? Math.abs(phi) : phi;
    if (value == 0.0) {
      value = 0.0;
    }
    long bits = Double.doubleToRawLongBits(value);
    // Negative doubles order reversed by magnitude: flipping the 63 value bits fixes that.
    return bits ^ ((bits >> 63) & Long.MAX_VALUE);
  }

  /** Calls {@code action} on every run of two or more keys with equal high bits. */
  private static void forEachRun(long[] keys, int from, int to, RunAction action) {
    int start = from;
    while (start < to) {
      long high = keys[start] >> INDEX_BITS;
      int end = start + 1;
      while (end < to && (keys[end] >> INDEX_BITS) == high) {
        end++;
      }
      if (end - start > 1) {
        action.refine(keys, start, end);
      }
      start = end;
    }
  }

  @FunctionalInterface
  private interface RunAction {
    void refine(long[] keys, int from, int to);
  }

  /** Sorts runs of keys that the first pass could not separate. */
  private static final class TieBreaker {
    private final float[] values;
    private final float[] codebook;
    private final FieldLayout layout;
    private final int dimension;
    private final double[] phi;
    private final RankingKey key;

    TieBreaker(EmbeddingTable table, double[] phi, RankingKey key) {
      this.values = table.valuesArray();
      this.codebook = table.codebookArray();
      this.layout = table.layout();
      this.dimension = table.shape().dimension();
      this.phi = phi;
      this.key = key;
    }

    /** Orders a run that shares the top 33 phi bits by the low 31 bits, then breaks ties. */
    void refineByLowBits(long[] keys, int from, int to) {
      for (int p = from; p < to; p++) {
        int index = (int) (keys[p] & INDEX_MASK);
        long low = sortableBits(phi[index], key) & INDEX_MASK;
        keys[p] = (low << INDEX_BITS) | index;
      }
      Arrays.sort(keys, from, to);
      forEachRun(keys, from, to, this::refineByDistance);
    }

    /** Orders a run of exactly equal phi by |E − placeholder| (its float bits), then index. */
    void refineByDistance(long[] keys, int from, int to) {
      for (int p = from; p < to; p++) {
        int index = (int) (keys[p] & INDEX_MASK);
        // A non-negative finite float's bits order like the float and fit in 31 bits.
        long distance = Float.floatToRawIntBits(distance(index));
        keys[p] = (distance << INDEX_BITS) | index;
      }
      Arrays.sort(keys, from, to);
    }

    private float distance(int index) {
      int row = index / dimension;
      int dim = index - row * dimension;
      float placeholder = codebook[layout.fieldOf(row) * dimension + dim];
      // The difference of two finite floats can overflow to infinity, which still orders last.
      return Math.abs(values[index] - placeholder);
    }
  }

  /** n·d, the number of ranked parameters. */
  public int size() {
    return order.length;
  }

  public RankingKey key() {
    return key;
  }

  /** Returns the flat index r·d + j of the parameter at {@code position} (0 = pruned first). */
  public int flatIndexAt(int position) {
    return order[position];
  }

  /** Returns a copy of the first {@code count} flat indices: the parameters a budget prunes. */
  public int[] prefix(int count) {
    return Arrays.copyOf(order, count);
  }
}
