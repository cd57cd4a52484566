package io.shaver.shapley;

import io.shaver.model.CtrModel;

/**
 * Exact data-level Shapley values by enumerating all 2^k coalitions of each sample's k = m * d
 * coordinates, with full forwards ({@link CtrModel#logits}) of inputs whose absent coordinates
 * take their placeholder. Independent of the walk engine; for k up to about 12.
 */
final class ExactShapley {
  private ExactShapley() {
  }

  /** Returns phi of every parameter: the mean over samples of the per-sample values. */
  static double[] compute(CtrModel model, TableLayout layout, Placeholder placeholder,
      EncodedSamples data) {
    double[] phi = new double[(int) layout.parameters()];
    for (int b = 0; b < data.size(); b++) {
      double[] perSample = sample(model, layout, placeholder, data, b);
      for (int f = 0; f < layout.fields(); f++) {
        for (int j = 0; j < layout.dimension(); j++) {
          phi[data.id(b, f) * layout.dimension() + j] +=
              perSample[f * layout.dimension() + j] / data.size();
        }
      }
    }
    return phi;
  }

  /** Returns the Shapley values of v = -loss of one sample, indexed by coordinate. */
  static double[] sample(CtrModel model, TableLayout layout, Placeholder placeholder,
      EncodedSamples data, int b) {
    int k = layout.coordinates();
    int m = layout.fields();
    int d = layout.dimension();
    int coalitions = 1 << k;
    int[] ids = new int[coalitions * m];
    float[] x0 = new float[coalitions * k];
    float[] table = model.embeddingTable();
    for (int s = 0; s < coalitions; s++) {
      for (int f = 0; f < m; f++) {
        ids[s * m + f] = data.id(b, f);
        for (int j = 0; j < d; j++) {
          int c = f * d + j;
          boolean present = (s & (1 << c)) != 0;
          x0[s * k + c] = present ? table[data.id(b, f) * d + j] : placeholder.value(c);
        }
      }
    }
    float[] logits = new float[coalitions];
    model.logits(ids, x0, coalitions, logits);
    double[] loss = new double[coalitions];
    for (int s = 0; s < coalitions; s++) {
      loss[s] = crossEntropy(logits[s], data.label(b));
    }
    double[] weight = new double[k];
    for (int size = 0; size < k; size++) {
      // size! (k - size - 1)! / k!
      double w = 1.0 / k;
      for (int i = 1; i <= size; i++) {
        w *= (double) i / (k - i);
      }
      weight[size] = w;
    }
    double[] phi = new double[k];
    for (int s = 0; s < coalitions; s++) {
      for (int c = 0; c < k; c++) {
        if ((s & (1 << c)) == 0) {
          phi[c] += weight[Integer.bitCount(s)] * (loss[s] - loss[s | (1 << c)]);
        }
      }
    }
    return phi;
  }

  /** Returns -y log sigmoid(z) - (1 - y) log(1 - sigmoid(z)), written apart from LogLoss. */
  static double crossEntropy(double logit, double label) {
    return label * Math.log1p(Math.exp(-logit)) + (1 - label) * Math.log1p(Math.exp(logit));
  }

  /** Returns the mean over samples of loss(every coordinate absent) - loss(intact). */
  static double efficiencyGap(CtrModel model, TableLayout layout, Placeholder placeholder,
      EncodedSamples data) {
    return efficiencyGap(model, layout, placeholder, data, data.size());
  }

  /**
   * Like {@link #efficiencyGap(CtrModel, TableLayout, Placeholder, EncodedSamples)}, with
   * forwards over consecutive batches of {@code batch} samples. ND4J-backed models round a
   * sample's logit differently in batches of different sizes, so an exact comparison with
   * the walk engine must use the engine's batches.
   */
  static double efficiencyGap(CtrModel model, TableLayout layout, Placeholder placeholder,
      EncodedSamples data, int batch) {
    int m = layout.fields();
    int d = layout.dimension();
    int k = layout.coordinates();
    int[] ids = new int[batch * m];
    float[] intact = new float[batch * k];
    float[] absent = new float[batch * k];
    float[] intactLogits = new float[batch];
    float[] absentLogits = new float[batch];
    float[] table = model.embeddingTable();
    double gap = 0;
    for (int from = 0; from < data.size(); from += batch) {
      int count = Math.min(batch, data.size() - from);
      for (int b = 0; b < count; b++) {
        placeholder.fill(absent, b * k);
        for (int f = 0; f < m; f++) {
          ids[b * m + f] = data.id(from + b, f);
          System.arraycopy(table, data.id(from + b, f) * d, intact, b * k + f * d, d);
        }
      }
      model.logits(ids, intact, count, intactLogits);
      model.logits(ids, absent, count, absentLogits);
      for (int b = 0; b < count; b++) {
        gap += crossEntropy(absentLogits[b], data.label(from + b))
            - crossEntropy(intactLogits[b], data.label(from + b));
      }
    }
    return gap / data.size();
  }
}
