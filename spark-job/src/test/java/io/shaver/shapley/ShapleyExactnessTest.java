package io.shaver.shapley;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaver.model.CtrModel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Monte Carlo estimates against exact enumeration on 8-player games (2 fields, d = 4).
 */
class ShapleyExactnessTest {
  private static final TableLayout LAYOUT = TableLayout.of(new int[] {4, 3}, 4);
  private static final int PASSES = 300;

  /** Models under test, built from the layout. */
  static List<Function<TableLayout, CtrModel>> models() {
    List<Function<TableLayout, CtrModel>> models = new ArrayList<>();
    models.add(layout -> new TinyMlpModel(layout, 6, true, 21));
    return models;
  }

  @Test
  void monteCarloWithinThreeStandardErrors() {
    for (Function<TableLayout, CtrModel> factory : models()) {
      CtrModel model = factory.apply(LAYOUT);
      EncodedSamples data = WalkEngineTest.randomSamples(LAYOUT, 8, 22);
      Codebook codebook = Codebook.compute(LAYOUT, model.embeddingTable(),
          WalkEngineTest.countsOf(data, LAYOUT));
      for (PlaceholderKind kind : PlaceholderKind.values()) {
        Placeholder placeholder = Placeholder.of(kind, LAYOUT, codebook);
        double[] exact = ExactShapley.compute(model, LAYOUT, placeholder, data);
        Estimate estimate = estimate(model, kind, codebook, data, false);
        assertEquals((long) PASSES * data.size(), estimate.samples());
        int players = 0;
        for (int p = 0; p < exact.length; p++) {
          double se = estimate.standardError(p);
          double error = Math.abs(estimate.phi(p) - exact[p]);
          String where = model.getClass().getSimpleName() + " " + kind + " parameter " + p;
          if (estimate.occurrences(p) == 0) {
            assertEquals(0.0, exact[p], where);
            assertEquals(0.0, estimate.phi(p), where);
            continue;
          }
          players++;
          assertTrue(se > 0, where + " has SE 0");
          assertTrue(error <= 3 * se, where + ": |" + estimate.phi(p) + " - " + exact[p]
              + "| = " + error + " > 3 SE = " + 3 * se);
        }
        assertTrue(players >= 16, "players " + players);
      }
    }
  }

  @Test
  void symmetricRowsEqualInExpectation() {
    for (Function<TableLayout, CtrModel> factory : models()) {
      CtrModel model = factory.apply(LAYOUT);
      // Rows 0 and 1 of field 0 become identical; samples 0 and 1 differ only in them.
      float[] table = model.embeddingTable();
      System.arraycopy(table, 0, table, 4, 4);
      if (model instanceof TinyMlpModel) {
        ((TinyMlpModel) model).firstOrder[1] = ((TinyMlpModel) model).firstOrder[0];
      }
      int[] ids = {0, 4, 1, 4, 2, 5, 3, 6, 2, 4};
      float[] labels = {1f, 1f, 0f, 1f, 0f};
      EncodedSamples data = EncodedSamples.of(2, ids, labels);
      Placeholder placeholder = Placeholder.zero(LAYOUT);
      double[] exact = ExactShapley.compute(model, LAYOUT, placeholder, data);
      Estimate estimate = estimate(model, PlaceholderKind.ZERO, null, data, false);
      for (int j = 0; j < 4; j++) {
        assertEquals(exact[j], exact[4 + j], "exact phi of dimension " + j);
        double difference = Math.abs(estimate.phi(j) - estimate.phi(4 + j));
        double se = Math.hypot(estimate.standardError(j), estimate.standardError(4 + j));
        assertTrue(se > 0, "dimension " + j + " has SE 0");
        assertTrue(difference <= 3 * se, "dimension " + j + ": difference " + difference
            + " > 3 SE = " + 3 * se);
      }
    }
  }

  private static Estimate estimate(CtrModel model, PlaceholderKind kind, Codebook codebook,
      EncodedSamples data, boolean antithetic) {
    EstimatorSettings settings = EstimatorSettings.builder().placeholder(kind)
        .maxPasses(PASSES).minPasses(PASSES).batchSize(8).seed(31).antithetic(antithetic)
        .build();
    return ShapleyEstimator.of(model, LAYOUT, settings, codebook).estimate(data);
  }
}
