package io.shaver.evaluate;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.sum;

import java.util.HashMap;
import java.util.Map;
import java.util.function.ObjDoubleConsumer;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Per-sample scores of several variants on the test split, and their reduction to metrics.
 *
 * <p>Columns of {@link #SCHEMA}: {@code variant} (index of the scored variant), {@code label}
 * (0 or 1), {@code score} (the variant's logit), {@code loss} (its binary cross-entropy) and
 * {@code kl} (Bernoulli KL divergence from the unpruned model's prediction).
 */
public final class ScoredSamples {

  public static final String VARIANT = "variant";
  public static final String LABEL = "label";
  public static final String SCORE = "score";
  public static final String LOSS = "loss";
  public static final String KL = "kl";

  public static final StructType SCHEMA = new StructType()
      .add(VARIANT, DataTypes.IntegerType, false)
      .add(LABEL, DataTypes.DoubleType, false)
      .add(SCORE, DataTypes.DoubleType, false)
      .add(LOSS, DataTypes.DoubleType, false)
      .add(KL, DataTypes.DoubleType, false);

  private ScoredSamples() {
  }

  /**
   * Reduces scored samples to one {@link ScoreSummary} per variant index present.
   *
   * <p>AUC comes from Spark MLlib's {@link BinaryClassificationEvaluator} with {@code numBins}
   * 0, so the ROC curve is not down-sampled and the area is exact (equal scores form one ROC
   * point, which counts tied positive-negative pairs one half). Means are double sums divided by
   * the count. The caller should cache {@code scored}: this runs one Spark job for the means and
   * one per variant for the AUC.
   */
  public static Map<Integer, ScoreSummary> summarize(Dataset<Row> scored) {
    return summarize(scored, (variant, seconds) -> { });
  }

  /**
   * Same as {@link #summarize(Dataset)}, and reports the seconds that each variant's AUC took
   * to {@code aucSeconds}.
   */
  public static Map<Integer, ScoreSummary> summarize(Dataset<Row> scored,
      ObjDoubleConsumer<Integer> aucSeconds) {
    Map<Integer, ScoreSummary> summaries = new HashMap<>();
    Dataset<Row> means = scored.groupBy(VARIANT).agg(
        count(col(LABEL)).as("samples"),
        sum(col(LABEL)).as("positives"),
        avg(col(LOSS)).as("logloss"),
        avg(col(KL)).as("kl"));
    for (Row row : means.collectAsList()) {
      int variant = row.getInt(0);
      long samples = row.getLong(1);
      long positives = Math.round(row.getDouble(2));
      long start = System.nanoTime();
      double auc = areaUnderRoc(scored.where(col(VARIANT).equalTo(variant)), samples, positives);
      aucSeconds.accept(variant, (System.nanoTime() - start) / 1e9);
      summaries.put(variant, new ScoreSummary(samples, positives, auc, row.getDouble(3),
          row.getDouble(4)));
    }
    return summaries;
  }

  /** Returns the exact ROC AUC of {@code score} against {@code label}; NaN for one class. */
  static double areaUnderRoc(Dataset<Row> scored, long samples, long positives) {
    if (positives == 0 || positives == samples) {
      return Double.NaN;
    }
    BinaryClassificationEvaluator evaluator = new BinaryClassificationEvaluator()
        .setLabelCol(LABEL)
        .setRawPredictionCol(SCORE)
        .setMetricName("areaUnderROC")
        .setNumBins(0);
    return evaluator.evaluate(scored);
  }
}
