package io.shaver.shapley;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Walk engine and estimator against the hand-written {@link TinyMlpModel}. */
class WalkEngineTest {
  // 3 fields of sizes 4, 3, 5 (12 rows), d = 3: 9 coordinates, 36 parameters.
  private static final TableLayout LAYOUT = TableLayout.of(new int[] {4, 3, 5}, 3);

  @Test
  void evaluationCountsPerPass() {
    TinyMlpModel model = new TinyMlpModel(LAYOUT, 6, true, 1);
    EncodedSamples data = randomSamples(LAYOUT, 23, 2);
    for (boolean antithetic : new boolean[] {false, true}) {
      EstimatorSettings settings = EstimatorSettings.builder().batchSize(5).maxPasses(3)
          .convergenceThreshold(1e-9).antithetic(antithetic).build();
      Estimate estimate = ShapleyEstimator.of(model, LAYOUT, settings, null).estimate(data);
      long perSample = antithetic ? 2 * 9 + 1 : 9 + 1;
      assertEquals(3, estimate.passes());
      assertEquals(3L * 23, estimate.samples());
      assertEquals(3L * 23 * perSample, estimate.evaluations(), "antithetic=" + antithetic);
    }
  }

  @Test
  void efficiencyHoldsEveryPass() {
    TinyMlpModel model = new TinyMlpModel(LAYOUT, 6, true, 3);
    EncodedSamples data = randomSamples(LAYOUT, 40, 4);
    Codebook codebook = Codebook.compute(LAYOUT, model.table, countsOf(data, LAYOUT));
    for (Placeholder placeholder : new Placeholder[] {
        Placeholder.zero(LAYOUT), Placeholder.codebook(codebook)}) {
      double expected = ExactShapley.efficiencyGap(model, LAYOUT, placeholder, data);
      for (boolean antithetic : new boolean[] {false, true}) {
        try (WalkEngine engine = new WalkEngine(model, LAYOUT, placeholder,
            PermutationSource.seeded(9), antithetic, 16)) {
          for (int pass = 0; pass < 3; pass++) {
            ShapleyAccumulator accumulator = ShapleyAccumulator.create(LAYOUT.parameters(), 0);
            for (int from = 0; from < data.size(); from += 16) {
              engine.walk(data, from, Math.min(16, data.size() - from), pass, accumulator);
            }
            double total = sumOfPhi(accumulator);
            assertEquals(expected, total, 1e-9 * Math.abs(expected),
                placeholder.kind() + " antithetic=" + antithetic + " pass " + pass);
          }
        }
      }
    }
  }

  @Test
  void resultsIndependentOfBatchingAndOrder() {
    TinyMlpModel model = new TinyMlpModel(LAYOUT, 6, true, 5);
    EncodedSamples data = randomSamples(LAYOUT, 100, 6);
    EstimatorSettings base = EstimatorSettings.builder().maxPasses(3)
        .convergenceThreshold(1e-9).seed(77).build();
    Estimate reference = ShapleyEstimator.of(model, LAYOUT, base.toBuilder().batchSize(1)
        .build(), null).estimate(data);
    EncodedSamples shuffled = shuffle(data, 8);
    for (int batch : new int[] {7, 64}) {
      for (EncodedSamples samples : new EncodedSamples[] {data, shuffled}) {
        Estimate other = ShapleyEstimator.of(model, LAYOUT,
            base.toBuilder().batchSize(batch).build(), null).estimate(samples);
        for (long p = 0; p < LAYOUT.parameters(); p++) {
          double a = reference.phi(p);
          assertEquals(a, other.phi(p), 1e-12 * Math.abs(a), "phi " + p + " batch " + batch);
          double se = reference.standardError(p);
          assertEquals(se, other.standardError(p), 1e-9 * se, "SE " + p + " batch " + batch);
          assertEquals(reference.occurrences(p), other.occurrences(p));
        }
      }
    }
  }

  @Test
  void permutationsChangeWithPassAndSeed() {
    TinyMlpModel model = new TinyMlpModel(LAYOUT, 6, true, 5);
    EncodedSamples data = randomSamples(LAYOUT, 30, 6);
    EstimatorSettings settings = EstimatorSettings.builder().maxPasses(1).build();
    Estimate first = ShapleyEstimator.of(model, LAYOUT, settings, null).estimate(data);
    Estimate reseeded = ShapleyEstimator.of(model, LAYOUT,
        settings.toBuilder().seed(settings.seed() + 1).build(), null).estimate(data);
    int differing = 0;
    for (long p = 0; p < LAYOUT.parameters(); p++) {
      if (first.phi(p) != reseeded.phi(p)) {
        differing++;
      }
    }
    assertTrue(differing > LAYOUT.parameters() / 2, "differing " + differing);
  }

  @Test
  void nullPlayersGetExactlyZero() {
    TinyMlpModel model = new TinyMlpModel(LAYOUT, 6, false, 7).zeroInput(4);
    // Parameter (row 5, j = 1) equals its zero placeholder, so removing it changes nothing.
    model.table[5 * 3 + 1] = 0f;
    EncodedSamples data = randomSamples(LAYOUT, 50, 8);
    Set<Integer> usedRows = new HashSet<>();
    for (int b = 0; b < data.size(); b++) {
      for (int f = 0; f < 3; f++) {
        usedRows.add(data.id(b, f));
      }
    }
    int unusedRow = -1;
    for (int r = 0; r < LAYOUT.rows() && unusedRow < 0; r++) {
      if (!usedRows.contains(r)) {
        unusedRow = r;
      }
    }
    assertTrue(unusedRow >= 0, "data must leave a row unused");
    assertTrue(usedRows.contains(5), "data must use row 5");

    EstimatorSettings settings = EstimatorSettings.builder().maxPasses(4).batchSize(8)
        .convergenceThreshold(1e-9).build();
    Estimate estimate = ShapleyEstimator.of(model, LAYOUT, settings, null).estimate(data);
    for (int j = 0; j < 3; j++) {
      assertEquals(0.0, estimate.phi(unusedRow * 3L + j), "unused row, j=" + j);
      assertEquals(0.0, estimate.standardError(unusedRow * 3L + j));
      assertEquals(0, estimate.occurrences(unusedRow * 3L + j));
    }
    assertEquals(0.0, estimate.phi(5 * 3 + 1));
    assertEquals(0.0, estimate.standardError(5 * 3 + 1));
    assertTrue(estimate.occurrences(5 * 3 + 1) > 0);
    // Coordinate 4 is field 1, dimension 1: every row of field 1 is null there.
    for (int r = 4; r < 7; r++) {
      assertEquals(0.0, estimate.phi(r * 3L + 1), "row " + r + " coordinate 4");
    }
    assertNotEquals(0.0, estimate.phi(5 * 3 + 2));
  }

  @Test
  void allPermutationsAverageToExactValues() {
    // 2 fields, d = 2: 4 coordinates, 24 permutations.
    TableLayout layout = TableLayout.of(new int[] {3, 2}, 2);
    TinyMlpModel model = new TinyMlpModel(layout, 5, true, 11);
    EncodedSamples data = randomSamples(layout, 6, 12);
    Codebook codebook = Codebook.compute(layout, model.table, countsOf(data, layout));
    for (boolean antithetic : new boolean[] {false, true}) {
      for (PlaceholderKind kind : PlaceholderKind.values()) {
        EstimatorSettings settings = EstimatorSettings.builder().placeholder(kind)
            .antithetic(antithetic).maxPasses(24).minPasses(24).batchSize(4).build();
        Placeholder placeholder = Placeholder.of(kind, layout, codebook);
        Estimate estimate = new ShapleyEstimator(model, layout, placeholder, settings,
            new AllPermutations()).estimate(data);
        double[] exact = ExactShapley.compute(model, layout, placeholder, data);
        for (int p = 0; p < exact.length; p++) {
          assertEquals(exact[p], estimate.phi(p), 1e-12 + 1e-9 * Math.abs(exact[p]),
              kind + " antithetic=" + antithetic + " parameter " + p);
        }
      }
    }
  }

  @Test
  void allPermutationsSourceEnumeratesEachOnce() {
    AllPermutations source = new AllPermutations();
    Set<String> seen = new HashSet<>();
    int[] out = new int[4];
    for (int pass = 0; pass < 24; pass++) {
      source.permutation(pass, 0, 4, out, 0);
      seen.add(java.util.Arrays.toString(out));
    }
    assertEquals(24, seen.size());
  }

  static EncodedSamples randomSamples(TableLayout layout, int size, long seed) {
    Random random = new Random(seed);
    int m = layout.fields();
    int[] ids = new int[size * m];
    float[] labels = new float[size];
    for (int b = 0; b < size; b++) {
      for (int f = 0; f < m; f++) {
        // Leave the last row of each field unused, so unused rows exist.
        int local = random.nextInt(Math.max(1, layout.fieldSize(f) - 1));
        ids[b * m + f] = (int) layout.offset(f) + local;
      }
      labels[b] = random.nextBoolean() ? 1f : 0f;
    }
    return EncodedSamples.of(m, ids, labels);
  }

  static long[] countsOf(EncodedSamples data, TableLayout layout) {
    long[] counts = new long[(int) layout.rows()];
    for (int b = 0; b < data.size(); b++) {
      for (int f = 0; f < data.fields(); f++) {
        counts[data.id(b, f)]++;
      }
    }
    return counts;
  }

  static EncodedSamples shuffle(EncodedSamples data, long seed) {
    int n = data.size();
    int m = data.fields();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Random random = new Random(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    int[] ids = new int[n * m];
    float[] labels = new float[n];
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      for (int f = 0; f < m; f++) {
        ids[i * m + f] = data.id(order[i], f);
      }
      labels[i] = data.label(order[i]);
      keys[i] = data.key(order[i]);
    }
    return EncodedSamples.of(m, ids, labels, keys);
  }

  static double sumOfPhi(ShapleyAccumulator accumulator) {
    double[] total = {0.0};
    accumulator.forEach((parameter, sum, sumOfSquares, occurrences) -> total[0] += sum);
    return total[0] / accumulator.samples();
  }

}
