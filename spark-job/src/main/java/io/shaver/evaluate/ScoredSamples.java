package io.shaver.evaluate;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ObjDoubleConsumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
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
   * <p>AUC is the exact Mann-Whitney statistic: tied positive-negative pairs count one half,
   * which equals the area under the full ROC curve that Spark MLlib's
   * {@code BinaryClassificationEvaluator} computes with {@code numBins} 0. Every variant's AUC
   * comes from one Spark job (see {@link #areasUnderRoc}). Means are double sums divided by the
   * count. The caller should cache {@code scored}: this runs one job for the means and one for
   * the AUCs, whatever the number of variants.
   */
  public static Map<Integer, ScoreSummary> summarize(Dataset<Row> scored) {
    return summarize(scored, (variant, seconds) -> { });
  }

  /**
   * Same as {@link #summarize(Dataset)}, and reports to {@code aucSeconds} each variant's share
   * of the AUC job: its time divided evenly among the variants.
   */
  public static Map<Integer, ScoreSummary> summarize(Dataset<Row> scored,
      ObjDoubleConsumer<Integer> aucSeconds) {
    Map<Integer, ScoreSummary> summaries = new HashMap<>();
    Dataset<Row> means = scored.groupBy(VARIANT).agg(
        count(col(LABEL)).as("samples"),
        sum(col(LABEL)).as("positives"),
        avg(col(LOSS)).as("logloss"),
        avg(col(KL)).as("kl"));
    List<Row> meanRows = means.collectAsList();
    long start = System.nanoTime();
    Map<Integer, Double> areas = areasUnderRoc(scored);
    double aucShare = (System.nanoTime() - start) / 1e9 / Math.max(meanRows.size(), 1);
    for (Row row : meanRows) {
      int variant = row.getInt(0);
      long samples = row.getLong(1);
      long positives = Math.round(row.getDouble(2));
      aucSeconds.accept(variant, aucShare);
      summaries.put(variant, new ScoreSummary(samples, positives, areas.get(variant),
          row.getDouble(3), row.getDouble(4)));
    }
    return summaries;
  }

  /**
   * Returns the exact ROC AUC of {@code score} against {@code label} for every variant, NaN for
   * a variant with one class.
   *
   * <p>Samples are grouped by (variant, score), and each variant's groups are walked in ascending
   * score. A group with p positives and q negatives credits p · (negatives below it + q / 2). The
   * AUC is the total credit over positives · negatives. Credits are integers or halves, so their
   * double sums are exact below 2^53.
   */
  static Map<Integer, Double> areasUnderRoc(Dataset<Row> scored) {
    Dataset<Row> groups = scored.groupBy(VARIANT, SCORE).agg(
        sum(col(LABEL)).as("positives"),
        sum(lit(1.0).minus(col(LABEL))).as("negatives"));
    WindowSpec below = Window.partitionBy(VARIANT).orderBy(SCORE)
        .rowsBetween(Window.unboundedPreceding(), -1);
    Dataset<Row> credits = groups
        .withColumn("negatives_below", coalesce(sum(col("negatives")).over(below), lit(0.0)))
        .groupBy(VARIANT).agg(
            sum(col("positives").multiply(col("negatives_below")
                .plus(col("negatives").multiply(0.5)))).as("credit"),
            sum(col("positives")).as("positives"),
            sum(col("negatives")).as("negatives"));
    Map<Integer, Double> areas = new HashMap<>();
    for (Row row : credits.collectAsList()) {
      double positives = row.getDouble(2);
      double negatives = row.getDouble(3);
      double area = positives == 0 || negatives == 0
          ? Double.NaN
          : row.getDouble(1) / (positives * negatives);
      areas.put(row.getInt(0), area);
    }
    return areas;
  }
}
