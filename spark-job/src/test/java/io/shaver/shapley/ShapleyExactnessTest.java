package io.shaver.shapley;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaver.model.CtrModel;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shapley axioms and exactness with tiny real models (DeepFM, DCN-Mix) and the hand-written
 * one. Games have 8 players (2 fields, d = 4), so exact values come from enumerating all 256
 * coalitions with full forwards.
 */
class ShapleyExactnessTest {
  private static final Logger LOG = LoggerFactory.getLogger(ShapleyExactnessTest.class);
  private static final TableLayout LAYOUT = TableLayout.of(new int[] {4, 3}, 4);
  private static final int PASSES = 300;

  static List<String> models() {
    return ShapleyTestModels.NAMES;
  }

  @ParameterizedTest
  @MethodSource("models")
  void monteCarloWithinThreeStandardErrors(String name) {
    CtrModel model = ShapleyTestModels.create(name, LAYOUT, 21);
    EncodedSamples data = WalkEngineTest.randomSamples(LAYOUT, 8, 22);
    Codebook codebook = codebook(model, data);
    for (PlaceholderKind kind : PlaceholderKind.values()) {
      Placeholder placeholder = Placeholder.of(kind, LAYOUT, codebook);
      double[] exact = ExactShapley.compute(model, LAYOUT, placeholder, data);
      Estimate estimate = estimate(model, kind, codebook, data, PASSES);
      assertEquals((long) PASSES * data.size(), estimate.samples());
      int players = 0;
      double maxZ = 0;
      for (int p = 0; p < exact.length; p++) {
        String where = name + " " + kind + " parameter " + p;
        if (estimate.occurrences(p) == 0) {
          assertEquals(0.0, exact[p], where);
          assertEquals(0.0, estimate.phi(p), where);
          continue;
        }
        players++;
        double se = estimate.standardError(p);
        double error = Math.abs(estimate.phi(p) - exact[p]);
        assertTrue(se > 0, where + " has SE 0");
        assertTrue(error <= 3 * se, where + ": |" + estimate.phi(p) + " - " + exact[p]
            + "| = " + error + " > 3 SE = " + 3 * se);
        maxZ = Math.max(maxZ, error / se);
      }
      assertTrue(players >= 16, "players " + players);
      LOG.info("{} {}: {} players, max |phi - exact| / SE = {}", name, kind, players, maxZ);
    }
  }

  @ParameterizedTest
  @MethodSource("models")
  void allPermutationsAverageToExactValues(String name) {
    // 2 fields, d = 2: 4 players and 24 permutations.
    TableLayout layout = TableLayout.of(new int[] {3, 2}, 2);
    CtrModel model = ShapleyTestModels.create(name, layout, 23);
    EncodedSamples data = WalkEngineTest.randomSamples(layout, 6, 24);
    Codebook codebook = Codebook.compute(layout, model.embeddingTable(),
        WalkEngineTest.countsOf(data, layout));
    for (boolean antithetic : new boolean[] {false, true}) {
      for (PlaceholderKind kind : PlaceholderKind.values()) {
        EstimatorSettings settings = EstimatorSettings.builder().placeholder(kind)
            .antithetic(antithetic).maxPasses(24).minPasses(24).batchSize(4).build();
        Placeholder placeholder = Placeholder.of(kind, layout, codebook);
        Estimate estimate = new ShapleyEstimator(model, layout, placeholder, settings,
            new AllPermutations()).estimate(data);
        double[] exact = ExactShapley.compute(model, layout, placeholder, data);
        for (int p = 0; p < exact.length; p++) {
          // Incremental float forwards differ from full ones by float rounding.
          assertEquals(exact[p], estimate.phi(p), 1e-6 + 1e-5 * Math.abs(exact[p]),
              name + " " + kind + " antithetic=" + antithetic + " parameter " + p);
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("models")
  void efficiencyHoldsEveryPass(String name) {
    TableLayout layout = TableLayout.of(new int[] {5, 4, 6, 3}, 4);
    CtrModel model = ShapleyTestModels.create(name, layout, 25);
    EncodedSamples data = WalkEngineTest.randomSamples(layout, 37, 26);
    Codebook codebook = Codebook.compute(layout, model.embeddingTable(),
        WalkEngineTest.countsOf(data, layout));
    for (PlaceholderKind kind : PlaceholderKind.values()) {
      Placeholder placeholder = Placeholder.of(kind, layout, codebook);
      double expected = ExactShapley.efficiencyGap(model, layout, placeholder, data, 16);
      double wholeBatch = ExactShapley.efficiencyGap(model, layout, placeholder, data);
      assertEquals(expected, wholeBatch, 1e-6 * Math.abs(expected), name + " batch rounding");
      LOG.info("{} {}: efficiency gap {} in batches of 16, relative shift {} in one batch",
          name, kind, expected, Math.abs(wholeBatch - expected) / Math.abs(expected));
      for (boolean antithetic : new boolean[] {false, true}) {
        try (WalkEngine engine = new WalkEngine(model, layout, placeholder,
            PermutationSource.seeded(27), antithetic, 16)) {
          for (int pass = 0; pass < 3; pass++) {
            ShapleyAccumulator accumulator = ShapleyAccumulator.create(layout.parameters(), 0);
            for (int from = 0; from < data.size(); from += 16) {
              engine.walk(data, from, Math.min(16, data.size() - from), pass, accumulator);
            }
            assertEquals(expected, WalkEngineTest.sumOfPhi(accumulator),
                1e-9 * Math.abs(expected),
                name + " " + kind + " antithetic=" + antithetic + " pass " + pass);
          }
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("models")
  void evaluationsPerPassCounted(String name) {
    CtrModel model = ShapleyTestModels.create(name, LAYOUT, 28);
    EncodedSamples data = WalkEngineTest.randomSamples(LAYOUT, 19, 29);
    for (boolean antithetic : new boolean[] {false, true}) {
      EstimatorSettings settings = EstimatorSettings.builder().batchSize(6).maxPasses(2)
          .minPasses(2).antithetic(antithetic).build();
      Estimate estimate = ShapleyEstimator.of(model, LAYOUT, settings, null).estimate(data);
      long perSample = antithetic ? 2 * 8 + 1 : 8 + 1;
      assertEquals(2L * 19 * perSample, estimate.evaluations(), name + " " + antithetic);
      assertEquals(2L * 19, estimate.samples());
    }
  }

  @ParameterizedTest
  @MethodSource("models")
  void batchingAndOrderDoNotChangePhi(String name) {
    TableLayout layout = TableLayout.of(new int[] {5, 4, 6}, 3);
    CtrModel model = ShapleyTestModels.create(name, layout, 30);
    EncodedSamples data = WalkEngineTest.randomSamples(layout, 90, 31);
    EstimatorSettings base = EstimatorSettings.builder().maxPasses(2).minPasses(2).seed(32)
        .build();
    Estimate reference = ShapleyEstimator.of(model, layout,
        base.toBuilder().batchSize(1).build(), null).estimate(data);
    EncodedSamples shuffled = WalkEngineTest.shuffle(data, 33);
    // The hand-written model's logits do not depend on the batch, so only summation order
    // could differ. ND4J's sgemm rounds a sample's logit differently in batches of different
    // sizes, which moves phi by float rounding of the losses.
    double scale = maxAbs(reference.phiArray());
    double tolerance = name.equals("tiny_mlp") ? 1e-12 * scale : 1e-6 * scale;
    double maxRelative = 0;
    for (int batch : new int[] {7, 64}) {
      for (EncodedSamples samples : new EncodedSamples[] {data, shuffled}) {
        Estimate other = ShapleyEstimator.of(model, layout,
            base.toBuilder().batchSize(batch).build(), null).estimate(samples);
        for (long p = 0; p < layout.parameters(); p++) {
          double a = reference.phi(p);
          double b = other.phi(p);
          assertEquals(a, b, tolerance, name + " parameter " + p + " batch " + batch);
          maxRelative = Math.max(maxRelative, Math.abs(a - b) / scale);
          assertEquals(reference.occurrences(p), other.occurrences(p));
        }
      }
    }
    LOG.info("{}: max phi difference across batchings {} of max |phi|", name, maxRelative);
  }

  @ParameterizedTest
  @MethodSource("models")
  void nullPlayersGetExactlyZero(String name) {
    // Field 2 has one row: with the codebook placeholder its coordinates never change the
    // input. Row 1, dimension 2 is 0, so it is null under the zero placeholder.
    TableLayout layout = TableLayout.of(new int[] {4, 3, 1}, 4);
    CtrModel model = ShapleyTestModels.create(name, layout, 34,
        stateDict -> stateDict.get("embedding.weight").floats()[1 * 4 + 2] = 0f);
    model.embeddingTable()[1 * 4 + 2] = 0f;
    int[] ids = {1, 4, 7, 0, 5, 7, 1, 5, 7, 2, 4, 7};
    EncodedSamples data = EncodedSamples.of(3, ids, new float[] {1f, 0f, 0f, 1f});
    Codebook codebook = codebook(model, data, layout);
    for (PlaceholderKind kind : PlaceholderKind.values()) {
      EstimatorSettings settings = EstimatorSettings.builder().placeholder(kind).maxPasses(5)
          .batchSize(3).build();
      Estimate estimate = ShapleyEstimator.of(model, layout, settings, codebook)
          .estimate(data);
      String where = name + " " + kind;
      for (int j = 0; j < 4; j++) {
        // Row 3 (field 0) and row 6 (field 1) never occur.
        for (long row : new long[] {3, 6}) {
          assertEquals(0.0, estimate.phi(row * 4 + j), where + " unused row " + row);
          assertEquals(0.0, estimate.standardError(row * 4 + j), where);
          assertEquals(0, estimate.occurrences(row * 4 + j), where);
        }
        if (kind == PlaceholderKind.CODEBOOK) {
          assertEquals(0.0, estimate.phi(7 * 4 + j), where + " single-row field, j=" + j);
          assertEquals(20, estimate.occurrences(7 * 4 + j), where);
        } else {
          assertNotEquals(0.0, estimate.phi(7 * 4 + j), where + " single-row field, j=" + j);
        }
      }
      if (kind == PlaceholderKind.ZERO) {
        assertEquals(0.0, estimate.phi(1 * 4 + 2), where + " zero coordinate");
        assertEquals(10, estimate.occurrences(1 * 4 + 2), where);
      }
      assertNotEquals(0.0, estimate.phi(1 * 4 + 1), where);
    }
  }

  @ParameterizedTest
  @MethodSource("models")
  void symmetricRowsEqualInExpectation(String name) {
    // Rows 0 and 1 of field 0 are made identical, first-order weights included; samples 0
    // and 1 differ only in them.
    CtrModel model = ShapleyTestModels.create(name, LAYOUT, 35, stateDict -> {
      float[] table = stateDict.get("embedding.weight").floats();
      System.arraycopy(table, 0, table, 4, 4);
      if (stateDict.containsKey("fc.weight")) {
        float[] firstOrder = stateDict.get("fc.weight").floats();
        firstOrder[1] = firstOrder[0];
      }
    });
    if (model instanceof TinyMlpModel tiny) {
      System.arraycopy(tiny.table, 0, tiny.table, 4, 4);
      tiny.firstOrder[1] = tiny.firstOrder[0];
    }
    int[] ids = {0, 4, 1, 4, 2, 5, 3, 6, 2, 4};
    float[] labels = {1f, 1f, 0f, 1f, 0f};
    EncodedSamples data = EncodedSamples.of(2, ids, labels);
    Placeholder placeholder = Placeholder.zero(LAYOUT);
    double[] exact = ExactShapley.compute(model, LAYOUT, placeholder, data);
    Estimate estimate = estimate(model, PlaceholderKind.ZERO, null, data, PASSES);
    for (int j = 0; j < 4; j++) {
      assertEquals(exact[j], exact[4 + j], 1e-12, name + " exact phi of dimension " + j);
      double difference = Math.abs(estimate.phi(j) - estimate.phi(4 + j));
      double se = Math.hypot(estimate.standardError(j), estimate.standardError(4 + j));
      assertTrue(se > 0, name + " dimension " + j + " has SE 0");
      assertTrue(difference <= 3 * se, name + " dimension " + j + ": difference "
          + difference + " > 3 SE = " + 3 * se);
    }
  }

  private static double maxAbs(double[] values) {
    double max = 0;
    for (double value : values) {
      max = Math.max(max, Math.abs(value));
    }
    return max;
  }

  private static Codebook codebook(CtrModel model, EncodedSamples data) {
    return codebook(model, data, LAYOUT);
  }

  private static Codebook codebook(CtrModel model, EncodedSamples data, TableLayout layout) {
    return Codebook.compute(layout, model.embeddingTable(),
        WalkEngineTest.countsOf(data, layout));
  }

  private static Estimate estimate(CtrModel model, PlaceholderKind kind, Codebook codebook,
      EncodedSamples data, int passes) {
    EstimatorSettings settings = EstimatorSettings.builder().placeholder(kind)
        .maxPasses(passes).minPasses(passes).batchSize(8).seed(31).build();
    return ShapleyEstimator.of(model, LAYOUT, settings, codebook).estimate(data);
  }
}
