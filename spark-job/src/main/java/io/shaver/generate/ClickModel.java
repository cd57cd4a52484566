package io.shaver.generate;

import io.shaver.data.DataSplit;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The known model behind generated click logs in the Criteo layout (label, I1..I13, C1..C26).
 *
 * <p>Click probability: {@code p = sigmoid(BIAS + w1[C1] + w2[C2] + w3[C3] + t(I1))}, where
 * <ul>
 *   <li>C1, C2 and C3 are the informative categorical fields, with cardinalities 20, 50 and 100
 *       and weight scales s = 1.5, 1.0 and 0.8. The token of popularity rank k (0 = most
 *       frequent) has weight {@code w[k] = s * (2 * frac((k + 1) * 0.6180339887498949) - 1)},
 *       spread over [-s, s] with no relation between popularity and weight;
 *   <li>I1 is the informative integer field: missing with probability 0.1 (then t = 0), else
 *       {@code v} in 0..48 (log-uniform, below) and {@code t = GAMMA * (ln(1 + v) - 1.5)} with
 *       GAMMA = 0.6;
 *   <li>BIAS = -1.6.
 * </ul>
 * Every other field is noise, independent of the label. Categorical ranks follow a Zipf law
 * ({@code P(k) ~ 1 / (k + 1)^a}, a = 1.1 for informative and 1.05 for noise fields) truncated
 * at the field's cardinality, so token frequencies are long-tailed; a field may be empty with
 * a fixed probability. Integers are log-uniform: {@code v = floor((max + 1)^u) - 1} with u
 * uniform in [0, 1), so v is in 0..max - 1 and small values dominate. I2 is shifted by -3, so
 * negative values occur. The token of rank k in field Cc is the 8 hex digits of a bijective
 * 32-bit mix of (k, c), so tokens look like Criteo hashes and never collide within a field.
 *
 * <p>Each row draws from its own {@link SplittableRandom} seeded by (seed, row index), so a row
 * does not depend on how rows are spread over files or tasks. The expected positive rate is
 * computed exactly by {@link #expectedPositiveRate()} (enumeration over C1, C2, C3 and I1).
 */
public final class ClickModel implements Serializable {

  private static final long serialVersionUID = 1L;

  public static final double BIAS = -1.6;
  public static final double GAMMA = 0.6;
  public static final double I1_CENTER = 1.5;
  public static final double I1_MISSING = 0.1;
  public static final int I1_MAX = 49;
  public static final double INFORMATIVE_ZIPF = 1.1;
  public static final double NOISE_ZIPF = 1.05;
  private static final double GOLDEN = 0.6180339887498949;

  static final double[] INFORMATIVE_SCALE = {1.5, 1.0, 0.8};

  /** Cardinalities of C1..C26 (the first three are the informative fields). */
  static final int[] CARDINALITY = {20, 50, 100, 1000, 500, 10_000, 50, 5, 3000, 100, 3,
      20_000, 7000, 40_000, 2000, 25, 8000, 15_000, 10, 1200, 600, 4, 30_000, 8, 12, 2500};
  /** Probability that C1..C26 is empty. */
  static final double[] CATEGORICAL_MISSING = {0, 0, 0, 0.03, 0.03, 0, 0.1, 0, 0, 0, 0, 0.03,
      0, 0, 0, 0, 0, 0, 0.45, 0.45, 0, 0.75, 0, 0, 0.45, 0.45};
  /** Bound of I1..I13 before the shift: values are in 0..max - 1. */
  static final int[] INTEGER_MAX = {I1_MAX, 5000, 60, 50, 100_000, 1000, 100, 50, 1000, 5, 30,
      50, 100};
  /** Probability that I1..I13 is empty. */
  static final double[] INTEGER_MISSING = {I1_MISSING, 0, 0.2, 0.2, 0.02, 0.2, 0.04, 0, 0.04,
      0.45, 0.04, 0.75, 0.2};
  static final int[] INTEGER_SHIFT = {0, -3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

  private final double[][] cumulative;

  public ClickModel() {
    cumulative = new double[CARDINALITY.length][];
    for (int c = 0; c < CARDINALITY.length; c++) {
      double exponent = c < 3 ? INFORMATIVE_ZIPF : NOISE_ZIPF;
      cumulative[c] = zipfCumulative(CARDINALITY[c], exponent);
    }
  }

  private static double[] zipfCumulative(int cardinality, double exponent) {
    double[] weights = new double[cardinality];
    double total = 0;
    for (int k = 0; k < cardinality; k++) {
      weights[k] = Math.pow(k + 1, -exponent);
      total += weights[k];
    }
    double running = 0;
    for (int k = 0; k < cardinality; k++) {
      running += weights[k] / total;
      weights[k] = running;
    }
    weights[cardinality - 1] = 1.0;
    return weights;
  }

  /** Returns the weight of the token of rank k in informative field {@code informative}. */
  public static double weight(int informative, int rank) {
    double fraction = ((rank + 1) * GOLDEN) % 1.0;
    return INFORMATIVE_SCALE[informative] * (2 * fraction - 1);
  }

  /** Returns the I1 term of the logit, which is 0 when {@code value} is null (missing). */
  public static double integerTerm(Integer value) {
    return value == null ? 0.0 : GAMMA * (Math.log1p(value) - I1_CENTER);
  }

  /** Returns the token of rank k in categorical field Cc (c from 1 to 26). */
  public static String token(int field, int rank) {
    return String.format(Locale.ROOT, "%08x", mix32(rank + 0x9E3779B9 * field));
  }

  /** Mixes the bits of {@code h} with the murmur3 32-bit finalizer, a bijection on int. */
  private static int mix32(int h) {
    h ^= h >>> 16;
    h *= 0x85EBCA6B;
    h ^= h >>> 13;
    h *= 0xC2B2AE35;
    return h ^ (h >>> 16);
  }

  /** Writes row {@code index} of the data set with {@code seed} as one Criteo line. */
  public String line(long seed, long index) {
    SplittableRandom random = new SplittableRandom(
        DataSplit.mix64(DataSplit.mix64(seed) + index * 0x9E3779B97F4A7C15L));
    Integer i1 = null;
    StringBuilder features = new StringBuilder(256);
    for (int i = 0; i < INTEGER_MAX.length; i++) {
      features.append('\t');
      if (random.nextDouble() < INTEGER_MISSING[i]) {
        continue;
      }
      long value = (long) Math.floor(Math.pow(INTEGER_MAX[i] + 1, random.nextDouble())) - 1
          + INTEGER_SHIFT[i];
      if (i == 0) {
        i1 = (int) value;
      }
      features.append(value);
    }
    double logit = BIAS + integerTerm(i1);
    for (int c = 0; c < CARDINALITY.length; c++) {
      features.append('\t');
      if (random.nextDouble() < CATEGORICAL_MISSING[c]) {
        continue;
      }
      int rank = rank(c, random.nextDouble());
      if (c < 3) {
        logit += weight(c, rank);
      }
      features.append(token(c + 1, rank));
    }
    int label = random.nextDouble() < sigmoid(logit) ? 1 : 0;
    return label + features.toString();
  }

  private int rank(int field, double u) {
    double[] cdf = cumulative[field];
    int low = 0;
    int high = cdf.length - 1;
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (cdf[middle] > u) {
        high = middle;
      } else {
        low = middle + 1;
      }
    }
    return low;
  }

  /** Returns the probability of rank k in categorical field index {@code field} (0 = C1). */
  double probability(int field, int rank) {
    double previous = rank == 0 ? 0 : cumulative[field][rank - 1];
    return cumulative[field][rank] - previous;
  }

  static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  /** Computes the exact expected click rate: the mean of p over C1, C2, C3 and I1. */
  public double expectedPositiveRate() {
    List<double[]> integerTerms = new ArrayList<>();
    integerTerms.add(new double[] {I1_MISSING, 0.0});
    double log = Math.log(I1_MAX + 1);
    for (int v = 0; v < I1_MAX; v++) {
      // P(floor((max + 1)^u) - 1 = v) = P(ln(v + 1) <= u ln(max + 1) < ln(v + 2)).
      double high = Math.log(v + 2) / log;
      double probability = (1 - I1_MISSING) * (high - Math.log(v + 1) / log);
      integerTerms.add(new double[] {probability, integerTerm(v)});
    }
    double rate = 0;
    for (int a = 0; a < CARDINALITY[0]; a++) {
      for (int b = 0; b < CARDINALITY[1]; b++) {
        for (int c = 0; c < CARDINALITY[2]; c++) {
          double probability = probability(0, a) * probability(1, b) * probability(2, c);
          double base = BIAS + weight(0, a) + weight(1, b) + weight(2, c);
          double conditional = 0;
          for (double[] term : integerTerms) {
            conditional += term[0] * sigmoid(base + term[1]);
          }
          rate += probability * conditional;
        }
      }
    }
    return rate;
  }

  /** Describes the parameters and every informative token's weight, for _generator.json. */
  public Map<String, Object> describe() {
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("logit", "bias + w_C1[token] + w_C2[token] + w_C3[token]"
        + " + gamma * (ln(1 + I1) - i1_center), I1 term 0 when I1 is empty");
    model.put("bias", BIAS);
    model.put("gamma", GAMMA);
    model.put("i1_center", I1_CENTER);
    model.put("expected_positive_rate", expectedPositiveRate());
    List<Object> fields = new ArrayList<>();
    for (int f = 0; f < 3; f++) {
      Map<String, Object> field = new LinkedHashMap<>();
      field.put("field", "C" + (f + 1));
      field.put("cardinality", CARDINALITY[f]);
      field.put("scale", INFORMATIVE_SCALE[f]);
      Map<String, Double> weights = new LinkedHashMap<>();
      for (int k = 0; k < CARDINALITY[f]; k++) {
        weights.put(token(f + 1, k), weight(f, k));
      }
      field.put("weights", weights);
      fields.add(field);
    }
    model.put("informative_categorical", fields);
    return model;
  }
}
