package io.shaver.shapley;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaver.model.CtrModel;
import io.shaver.model.CtrModels;
import io.shaver.model.ModelConfig;
import io.shaver.model.ModelKind;
import io.shaver.model.Tensor;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The full-state walker on {@link HostWalkOps} against the incremental {@link WalkEngine}:
 * same permutations, so the same contributions up to float rounding.
 */
class FullStateWalkerTest {
  // 3 fields of sizes 4, 3, 5 (12 rows), d = 4: 12 coordinates, 48 parameters.
  private static final TableLayout LAYOUT = TableLayout.of(new int[] {4, 3, 5}, 4);
  private static final int BATCH = 16;
  private static final int PASSES = 2;
  /**
   * Largest accepted |phi difference| between the walkers. They compute each state's logit
   * in float32 by different routes (incremental updates of the first layer versus one GEMM of
   * the whole state), so a logit of magnitude about 1 can differ by a few ulps (2^-24 each),
   * and the loss by as much (|dloss/dlogit| <= 1). 1e-7 bounds one contribution's difference.
   * Phi, a mean of many contributions, differed by at most 4e-9 when this was written, and
   * the phi values are about 1e-2.
   */
  private static final double PHI_TOLERANCE = 1e-7;

  @Test
  void matchesWalkEngineOnDeepFm() {
    EncodedSamples data = WalkEngineTest.randomSamples(LAYOUT, 37, 11);
    for (boolean batchNorm : new boolean[] {false, true}) {
      CtrModel model = deepFm(batchNorm, 3, stateDict -> { });
      Codebook codebook = Codebook.compute(LAYOUT, model.embeddingTable(),
          WalkEngineTest.countsOf(data, LAYOUT));
      for (Placeholder placeholder : new Placeholder[] {
          Placeholder.zero(LAYOUT), Placeholder.codebook(codebook)}) {
        for (boolean antithetic : new boolean[] {false, true}) {
          String label = "batchNorm=" + batchNorm + " " + placeholder.kind() + " antithetic="
              + antithetic;
          ShapleyAccumulator expected = ShapleyAccumulator.create(LAYOUT.parameters(), 0);
          long engineEvaluations;
          try (WalkEngine engine = new WalkEngine(model, LAYOUT, placeholder,
              PermutationSource.seeded(5), antithetic, BATCH)) {
            engineEvaluations = walkAll(engine, data, expected);
          }
          ShapleyAccumulator actual = ShapleyAccumulator.create(LAYOUT.parameters(), 0);
          long evaluations;
          try (Walker walker = fullState(model, placeholder, antithetic, 1 << 16)) {
            evaluations = walkAll(walker, data, actual);
          }

          assertEquals(engineEvaluations, evaluations, label);
          assertEquals(PASSES * 37L * (antithetic ? 2 * 12 + 1 : 12 + 1), evaluations, label);
          assertSameStatistics(expected, actual, label);
        }
      }
    }
  }

  @Test
  void allPermutationsGiveExactValues() {
    // 2 fields, d = 2: 4 players and 24 permutations, one per pass.
    TableLayout layout = TableLayout.of(new int[] {3, 2}, 2);
    CtrModel model = ShapleyTestModels.create("deepfm", layout, 23);
    EncodedSamples data = WalkEngineTest.randomSamples(layout, 6, 24);
    Codebook codebook = Codebook.compute(layout, model.embeddingTable(),
        WalkEngineTest.countsOf(data, layout));
    for (PlaceholderKind kind : PlaceholderKind.values()) {
      for (boolean antithetic : new boolean[] {false, true}) {
        Placeholder placeholder = Placeholder.of(kind, layout, codebook);
        double[] exact = ExactShapley.compute(model, layout, placeholder, data);
        ShapleyAccumulator accumulator = ShapleyAccumulator.create(layout.parameters(), 0);
        try (Walker walker = new FullStateWalker(model, layout, placeholder,
            new AllPermutations(), antithetic, 4, 1 << 16, new HostWalkOps())) {
          for (int pass = 0; pass < 24; pass++) {
            for (int from = 0; from < data.size(); from += 4) {
              walker.walk(data, from, Math.min(4, data.size() - from), pass, accumulator);
            }
          }
        }

        for (int p = 0; p < exact.length; p++) {
          // The bound ShapleyExactnessTest uses for the engine: both sides run float32
          // forwards, by different routes, so they differ by float rounding.
          assertEquals(exact[p], accumulator.phi(p), 1e-6 + 1e-5 * Math.abs(exact[p]),
              kind + " antithetic=" + antithetic + " parameter " + p);
        }
      }
    }
  }

  @Test
  void efficiencyHoldsPerPass() {
    CtrModel model = deepFm(true, 7, stateDict -> { });
    EncodedSamples data = WalkEngineTest.randomSamples(LAYOUT, 29, 12);
    Placeholder placeholder = Placeholder.zero(LAYOUT);
    double expected = ExactShapley.efficiencyGap(model, LAYOUT, placeholder, data);
    try (Walker walker = fullState(model, placeholder, false, 1 << 16)) {
      ShapleyAccumulator accumulator = ShapleyAccumulator.create(LAYOUT.parameters(), 0);
      for (int from = 0; from < data.size(); from += BATCH) {
        walker.walk(data, from, Math.min(BATCH, data.size() - from), 0, accumulator);
      }
      // The all-absent loss comes from a GEMM over the tall matrix, the expected one from the
      // model's own forward: equal up to float rounding of the logits.
      assertEquals(expected, WalkEngineTest.sumOfPhi(accumulator), 1e-6 * Math.abs(expected));
    }
  }

  @Test
  void smallGroupsGiveSameResult() {
    CtrModel model = deepFm(true, 13, stateDict -> { });
    EncodedSamples data = WalkEngineTest.randomSamples(LAYOUT, 21, 14);
    Placeholder placeholder = Placeholder.zero(LAYOUT);
    ShapleyAccumulator oneGroup = ShapleyAccumulator.create(LAYOUT.parameters(), 0);
    try (Walker walker = fullState(model, placeholder, true, 1 << 16)) {
      walkAll(walker, data, oneGroup);
    }
    ShapleyAccumulator smallGroups = ShapleyAccumulator.create(LAYOUT.parameters(), 0);
    // 3 samples of 13 states per group: a batch of 16 runs as 6 groups, the last one short.
    try (FullStateWalker walker = fullState(model, placeholder, true, 3 * 13 + 5)) {
      assertEquals(3, walker.groupSamples());
      walkAll(walker, data, smallGroups);
    }

    assertSameStatistics(oneGroup, smallGroups, "groups of 3");
  }

  @Test
  void unchangedCoordinatesGetZero() {
    // Row 1 (field 0) is all zeros, the zero placeholder's value: removing it changes nothing.
    CtrModel model = deepFm(false, 17, stateDict -> {
      float[] table = stateDict.get("embedding.weight").floats();
      for (int j = 0; j < LAYOUT.dimension(); j++) {
        table[LAYOUT.dimension() + j] = 0f;
      }
    });
    int[] ids = {1, 4, 7, 1, 5, 9};
    EncodedSamples data = EncodedSamples.of(3, ids, new float[] {1f, 0f});
    ShapleyAccumulator accumulator = ShapleyAccumulator.create(LAYOUT.parameters(), 0);
    try (Walker walker = fullState(model, Placeholder.zero(LAYOUT), false, 1 << 16)) {
      walker.walk(data, 0, 2, 0, accumulator);
    }

    for (int j = 0; j < LAYOUT.dimension(); j++) {
      assertEquals(0.0, accumulator.phi(LAYOUT.dimension() + j), "parameter of row 1, j=" + j);
      assertEquals(2, accumulator.occurrences(LAYOUT.dimension() + j));
    }
    assertTrue(Math.abs(accumulator.phi(4L * LAYOUT.dimension())) > 1e-6);
  }

  @Test
  void rejectsOtherModelsAndBadCounts() {
    ModelConfig config = ModelConfig.builder().kind(ModelKind.DCN_MIX).embeddingDim(4)
        .hiddenSizes(List.of(8)).crossLayers(1).experts(2).rank(2).addField("f0", 4)
        .addField("f1", 3).addField("f2", 5).build();
    CtrModel dcnMix = CtrModels.fromStateDict(config, CtrModels.randomStateDict(config, 1, 0.5));
    IllegalArgumentException wrongKind = assertThrows(IllegalArgumentException.class,
        () -> fullState(dcnMix, Placeholder.zero(LAYOUT), false, 1 << 16));
    assertEquals("full-state walks support only deepfm models, got dcn_mix",
        wrongKind.getMessage());

    EncodedSamples data = WalkEngineTest.randomSamples(LAYOUT, 20, 1);
    try (Walker walker = fullState(deepFm(false, 1, s -> { }), Placeholder.zero(LAYOUT),
        false, 1 << 16)) {
      ShapleyAccumulator accumulator = ShapleyAccumulator.create(LAYOUT.parameters(), 0);
      IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
          () -> walker.walk(data, 0, BATCH + 1, 0, accumulator));
      assertEquals("count must be in [1, 16], got 17", tooMany.getMessage());
    }
  }

  private static FullStateWalker fullState(CtrModel model, Placeholder placeholder,
      boolean antithetic, int maxRows) {
    return new FullStateWalker(model, LAYOUT, placeholder, PermutationSource.seeded(5),
        antithetic, BATCH, maxRows, new HostWalkOps());
  }

  private static long walkAll(Walker walker, EncodedSamples data,
      ShapleyAccumulator accumulator) {
    long evaluations = 0;
    for (int pass = 0; pass < PASSES; pass++) {
      for (int from = 0; from < data.size(); from += BATCH) {
        evaluations += walker.walk(data, from, Math.min(BATCH, data.size() - from), pass,
            accumulator);
      }
    }
    return evaluations;
  }

  private static void assertSameStatistics(ShapleyAccumulator expected,
      ShapleyAccumulator actual, String label) {
    assertEquals(expected.samples(), actual.samples(), label);
    assertEquals(expected.touchedParameters(), actual.touchedParameters(), label);
    double largest = 0;
    for (long p = 0; p < LAYOUT.parameters(); p++) {
      assertEquals(expected.occurrences(p), actual.occurrences(p), label + " parameter " + p);
      assertEquals(expected.phi(p), actual.phi(p), PHI_TOLERANCE, label + " parameter " + p);
      largest = Math.max(largest, Math.abs(expected.phi(p) - actual.phi(p)));
    }
    System.err.printf("%s: largest |phi difference| %.3g%n", label, largest);
  }

  private static CtrModel deepFm(boolean batchNorm, long seed,
      Consumer<Map<String, Tensor>> edit) {
    ModelConfig.Builder builder = ModelConfig.builder().kind(ModelKind.DEEPFM)
        .embeddingDim(LAYOUT.dimension()).hiddenSizes(List.of(8, 6)).batchNorm(batchNorm);
    for (int f = 0; f < LAYOUT.fields(); f++) {
      builder.addField("f" + f, LAYOUT.fieldSize(f));
    }
    ModelConfig config = builder.build();
    Map<String, Tensor> stateDict = CtrModels.randomStateDict(config, seed, 0.5);
    edit.accept(stateDict);
    return CtrModels.fromStateDict(config, stateDict);
  }
}
