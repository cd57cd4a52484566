package io.shaver.shapley;

import io.shaver.model.CtrModel;
import io.shaver.model.IncrementalForward;
import java.util.Arrays;

/**
 * Permutation walks of the per-sample Shapley games of Shaver (Tran et al., "On-device
 * Content-based Recommendation with Single-shot Embedding Pruning: A Cooperative Game
 * Perspective", WWW 2025), for a batch of samples in lock-step.
 *
 * <p>The players of sample x are its m * d looked-up coordinates. A walk starts with every
 * coordinate present and removes them one per step in the order of the sample's permutation;
 * a removed coordinate takes its {@link Placeholder} value. The marginal contribution of the
 * coordinate removed at a step is loss after the removal minus loss before it (binary
 * cross-entropy from the logit, in double), credited to the global parameter
 * {@code id(x, f) * d + j}. Reading the removal order backwards gives a uniform arrival
 * order, so each walk is an unbiased estimate of the per-sample Shapley values of v = -loss.
 *
 * <p>Evaluations per sample and walk: one full forward when the incremental state is reset,
 * m * d - 1 incremental steps, and one full forward ({@link CtrModel#logits}) of the input with
 * every coordinate absent for the last step, so m * d + 1 in all. The last step uses a full
 * forward so that each walk's contributions add up to loss(all absent) - loss(intact) of the
 * model's own forward, whatever rounding the incremental updates accumulate. That rounding
 * lands on the last removal that changed the input. A removal that does not change the input,
 * because the coordinate already equals its placeholder, contributes exactly 0.
 *
 * <p>NOTE: a coordinate that changes the input but cannot change the output (for example one
 * whose weights are all 0) gets exactly 0 only if the model's incremental and full forwards
 * agree bit for bit; otherwise it takes the float rounding gap when it is removed last.
 *
 * <p>Antithetic mode walks each sample a second time along the reverse of its permutation and
 * credits the mean of the two contributions as one draw. The all-absent forward is shared, so
 * a sample costs 2 * m * d + 1 evaluations.
 *
 * <p>Buffers are allocated once, so a walk allocates nothing per step. Not thread-safe: one
 * engine per worker thread. Close it to release the model's incremental state.
 */
public final class WalkEngine implements Walker {
  private final CtrModel model;
  private final float[] table;
  private final TableLayout layout;
  private final Placeholder placeholder;
  private final PermutationSource permutations;
  private final boolean antithetic;
  private final int maxBatch;
  private final IncrementalForward forward;

  private final int[] ids;
  private final float[] intact;
  private final float[] absent;
  private final float[] labels;
  private final int[] sampleOrder;
  // Step-major buffers: entry (position, b) sits at position * maxBatch + b, so each step
  // reads and writes one contiguous row instead of one cache line per sample.
  private final int[] order;
  private final boolean[] changes;
  private final double[] contributions;
  private final int[] coordinate;
  private final int[] lastChanged;
  private final float[] value;
  private final float[] logits;
  private final double[] lossBefore;
  private final double[] lossAbsent;

  /**
   * Opens an engine.
   *
   * @param maxBatch largest number of samples per {@link #walk} call, >= 1
   * @throws IllegalArgumentException if the model's table does not match the layout or the
   *     placeholder covers a different number of coordinates
   */
  public WalkEngine(CtrModel model, TableLayout layout, Placeholder placeholder,
      PermutationSource permutations, boolean antithetic, int maxBatch) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
    }
    if (model.embeddingTable().length != layout.parameters()) {
      throw new IllegalArgumentException("model table has " + model.embeddingTable().length
          + " parameters but the layout has n * d = " + layout.parameters());
    }
    if (placeholder.coordinates() != layout.coordinates()) {
      throw new IllegalArgumentException("placeholder covers " + placeholder.coordinates()
          + " coordinates but samples have m * d = " + layout.coordinates());
    }
    this.model = model;
    this.table = model.embeddingTable();
    this.layout = layout;
    this.placeholder = placeholder;
    this.permutations = permutations;
    this.antithetic = antithetic;
    this.maxBatch = maxBatch;

    int coordinates = layout.coordinates();
    this.ids = new int[maxBatch * layout.fields()];
    this.intact = new float[maxBatch * coordinates];
    this.absent = new float[maxBatch * coordinates];
    for (int b = 0; b < maxBatch; b++) {
      placeholder.fill(absent, b * coordinates);
    }
    this.labels = new float[maxBatch];
    this.sampleOrder = new int[coordinates];
    this.order = new int[coordinates * maxBatch];
    this.changes = new boolean[coordinates * maxBatch];
    this.contributions = new double[coordinates * maxBatch];
    this.coordinate = new int[maxBatch];
    this.lastChanged = new int[maxBatch];
    this.value = new float[maxBatch];
    this.logits = new float[maxBatch];
    this.lossBefore = new double[maxBatch];
    this.lossAbsent = new double[maxBatch];
    this.forward = model.openIncremental(maxBatch);
  }

  @Override
  public long evaluationsPerSample() {
    long coordinates = layout.coordinates();
    return antithetic ? 2 * coordinates + 1 : coordinates + 1;
  }

  @Override
  public long walk(EncodedSamples data, int from, int count, long pass,
      ShapleyAccumulator accumulator) {
    if (count < 1 || count > maxBatch) {
      throw new IllegalArgumentException(
          "count must be in [1, " + maxBatch + "], got " + count);
    }
    load(data, from, count, pass);
    Arrays.fill(contributions, 0.0);

    walkOnce(count, false);
    if (antithetic) {
      walkOnce(count, true);
    }
    credit(count, accumulator);
    return count * evaluationsPerSample();
  }

  private void load(EncodedSamples data, int from, int count, long pass) {
    int fields = layout.fields();
    int d = layout.dimension();
    int coordinates = layout.coordinates();
    data.copyIds(from, count, ids);
    for (int b = 0; b < count; b++) {
      labels[b] = data.label(from + b);
      for (int f = 0; f < fields; f++) {
        System.arraycopy(table, ids[b * fields + f] * d, intact, b * coordinates + f * d, d);
      }
      permutations.permutation(pass, data.key(from + b), coordinates, sampleOrder, 0);
      for (int position = 0; position < coordinates; position++) {
        int c = sampleOrder[position];
        order[position * maxBatch + b] = c;
        changes[position * maxBatch + b] = intact[b * coordinates + c] != placeholder.value(c);
      }
    }
    model.logits(ids, absent, count, logits);
    for (int b = 0; b < count; b++) {
      lossAbsent[b] = LogLoss.fromLogit(logits[b], labels[b]);
    }
  }

  /**
   * Removes every coordinate of each sample in permutation order (reversed if asked). A
   * removal that leaves the input unchanged (the coordinate already equals its placeholder)
   * contributes exactly 0. The gap between the last incremental loss and the all-absent full
   * forward goes to the last removal that did change the input.
   */
  private void walkOnce(int count, boolean reversed) {
    int coordinates = layout.coordinates();
    forward.reset(ids, intact, count);
    forward.logits(logits);
    for (int b = 0; b < count; b++) {
      lossBefore[b] = LogLoss.fromLogit(logits[b], labels[b]);
      lastChanged[b] = -1;
    }
    for (int step = 0; step < coordinates; step++) {
      int row = (reversed ? coordinates - 1 - step : step) * maxBatch;
      for (int b = 0; b < count; b++) {
        int c = order[row + b];
        coordinate[b] = c;
        value[b] = placeholder.value(c);
        if (changes[row + b]) {
          lastChanged[b] = row + b;
        }
      }
      if (step == coordinates - 1) {
        break;
      }
      forward.replace(coordinate, value);
      forward.logits(logits);
      for (int b = 0; b < count; b++) {
        if (changes[row + b]) {
          // An unchanged input keeps lossBefore, so contributions still telescope exactly.
          double loss = LogLoss.fromLogit(logits[b], labels[b]);
          contributions[row + b] += loss - lossBefore[b];
          lossBefore[b] = loss;
        }
      }
    }
    for (int b = 0; b < count; b++) {
      if (lastChanged[b] >= 0) {
        contributions[lastChanged[b]] += lossAbsent[b] - lossBefore[b];
      }
    }
  }

  /** Credits each sample's contributions in permutation order, one draw per sample. */
  private void credit(int count, ShapleyAccumulator accumulator) {
    int fields = layout.fields();
    int d = layout.dimension();
    int coordinates = layout.coordinates();
    double scale = antithetic ? 0.5 : 1.0;
    for (int b = 0; b < count; b++) {
      for (int position = 0; position < coordinates; position++) {
        int c = order[position * maxBatch + b];
        long parameter = (long) ids[b * fields + c / d] * d + c % d;
        accumulator.add(parameter, scale * contributions[position * maxBatch + b]);
      }
    }
    accumulator.addSamples(count);
  }

  @Override
  public void close() {
    forward.close();
  }
}
