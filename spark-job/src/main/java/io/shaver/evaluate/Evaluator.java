package io.shaver.evaluate;

import io.shaver.compress.Budget;
import io.shaver.compress.CompressSettings;
import io.shaver.compress.EmbeddingTable;
import io.shaver.compress.FieldLayout;
import io.shaver.compress.StorageCost;
import io.shaver.compress.TableShape;
import io.shaver.config.EvaluateSettings;
import io.shaver.config.EvaluationMethod;
import io.shaver.model.CtrModel;
import io.shaver.model.ModelConfig;
import io.shaver.model.ModelStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores the unpruned model and every method × budget on the test split.
 *
 * <p>The model is broadcast once. Each method then runs as one Spark job over the test split
 * that scores all of its budgets (see {@link RankedPruningPlan} and {@link QuantizedPlan}), so
 * executors hold one table and at most one position array at a time, whatever the number of
 * budgets. The scored rows of a job (test samples × budgets) are persisted until its metrics
 * are computed.
 */
public final class Evaluator {

  private static final Logger LOG = LoggerFactory.getLogger(Evaluator.class);

  private final CtrModel model;
  private final ModelSnapshot snapshot;
  private final CompressSettings compress;
  private final EvaluateSettings settings;
  private final EstimateSource estimates;
  private final TableShape shape;
  private final FieldLayout layout;

  /** Sources of phi and the codebook; each is read only when a method needs it. */
  public interface EstimateSource {
    /** Returns phi of {@code shapley/} (codebook placeholders), n·d. */
    double[] phi();

    /** Returns the codebook of {@code codebook/}, m·d. */
    float[] codebook();

    /** Returns phi of {@code shapley-zero/} (zero placeholders), or null when it was not estimated. */
    double[] zeroPhi();
  }

  /**
   * Results of one evaluation.
   *
   * @param metrics the unpruned row first, then each method's variants in sweep order
   * @param fieldShares per pruning method, budget and field, the pruned parameter count
   * @param testSamples test samples scored per variant
   */
  public record Result(List<MetricsRow> metrics, List<FieldShareRow> fieldShares,
      long testSamples) {
  }

  public Evaluator(ModelStore.StoredModel stored, CompressSettings compress,
      EvaluateSettings settings, EstimateSource estimates) {
    this.model = stored.model();
    this.snapshot = ModelSnapshot.of(stored.config(), stored.stateDict());
    this.compress = compress;
    this.settings = settings;
    this.estimates = estimates;
    ModelConfig config = stored.config();
    this.shape = new TableShape(config.rowCount(), config.embeddingDim(), config.fieldCount());
    this.layout = FieldLayout.fromSizes(config.fieldNames(), config.fieldSizes());
  }

  /** Scores every variant on {@code test} (int label, int array ids). */
  public Result run(Dataset<Row> test) {
    long start = System.nanoTime();
    JavaSparkContext context = JavaSparkContext.fromSparkContext(
        test.sparkSession().sparkContext());
    Broadcast<ModelSnapshot> broadcast = context.broadcast(snapshot);
    Dataset<Row> cachedTest = test.persist(StorageLevel.MEMORY_AND_DISK());
    List<MetricsRow> metrics = new ArrayList<>();
    List<FieldShareRow> fieldShares = new ArrayList<>();
    long samples;
    try {
      Variant unprunedVariant = new Variant(Variant.UNPRUNED, Variant.NO_BUDGET, 0,
          shape.parameters(), shape.denseBytes());
      MethodVariants unpruned = new MethodVariants(Variant.UNPRUNED, List.of(unprunedVariant),
          new UnprunedPlan(), null);
      ScoreSummary reference = score(cachedTest, broadcast, unpruned).get(0);
      samples = reference.samples();
      metrics.add(MetricsRow.of(unprunedVariant, reference, reference.auc()));

      for (EvaluationMethod method : settings.methods()) {
        MethodVariants variants = variantsOf(method, context);
        if (variants == null) {
          continue;
        }
        try {
          Map<Integer, ScoreSummary> summaries = score(cachedTest, broadcast, variants);
          for (int v = 0; v < variants.variants().size(); v++) {
            metrics.add(MetricsRow.of(variants.variants().get(v), summaries.get(v),
                reference.auc()));
          }
          fieldShares.addAll(fieldShareRows(variants));
        } finally {
          variants.plan().release();
        }
      }
    } finally {
      cachedTest.unpersist();
      broadcast.destroy();
      snapshot.release();
    }
    LOG.info("Evaluated {} variants on {} test samples in {} s", metrics.size(), samples,
        seconds(start));
    return new Result(metrics, fieldShares, samples);
  }

  private Map<Integer, ScoreSummary> score(Dataset<Row> test, Broadcast<ModelSnapshot> broadcast,
      MethodVariants variants) {
    long start = System.nanoTime();
    Dataset<Row> scored = TestSplitScorer.score(test, broadcast, variants.plan(),
        settings.batchSize()).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      double[] aucSeconds = new double[variants.variants().size()];
      Map<Integer, ScoreSummary> summaries = ScoredSamples.summarize(scored,
          (variant, seconds) -> aucSeconds[variant] = seconds);
      if (summaries.size() != variants.variants().size()) {
        throw new IllegalStateException("The test split is empty: no samples to score in "
            + test.inputFiles().length + " input files");
      }
      double total = seconds(start);
      double aucTotal = Arrays.stream(aucSeconds).sum();
      double sharedPass = (total - aucTotal) / aucSeconds.length;
      for (int v = 0; v < aucSeconds.length; v++) {
        Variant variant = variants.variants().get(v);
        ScoreSummary summary = summaries.get(v);
        LOG.info("Scored {} at {}: AUC {}, LogLoss {}, KL {} in {} s ({} s share of the"
            + " scoring pass + {} s AUC)", variant.method(), variant.budget(),
            format(summary.auc()), format(summary.logLoss()), format(summary.kl()),
            String.format("%.2f", sharedPass + aucSeconds[v]), String.format("%.2f", sharedPass),
            String.format("%.2f", aucSeconds[v]));
      }
      return summaries;
    } finally {
      scored.unpersist();
    }
  }

  /** Returns the variants of {@code method}, or null when its inputs are missing. */
  private MethodVariants variantsOf(EvaluationMethod method, JavaSparkContext context) {
    if (method == EvaluationMethod.PTQ) {
      return quantizedVariants();
    }
    long start = System.nanoTime();
    float[] placeholders = method == EvaluationMethod.SHAVER_CODEBOOK
        ? estimates.codebook()
        : new float[shape.fields() * shape.dimension()];
    int[] positions = positionsOf(method, placeholders);
    if (positions == null) {
      return null;
    }

    List<Variant> variants = new ArrayList<>();
    int[] prunedCounts = new int[compress.budgets().size()];
    for (int i = 0; i < prunedCounts.length; i++) {
      Budget budget = compress.budgets().get(i);
      long kept = budget.keptCount(shape);
      long bytes = new StorageCost(shape, compress.formatOf(budget)).payloadBytes(kept);
      prunedCounts[i] = Math.toIntExact(shape.parameters() - kept);
      variants.add(new Variant(method.configName(), budget.label(), prunedCounts[i], kept, bytes));
    }
    long[][] perField = FieldPruning.prunedPerField(positions, prunedCounts, layout.offsets(),
        shape.dimension());
    LOG.info("Ranked {} parameters for {} in {} s", shape.parameters(), method, seconds(start));
    ServingPlan plan = new RankedPruningPlan(context.broadcast(positions), placeholders,
        prunedCounts);
    return new MethodVariants(method.configName(), variants, plan, perField);
  }

  /** Returns the ranking position of each parameter, or null when the method's phi is missing. */
  private int[] positionsOf(EvaluationMethod method, float[] placeholders) {
    float[] values = model.embeddingTable();
    return switch (method) {
      case SHAVER_CODEBOOK -> PruningOrders.byPhi(EmbeddingTable.withCodebook(layout,
          shape.dimension(), values, placeholders, null), estimates.phi(), compress.ranking());
      case SHAVER_ZERO -> {
        double[] zeroPhi = estimates.zeroPhi();
        yield zeroPhi == null
            ? null
            : PruningOrders.byPhi(zeroTable(values), zeroPhi, compress.ranking());
      }
      case MAGNITUDE -> PruningOrders.byMagnitude(zeroTable(values), values);
      case RANDOM -> PruningOrders.random(Math.toIntExact(shape.parameters()),
          settings.randomSeed());
      case PTQ -> throw new IllegalArgumentException("PTQ does not prune");
    };
  }

  private EmbeddingTable zeroTable(float[] values) {
    return EmbeddingTable.withZeroPlaceholder(layout, shape.dimension(), values, null);
  }

  private MethodVariants quantizedVariants() {
    List<Integer> widths = settings.ptqBits();
    int[] bits = widths.stream().mapToInt(Integer::intValue).toArray();
    List<Variant> variants = new ArrayList<>();
    for (int width : bits) {
      variants.add(new Variant(EvaluationMethod.PTQ.configName(), "bits=" + width, 0,
          shape.parameters(), quantizedBytes(width)));
    }
    return new MethodVariants(EvaluationMethod.PTQ.configName(), variants,
        QuantizedPlan.fit(model.embeddingTable(), bits), null);
  }

  /** Returns the bytes of n·d b-bit codes, packed, plus a float32 scale and an int32 zero point. */
  long quantizedBytes(int bits) {
    return (shape.parameters() * bits + 7) / 8 + 8;
  }

  private List<FieldShareRow> fieldShareRows(MethodVariants variants) {
    List<FieldShareRow> rows = new ArrayList<>();
    if (variants.prunedPerField() == null) {
      return rows;
    }
    for (int v = 0; v < variants.variants().size(); v++) {
      for (int f = 0; f < layout.fields(); f++) {
        long parameters = (long) (layout.offset(f + 1) - layout.offset(f)) * shape.dimension();
        rows.add(new FieldShareRow(variants.method(), variants.variants().get(v).budget(), f,
            layout.name(f), parameters, variants.prunedPerField()[v][f]));
      }
    }
    return rows;
  }

  private static String format(double value) {
    return String.format("%.6f", value);
  }

  private static double seconds(long start) {
    return Math.round((System.nanoTime() - start) / 1e7) / 100.0;
  }
}
