package io.shaver.shapley;

import io.shaver.model.CtrModel;
import io.shaver.model.IncrementalForward;
import io.shaver.model.ModelConfig;
import io.shaver.model.ModelKind;
import java.util.List;
import java.util.Random;

/**
 * Small hand-written DeepFM-like model for tests: logit = bias + first-order weights of the ids
 * + optional FM term + one ReLU layer. Computed per sample in double, so a sample's logit never
 * depends on the rest of the batch, and its incremental forward recomputes everything, so it
 * agrees with {@link #logits} bit for bit. Public so that the Spark tests can build the same
 * model on executors from its seed.
 */
public final class TinyMlpModel implements CtrModel {
  final TableLayout layout;
  final float[] table;
  final float[] firstOrder;
  final double bias;
  final double[][] hiddenWeights;
  final double[] hiddenBias;
  final double[] outputWeights;
  final boolean fm;

  public TinyMlpModel(TableLayout layout, int hidden, boolean fm, long seed) {
    Random random = new Random(seed);
    int n = (int) layout.rows();
    int inputs = layout.coordinates();
    this.layout = layout;
    this.fm = fm;
    this.table = new float[(int) layout.parameters()];
    for (int i = 0; i < table.length; i++) {
      table[i] = (float) (0.5 * random.nextGaussian());
    }
    this.firstOrder = new float[n];
    for (int i = 0; i < n; i++) {
      firstOrder[i] = (float) (0.1 * random.nextGaussian());
    }
    this.bias = 0.1 * random.nextGaussian();
    this.hiddenWeights = new double[hidden][inputs];
    this.hiddenBias = new double[hidden];
    this.outputWeights = new double[hidden];
    for (int k = 0; k < hidden; k++) {
      for (int c = 0; c < inputs; c++) {
        hiddenWeights[k][c] = random.nextGaussian() / Math.sqrt(inputs);
      }
      hiddenBias[k] = 0.1 * random.nextGaussian();
      outputWeights[k] = random.nextGaussian() / Math.sqrt(hidden);
    }
  }

  /** Makes input coordinate {@code c} unable to affect the MLP (the FM term still reads it). */
  TinyMlpModel zeroInput(int c) {
    for (double[] row : hiddenWeights) {
      row[c] = 0.0;
    }
    return this;
  }

  /** Returns a DeepFM-shaped description; the first-order weights and FM flag are extra. */
  @Override
  public ModelConfig config() {
    ModelConfig.Builder builder = ModelConfig.builder().kind(ModelKind.DEEPFM)
        .embeddingDim(layout.dimension()).hiddenSizes(List.of(hiddenBias.length))
        .batchNorm(false);
    for (int f = 0; f < layout.fields(); f++) {
      builder.addField("field_" + f, layout.fieldSize(f));
    }
    return builder.build();
  }

  @Override
  public float[] embeddingTable() {
    return table;
  }

  @Override
  public void logits(int[] ids, float[] x0, int batch, float[] out) {
    for (int b = 0; b < batch; b++) {
      out[b] = logit(ids, x0, b);
    }
  }

  float logit(int[] ids, float[] x0, int b) {
    int m = layout.fields();
    int d = layout.dimension();
    int inputs = layout.coordinates();
    int base = b * inputs;
    double z = bias;
    for (int f = 0; f < m; f++) {
      z += firstOrder[ids[b * m + f]];
    }
    if (fm) {
      for (int j = 0; j < d; j++) {
        double sum = 0;
        double squares = 0;
        for (int f = 0; f < m; f++) {
          double v = x0[base + f * d + j];
          sum += v;
          squares += v * v;
        }
        z += 0.5 * (sum * sum - squares);
      }
    }
    for (int k = 0; k < hiddenBias.length; k++) {
      double pre = hiddenBias[k];
      for (int c = 0; c < inputs; c++) {
        pre += hiddenWeights[k][c] * x0[base + c];
      }
      z += outputWeights[k] * Math.max(pre, 0.0);
    }
    return (float) z;
  }

  @Override
  public IncrementalForward openIncremental(int maxBatch) {
    return new Forward(maxBatch);
  }

  /** Keeps the current input and recomputes every logit on request. */
  private final class Forward implements IncrementalForward {
    private final int[] ids;
    private final float[] x;
    private int batch;

    Forward(int maxBatch) {
      this.ids = new int[maxBatch * layout.fields()];
      this.x = new float[maxBatch * layout.coordinates()];
    }

    @Override
    public void reset(int[] newIds, float[] x0, int newBatch) {
      this.batch = newBatch;
      System.arraycopy(newIds, 0, ids, 0, newBatch * layout.fields());
      System.arraycopy(x0, 0, x, 0, newBatch * layout.coordinates());
    }

    @Override
    public void replace(int[] coordinate, float[] value) {
      for (int b = 0; b < batch; b++) {
        x[b * layout.coordinates() + coordinate[b]] = value[b];
      }
    }

    @Override
    public void logits(float[] out) {
      TinyMlpModel.this.logits(ids, x, batch, out);
    }

    @Override
    public float[] input() {
      return x;
    }

    @Override
    public void close() {
    }
  }
}
