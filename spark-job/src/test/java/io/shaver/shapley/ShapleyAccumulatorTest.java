package io.shaver.shapley;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ShapleyAccumulatorTest {
  private static final long PARAMETERS = 5_000;

  @Test
  void createPicksDenseOrSparseByLimit() {
    assertEquals(DenseAccumulator.class, ShapleyAccumulator.create(100, 100).getClass());
    assertEquals(SparseAccumulator.class, ShapleyAccumulator.create(101, 100).getClass());
  }

  @Test
  void phiDividesBySamplesNotOccurrences() {
    for (ShapleyAccumulator accumulator : both(10)) {
      accumulator.add(3, 2.0);
      accumulator.add(3, 4.0);
      accumulator.addSamples(4);
      assertEquals(1.5, accumulator.phi(3));
      assertEquals(2, accumulator.occurrences(3));
      assertEquals(20.0, accumulator.sumOfSquares(3));
      // draws 2, 4, 0, 0: mean 1.5, E[x^2] = 5, variance 2.75, SE = sqrt(2.75 / 4)
      assertEquals(Math.sqrt(2.75 / 4), accumulator.standardError(3), 1e-15);
      assertEquals(0.0, accumulator.phi(4));
      assertEquals(0.0, accumulator.standardError(4));
      assertEquals(0, accumulator.occurrences(4));
      assertEquals(1, accumulator.touchedParameters());
    }
  }

  @Test
  void standardErrorClampsNegativeVariance() {
    // sumOfSquares / n - phi^2 is about -1e-17 for these inputs; the clamp returns 0.
    double se = ShapleyAccumulator.standardError(0.3, 0.09 * (1 - 1e-16), 1);
    assertEquals(0.0, se);
    assertEquals(0.0, ShapleyAccumulator.standardError(1.0, 1.0, 0));
  }

  @Test
  void denseAndSparseAgreeAndVisitInOrder() {
    ShapleyAccumulator dense = ShapleyAccumulator.create(PARAMETERS, PARAMETERS);
    ShapleyAccumulator sparse = ShapleyAccumulator.create(PARAMETERS, 0);
    Random random = new Random(3);
    for (int i = 0; i < 20_000; i++) {
      long parameter = random.nextInt((int) PARAMETERS / 3) * 3L;
      double value = random.nextGaussian();
      dense.add(parameter, value);
      sparse.add(parameter, value);
    }
    assertEquals(dense.touchedParameters(), sparse.touchedParameters());
    List<long[]> visitedDense = visit(dense);
    List<long[]> visitedSparse = visit(sparse);
    assertEquals(visitedDense.size(), visitedSparse.size());
    for (int i = 0; i < visitedDense.size(); i++) {
      long[] a = visitedDense.get(i);
      long[] b = visitedSparse.get(i);
      assertEquals(a[0], b[0], "index at " + i);
      assertEquals(Double.longBitsToDouble(a[1]), Double.longBitsToDouble(b[1]), "sum at " + i);
      assertEquals(a[3], b[3], "occurrences at " + i);
      if (i > 0) {
        assertTrue(visitedDense.get(i - 1)[0] < a[0], "ascending order at " + i);
      }
    }
  }

  @Test
  void mergeOfShuffledPartsMatchesSingleAccumulator() {
    List<double[]> draws = new ArrayList<>();
    Random random = new Random(17);
    for (int i = 0; i < 50_000; i++) {
      // Terms of mixed magnitude and sign make a plain double sum order-dependent.
      double magnitude = Math.pow(10, random.nextInt(9) - 4);
      draws.add(new double[] {random.nextInt(200), magnitude * random.nextGaussian()});
    }
    ShapleyAccumulator whole = ShapleyAccumulator.create(PARAMETERS, 0);
    for (double[] draw : draws) {
      whole.add((long) draw[0], draw[1]);
    }
    whole.addSamples(draws.size());

    Collections.shuffle(draws, new Random(5));
    ShapleyAccumulator merged = ShapleyAccumulator.create(PARAMETERS, PARAMETERS);
    for (int part = 0; part < 7; part++) {
      ShapleyAccumulator piece = ShapleyAccumulator.create(PARAMETERS, part % 2 == 0 ? 0 : 1L << 20);
      for (int i = part; i < draws.size(); i += 7) {
        piece.add((long) draws.get(i)[0], draws.get(i)[1]);
        piece.addSamples(1);
      }
      merged.merge(piece);
    }
    assertEquals(whole.samples(), merged.samples());
    assertEquals(whole.touchedParameters(), merged.touchedParameters());
    whole.forEach((parameter, sum, sumOfSquares, occurrences) -> {
      assertEquals(sum, merged.sum(parameter), 5e-16 * Math.abs(sum) + 1e-300,
          "sum of " + parameter);
      assertEquals(sumOfSquares, merged.sumOfSquares(parameter), 1e-12 * sumOfSquares,
          "sum of squares of " + parameter);
      assertEquals(occurrences, merged.occurrences(parameter));
    });
  }

  @Test
  void rejectsOutOfRangeAndMismatchedMerge() {
    ShapleyAccumulator accumulator = ShapleyAccumulator.create(10, 10);
    assertThrows(IndexOutOfBoundsException.class, () -> accumulator.add(10, 1.0));
    assertThrows(IndexOutOfBoundsException.class, () -> accumulator.add(-1, 1.0));
    assertThrows(IllegalArgumentException.class,
        () -> accumulator.addStatistics(1, 1.0, 1.0, 0));
    assertThrows(IllegalArgumentException.class,
        () -> accumulator.merge(ShapleyAccumulator.create(11, 11)));
  }

  @Test
  void convergenceRatioCountsUntouchedZeros() {
    ShapleyAccumulator accumulator = ShapleyAccumulator.create(10, 10);
    accumulator.add(0, 2.0);
    accumulator.add(0, 4.0);
    accumulator.add(1, 1.0);
    accumulator.add(1, 1.0);
    accumulator.addSamples(2);
    Convergence convergence = Convergence.of(accumulator);
    // phi = {3, 1, 0 ...}; SE(0) = sqrt((10 - 9) / 2) / ... = sqrt(1 / 2); SE(1) = 0
    assertEquals(3.0, convergence.maxPhi());
    assertEquals(0.0, convergence.minPhi());
    assertEquals(Math.sqrt(0.5), convergence.maxStandardError(), 1e-15);
    assertEquals(Math.sqrt(0.5) / 3.0, convergence.ratio(), 1e-15);
    EstimatorSettings settings = EstimatorSettings.builder().convergenceThreshold(0.2)
        .minPasses(2).build();
    assertEquals(false, convergence.isConverged(5, settings));
    EstimatorSettings loose = settings.toBuilder().convergenceThreshold(0.3).build();
    assertEquals(false, convergence.isConverged(1, loose));
    assertEquals(true, convergence.isConverged(2, loose));
  }

  @Test
  void convergenceOfFlatEstimateUsesRangeFloor() {
    ShapleyAccumulator accumulator = ShapleyAccumulator.create(2, 2);
    accumulator.add(0, 1.0);
    accumulator.add(1, 1.0);
    accumulator.addSamples(1);
    Convergence convergence = Convergence.of(accumulator);
    assertEquals(0.0, convergence.ratio());
    assertEquals(1.0, convergence.maxPhi());
    assertEquals(1.0, convergence.minPhi());
    Convergence combined = convergence.combine(Convergence.empty());
    assertEquals(convergence.toString(), combined.toString());
  }

  private static List<ShapleyAccumulator> both(long parameters) {
    return List.of(ShapleyAccumulator.create(parameters, parameters),
        ShapleyAccumulator.create(parameters, 0));
  }

  private static List<long[]> visit(ShapleyAccumulator accumulator) {
    List<long[]> visited = new ArrayList<>();
    accumulator.forEach((parameter, sum, sumOfSquares, occurrences) -> visited.add(new long[] {
        parameter, Double.doubleToLongBits(sum), Double.doubleToLongBits(sumOfSquares),
        occurrences}));
    return visited;
  }
}
