package io.shaver.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaver.testing.SharedSpark;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

class ScoredSamplesTest {

  private static Row row(int variant, double label, double score, double unprunedScore) {
    return RowFactory.create(variant, label, score, BinaryMetrics.logLoss(score, label),
        BinaryMetrics.bernoulliKl(unprunedScore, score));
  }

  @Test
  void aucEqualsMannWhitneyWithTies() {
    SplittableRandom random = new SplittableRandom(11);
    int samples = 600;
    double[][] scores = new double[2][samples];
    double[] labels = new double[samples];
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < samples; i++) {
      labels[i] = random.nextDouble() < 0.3 ? 1 : 0;
      // Scores on a coarse grid, so many positive-negative pairs tie.
      scores[0][i] = Math.round((labels[i] + random.nextGaussian()) * 4) / 4.0;
      scores[1][i] = Math.round(random.nextGaussian() * 2) / 2.0;
      rows.add(row(0, labels[i], scores[0][i], scores[0][i]));
      rows.add(row(1, labels[i], scores[1][i], scores[0][i]));
    }
    Dataset<Row> scored = SharedSpark.get().createDataFrame(rows, ScoredSamples.SCHEMA)
        .repartition(3);

    Map<Integer, ScoreSummary> summaries = ScoredSamples.summarize(scored);

    assertEquals(2, summaries.size());
    for (int variant = 0; variant < 2; variant++) {
      double expected = ExactMetrics.mannWhitneyAuc(scores[variant], labels);
      assertEquals(expected, summaries.get(variant).auc(), 1e-12, "variant " + variant);
      assertEquals(samples, summaries.get(variant).samples());
    }
    assertTrue(summaries.get(0).auc() > 0.6, "informative scores: " + summaries.get(0).auc());
  }

  @Test
  void meansEqualLoopOverSamples() {
    SplittableRandom random = new SplittableRandom(5);
    List<Row> rows = new ArrayList<>();
    double lossSum = 0;
    double klSum = 0;
    long positives = 0;
    int samples = 257;
    for (int i = 0; i < samples; i++) {
      double label = random.nextInt(2);
      double unpruned = random.nextGaussian() * 3;
      double pruned = unpruned + random.nextGaussian();
      positives += (long) label;
      double p = 1 / (1 + Math.exp(-unpruned));
      double q = 1 / (1 + Math.exp(-pruned));
      // Textbook forms on probabilities, independent of BinaryMetrics.
      lossSum += -(label * Math.log(q) + (1 - label) * Math.log(1 - q));
      klSum += p * Math.log(p / q) + (1 - p) * Math.log((1 - p) / (1 - q));
      rows.add(row(7, label, pruned, unpruned));
    }
    Dataset<Row> scored = SharedSpark.get().createDataFrame(rows, ScoredSamples.SCHEMA)
        .repartition(4);

    ScoreSummary summary = ScoredSamples.summarize(scored).get(7);

    assertEquals(samples, summary.samples());
    assertEquals(positives, summary.positives());
    assertEquals(lossSum / samples, summary.logLoss(), 1e-12);
    assertEquals(klSum / samples, summary.kl(), 1e-12);
  }

  @Test
  void aucNaNForOneClass() {
    List<Row> rows = List.of(row(0, 1, 0.5, 0.5), row(0, 1, -0.5, 0.5));
    Dataset<Row> scored = SharedSpark.get().createDataFrame(rows, ScoredSamples.SCHEMA);

    ScoreSummary summary = ScoredSamples.summarize(scored).get(0);

    assertTrue(Double.isNaN(summary.auc()), "auc = " + summary.auc());
    assertEquals(2, summary.positives());
  }

  @Test
  void aucPerVariantAmongManyVariants() {
    SplittableRandom random = new SplittableRandom(23);
    int samples = 150;
    int variants = 12;
    double[] labels = new double[samples];
    double[][] scores = new double[variants][samples];
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < samples; i++) {
      labels[i] = random.nextDouble() < 0.25 ? 1 : 0;
    }
    for (int v = 0; v < variants; v++) {
      for (int i = 0; i < samples; i++) {
        // Variant v mixes the label in with weight v / variants on a coarse grid.
        scores[v][i] = Math.round((labels[i] * v / variants + random.nextGaussian()) * 3) / 3.0;
        rows.add(row(v, labels[i], scores[v][i], 0));
      }
    }
    // A variant with positives only has no AUC, whatever the other variants contain.
    rows.add(row(variants, 1, 0.2, 0));
    Dataset<Row> scored = SharedSpark.get().createDataFrame(rows, ScoredSamples.SCHEMA)
        .repartition(5);

    Map<Integer, ScoreSummary> summaries = ScoredSamples.summarize(scored);

    assertEquals(variants + 1, summaries.size());
    for (int v = 0; v < variants; v++) {
      assertEquals(ExactMetrics.mannWhitneyAuc(scores[v], labels), summaries.get(v).auc(), 1e-12,
          "variant " + v);
    }
    assertTrue(Double.isNaN(summaries.get(variants).auc()));
  }
}
