package io.shaver.shapley;

import io.shaver.model.CtrModel;
import io.shaver.model.DeepFm;
import io.shaver.model.DenseLayerWeights;
import io.shaver.model.ModelKind;
import java.util.Arrays;
import java.util.List;

/**
 * Permutation walks computed from full forwards of every walk state, for devices where a few
 * large matrix products beat many small incremental updates. The walks estimate the per-sample
 * Shapley values of Shaver (Tran et al., "On-device Content-based Recommendation with
 * Single-shot Embedding Pruning: A Cooperative Game Perspective", WWW 2025).
 *
 * <p>For one sample with D = m * d coordinates and removal order {@code pi}, state t (t = 0 ..
 * D) is its input with coordinates {@code pi[0 .. t)} set to their placeholder values. The
 * walker builds all D + 1 states of a group of samples as one tall matrix, runs the model on
 * it with one GEMM per layer, computes each row's loss, and credits {@code loss(t) - loss(t -
 * 1)} to the parameter removed at step t. The contributions are those of {@link WalkEngine}
 * for the same permutations: a removal that leaves the input unchanged contributes exactly 0,
 * and the gap between the last credited loss and the all-absent loss goes to the last removal
 * that changed the input, so each walk's contributions add up to loss(all absent) -
 * loss(intact). Antithetic mode also walks the reversed order and credits the mean. Both
 * count the same evaluations per sample as the engine, m * d + 1 or 2 * m * d + 1, although
 * an antithetic walk here computes the intact and all-absent states twice.
 *
 * <p>Only DeepFM is supported: {@code logit = bias + sum_f fc[id_f] + FM(e) + MLP(e)}. The
 * dense math runs on a {@link WalkOps}; the walker itself only loads samples, draws
 * permutations and credits contributions, on the host.
 *
 * <p>Memory: a group holds up to {@code maxRows} states, so the device needs about
 * {@code maxRows * (D + sum of MLP widths + 4)} floats plus the weights.
 *
 * <p>Not thread-safe. Closing the walker closes its ops.
 */
public final class FullStateWalker implements Walker {

  /** Default largest number of states in one group of samples. */
  public static final int DEFAULT_MAX_ROWS = 1 << 16;

  private final TableLayout layout;
  private final Placeholder placeholder;
  private final PermutationSource permutations;
  private final boolean antithetic;
  private final int maxBatch;
  private final int groupSamples;
  private final WalkOps ops;
  private final float[] table;
  private final float[] firstOrder;
  private final double bias;
  private final List<DenseLayerWeights> layers;

  private final int[] ids;
  private final int[] order;
  private final boolean[] changes;
  private final double[] contributions;
  private final int[] sampleOrder;
  private final float[] intact;
  private final int[] rank;
  private final int[] reversedRank;
  private final double[] linear;
  private final float[] labels;
  private final double[] losses;

  private final WalkOps.Buffer[] weightBuffers;
  private final WalkOps.Buffer[] biasBuffers;
  private final WalkOps.Buffer[] hiddenBuffers;
  private final WalkOps.Buffer placeholderBuffer;
  private final WalkOps.Buffer intactBuffer;
  private final WalkOps.Buffer rankBuffer;
  private final WalkOps.Buffer linearBuffer;
  private final WalkOps.Buffer labelBuffer;
  private final WalkOps.Buffer stateBuffer;
  private final WalkOps.Buffer fmBuffer;
  private final WalkOps.Buffer lossBuffer;

  /**
   * Opens a walker on {@code ops} and uploads the model's dense weights. The walker owns the
   * ops once constructed; if the constructor throws, the caller must close them.
   *
   * @param maxBatch largest number of samples per {@link #walk} call, >= 1
   * @param maxRows largest number of states per group, >= 1; a group always contains at
   *     least one sample, so a sample with more than {@code maxRows - 1} coordinates exceeds it
   * @throws IllegalArgumentException if the model is not a DeepFM, its table does not match
   *     the layout, or the placeholder covers a different number of coordinates
   */
  public FullStateWalker(CtrModel model, TableLayout layout, Placeholder placeholder,
      PermutationSource permutations, boolean antithetic, int maxBatch, int maxRows,
      WalkOps ops) {
    validate(model, layout, placeholder, maxBatch, maxRows);
    DeepFm deepFm = (DeepFm) model;
    this.layout = layout;
    this.placeholder = placeholder;
    this.permutations = permutations;
    this.antithetic = antithetic;
    this.maxBatch = maxBatch;
    this.ops = ops;
    this.table = model.embeddingTable();
    this.firstOrder = deepFm.firstOrderWeights();
    this.bias = deepFm.bias();
    this.layers = deepFm.mlpLayers();

    int coordinates = layout.coordinates();
    int states = coordinates + 1;
    this.groupSamples = Math.max(1, Math.min(maxBatch, maxRows / states));
    this.ids = new int[maxBatch * layout.fields()];
    this.order = new int[maxBatch * coordinates];
    this.changes = new boolean[maxBatch * coordinates];
    this.contributions = new double[maxBatch * coordinates];
    this.sampleOrder = new int[coordinates];
    this.intact = new float[groupSamples * coordinates];
    this.rank = new int[groupSamples * coordinates];
    this.reversedRank = new int[groupSamples * coordinates];
    this.linear = new double[groupSamples];
    this.labels = new float[groupSamples];
    this.losses = new double[groupSamples * states];

    long rows = (long) groupSamples * states;
    this.weightBuffers = new WalkOps.Buffer[layers.size()];
    this.biasBuffers = new WalkOps.Buffer[layers.size()];
    this.hiddenBuffers = new WalkOps.Buffer[layers.size()];
    for (int k = 0; k < layers.size(); k++) {
      DenseLayerWeights layer = layers.get(k);
      weightBuffers[k] = uploaded(layer.weightT());
      biasBuffers[k] = uploaded(layer.bias());
      hiddenBuffers[k] = ops.allocateFloats(rows * layer.out());
    }
    float[] absent = new float[coordinates];
    placeholder.fill(absent, 0);
    this.placeholderBuffer = uploaded(absent);
    this.intactBuffer = ops.allocateFloats((long) groupSamples * coordinates);
    this.rankBuffer = ops.allocateInts((long) groupSamples * coordinates);
    this.linearBuffer = ops.allocateDoubles(groupSamples);
    this.labelBuffer = ops.allocateFloats(groupSamples);
    this.stateBuffer = ops.allocateFloats(rows * coordinates);
    this.fmBuffer = ops.allocateDoubles(rows);
    this.lossBuffer = ops.allocateDoubles(rows);
  }

  /** Returns whether this walker can walk models of {@code kind}: DeepFM only. */
  public static boolean supports(ModelKind kind) {
    return kind == ModelKind.DEEPFM;
  }

  @Override
  public long evaluationsPerSample() {
    long coordinates = layout.coordinates();
    return antithetic ? 2 * coordinates + 1 : coordinates + 1;
  }

  /** Returns the samples walked per group of states. */
  public int groupSamples() {
    return groupSamples;
  }

  @Override
  public long walk(EncodedSamples data, int from, int count, long pass,
      ShapleyAccumulator accumulator) {
    if (count < 1 || count > maxBatch) {
      throw new IllegalArgumentException(
          "count must be in [1, " + maxBatch + "], got " + count);
    }
    data.copyIds(from, count, ids);
    Arrays.fill(contributions, 0, count * layout.coordinates(), 0.0);
    for (int start = 0; start < count; start += groupSamples) {
      int size = Math.min(groupSamples, count - start);
      load(data, from, start, size, pass);
      walkGroup(start, size, rank);
      if (antithetic) {
        walkGroup(start, size, reversedRank);
      }
    }
    credit(count, accumulator);
    return count * evaluationsPerSample();
  }

  /** Looks up, permutes and uploads samples {@code [start, start + size)} of the batch. */
  private void load(EncodedSamples data, int from, int start, int size, long pass) {
    int fields = layout.fields();
    int d = layout.dimension();
    int coordinates = layout.coordinates();
    for (int i = 0; i < size; i++) {
      int b = start + i;
      labels[i] = data.label(from + b);
      double first = bias;
      for (int f = 0; f < fields; f++) {
        int row = ids[b * fields + f];
        first += firstOrder[row];
        System.arraycopy(table, row * d, intact, i * coordinates + f * d, d);
      }
      linear[i] = first;
      permutations.permutation(pass, data.key(from + b), coordinates, sampleOrder, 0);
      for (int position = 0; position < coordinates; position++) {
        int c = sampleOrder[position];
        order[b * coordinates + position] = c;
        changes[b * coordinates + position] =
            intact[i * coordinates + c] != placeholder.value(c);
        rank[i * coordinates + c] = position;
        reversedRank[i * coordinates + c] = coordinates - 1 - position;
      }
    }
    ops.upload(intact, size * coordinates, intactBuffer);
    ops.upload(linear, size, linearBuffer);
    ops.upload(labels, size, labelBuffer);
  }

  /**
   * Computes the losses of every state of the group for the removal ranks {@code ranks}
   * (forward or reversed) and adds each removal's contribution.
   */
  private void walkGroup(int start, int size, int[] ranks) {
    int coordinates = layout.coordinates();
    int states = coordinates + 1;
    int rows = size * states;
    ops.upload(ranks, size * coordinates, rankBuffer);
    ops.buildStates(intactBuffer, rankBuffer, placeholderBuffer, size, coordinates,
        stateBuffer);
    WalkOps.Buffer input = stateBuffer;
    int width = coordinates;
    for (int k = 0; k < layers.size(); k++) {
      int out = layers.get(k).out();
      ops.gemm(input, weightBuffers[k], hiddenBuffers[k], rows, width, out);
      ops.addBias(hiddenBuffers[k], biasBuffers[k], rows, out, k < layers.size() - 1);
      input = hiddenBuffers[k];
      width = out;
    }
    ops.fmTerm(stateBuffer, rows, layout.fields(), layout.dimension(), fmBuffer);
    ops.logLoss(input, fmBuffer, linearBuffer, labelBuffer, rows, states, lossBuffer);
    ops.download(lossBuffer, rows, losses);

    boolean reversed = ranks == reversedRank;
    for (int i = 0; i < size; i++) {
      addContributions(start + i, i * states, reversed);
    }
  }

  /**
   * Adds the contributions of sample {@code b}, whose state losses start at
   * {@code losses[base]}, in the same way as {@link WalkEngine}: unchanged removals get 0 and
   * the gap to the all-absent loss goes to the last removal that changed the input.
   */
  private void addContributions(int b, int base, boolean reversed) {
    int coordinates = layout.coordinates();
    double before = losses[base];
    int lastChanged = -1;
    for (int step = 0; step < coordinates; step++) {
      int index = b * coordinates + (reversed ? coordinates - 1 - step : step);
      if (changes[index]) {
        double loss = losses[base + step + 1];
        contributions[index] += loss - before;
        before = loss;
        lastChanged = index;
      }
    }
    if (lastChanged >= 0) {
      contributions[lastChanged] += losses[base + coordinates] - before;
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
        int c = order[b * coordinates + position];
        long parameter = (long) ids[b * fields + c / d] * d + c % d;
        accumulator.add(parameter, scale * contributions[b * coordinates + position]);
      }
    }
    accumulator.addSamples(count);
  }

  private WalkOps.Buffer uploaded(float[] values) {
    WalkOps.Buffer buffer = ops.allocateFloats(values.length);
    ops.upload(values, values.length, buffer);
    return buffer;
  }

  private static void validate(CtrModel model, TableLayout layout, Placeholder placeholder,
      int maxBatch, int maxRows) {
    if (!(model instanceof DeepFm)) {
      throw new IllegalArgumentException("full-state walks support only " + ModelKind.DEEPFM
          + " models, got " + model.config().kind());
    }
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
    }
    if (maxRows < 1) {
      throw new IllegalArgumentException("maxRows must be >= 1, got " + maxRows);
    }
    if (model.embeddingTable().length != layout.parameters()) {
      throw new IllegalArgumentException("model table has " + model.embeddingTable().length
          + " parameters but the layout has n * d = " + layout.parameters());
    }
    if (placeholder.coordinates() != layout.coordinates()) {
      throw new IllegalArgumentException("placeholder covers " + placeholder.coordinates()
          + " coordinates but samples have m * d = " + layout.coordinates());
    }
  }

  @Override
  public void close() {
    ops.close();
  }
}
