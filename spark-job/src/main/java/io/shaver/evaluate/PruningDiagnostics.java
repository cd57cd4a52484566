package io.shaver.evaluate;

import static org.apache.spark.sql.functions.col;

import io.shaver.compress.Budget;
import io.shaver.compress.EmbeddingTable;
import io.shaver.compress.FieldLayout;
import io.shaver.compress.TableShape;
import io.shaver.config.JobConfig;
import io.shaver.config.JobConfigLoader;
import io.shaver.model.CtrModel;
import io.shaver.model.ModelConfig;
import io.shaver.model.ModelStore;
import io.shaver.pipeline.RunLayout;
import io.shaver.spark.ModelDirectories;
import io.shaver.spark.SparkSessions;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Explains the evaluate stage's ranking of methods for one finished run, and writes the figures
 * as Markdown tables.
 *
 * <p>For phi with codebook placeholders and with zero placeholders it counts untouched rows,
 * exact zeros, tied values and parameters whose |phi| is within two standard errors of 0. For
 * every budget of the run's sweep it measures the overlap of the pruned sets of shaver-codebook,
 * shaver-zero and magnitude pruning, rescores each method on the test and validation splits
 * with the evaluate stage's own serving code ({@link RankedPruningPlan}), and compares
 * shaver-codebook with the other two by the paired AUC difference and its DeLong and bootstrap
 * standard errors ({@link PairedAuc}).
 *
 * <p>Usage: {@code PruningDiagnostics CONFIG OUTPUT REPORT.md [key=value ...]}, where OUTPUT
 * is the run's output directory, and each key=value overrides the config like {@code --set}.
 */
public final class PruningDiagnostics {

  private static final Logger LOG = LoggerFactory.getLogger(PruningDiagnostics.class);

  /** Paired bootstrap draws per comparison. */
  static final int BOOTSTRAP_REPLICATES = 2000;
  /** Fields listed per budget in the per-field table. */
  static final int FIELDS_PER_BUDGET = 5;
  /** Untouched rows listed by field and token per estimate; the rest are only counted. */
  static final int UNTOUCHED_LISTED = 10;

  private static final String CODEBOOK = "shaver-codebook";
  private static final String ZERO = "shaver-zero";
  private static final String MAGNITUDE = "magnitude";
  private static final String RANDOM = "random";
  private static final String CODEBOOK_SET_ZERO_FILL = "C set, zero fill";
  private static final String ZERO_SET_CODEBOOK_FILL = "Z set, codebook fill";

  private final SparkSession spark;
  private final JobConfig config;
  private final RunLayout layout;
  private final CtrModel model;
  private final ModelConfig modelConfig;
  private final FieldLayout fields;
  private final int dimension;
  private final StringBuilder report = new StringBuilder();
  private final List<String> untouched = new java.util.ArrayList<>();

  private PruningDiagnostics(SparkSession spark, JobConfig config) throws IOException {
    this.spark = spark;
    this.config = config;
    this.layout = new RunLayout(config.output());
    ModelStore.StoredModel stored = ModelDirectories.load(layout.model(),
        spark.sparkContext().hadoopConfiguration());
    this.model = stored.model();
    this.modelConfig = stored.config();
    this.fields = FieldLayout.fromSizes(modelConfig.fieldNames(), modelConfig.fieldSizes());
    this.dimension = modelConfig.embeddingDim();
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 3) {
      throw new IllegalArgumentException(
          "usage: PruningDiagnostics CONFIG OUTPUT REPORT.md [key=value ...]");
    }
    List<String> overrides = Arrays.asList(args).subList(3, args.length);
    JobConfig config = JobConfigLoader.load(java.nio.file.Path.of(args[0]), overrides, args[1]);
    SparkSession spark = SparkSessions.getOrCreate("pruning-diagnostics");
    Files.writeString(java.nio.file.Path.of(args[2]), report(spark, config));
    LOG.info("Wrote {}", args[2]);
    spark.stop();
  }

  /**
   * Returns the Markdown report of the finished run under {@code config.output()}.
   *
   * @throws IOException when the model cannot be read
   */
  static String report(SparkSession spark, JobConfig config) throws IOException {
    PruningDiagnostics diagnostics = new PruningDiagnostics(spark, config);
    diagnostics.run();
    return diagnostics.report.toString();
  }

  private void run() {
    long start = System.nanoTime();
    RunEstimates estimates = new RunEstimates(spark, layout, modelConfig);
    double[] phi = estimates.phi();
    double[] zeroPhi = estimates.zeroPhi();
    float[] codebook = estimates.codebook();
    float[] values = model.embeddingTable();

    report.append("## Estimates\n\n");
    report.append("| estimate | parameters | untouched rows | phi = 0 | in tied groups (phi ≠ 0)"
        + " | distinct phi | convergence ratio | median SE | abs(phi) < 2 SE |\n");
    report.append("|---|---|---|---|---|---|---|---|---|\n");
    double[] codebookErrors = estimateRow(CODEBOOK, layout.shapley(), phi);
    if (zeroPhi != null) {
      estimateRow(ZERO, layout.shapleyZero(), zeroPhi);
    }

    report.append("\nUntouched rows (field, token) per estimate: ").append(untouched)
        .append("\n");

    EmbeddingTable zeroTable = EmbeddingTable.withZeroPlaceholder(fields, dimension, values,
        null);
    Map<String, int[]> positions = new LinkedHashMap<>();
    positions.put(CODEBOOK, PruningOrders.byPhi(EmbeddingTable.withCodebook(fields, dimension,
        values, codebook, null), phi, config.compress().ranking()));
    if (zeroPhi != null) {
      positions.put(ZERO, PruningOrders.byPhi(zeroTable, zeroPhi, config.compress().ranking()));
    }
    positions.put(MAGNITUDE, PruningOrders.byMagnitude(zeroTable, values));
    positions.put(RANDOM, PruningOrders.random(values.length, config.evaluate().randomSeed()));
    Map<String, float[]> placeholders = new LinkedHashMap<>();
    positions.keySet().forEach(method -> placeholders.put(method,
        method.equals(CODEBOOK) ? codebook : new float[fields.fields() * dimension]));
    // Crossed variants separate the pruned set from the value served in its place.
    positions.put(CODEBOOK_SET_ZERO_FILL, positions.get(CODEBOOK));
    placeholders.put(CODEBOOK_SET_ZERO_FILL, new float[fields.fields() * dimension]);
    if (zeroPhi != null) {
      positions.put(ZERO_SET_CODEBOOK_FILL, positions.get(ZERO));
      placeholders.put(ZERO_SET_CODEBOOK_FILL, codebook);
    }

    int[] prunedCounts = prunedCounts();
    overlapTable(positions, phi, codebookErrors, zeroPhi, prunedCounts);
    fieldTable(positions, prunedCounts);
    scoreTables(positions, placeholders, prunedCounts);
    LOG.info("Diagnostics finished in {} s", (System.nanoTime() - start) / 1_000_000_000);
  }

  private int[] prunedCounts() {
    TableShape shape = new TableShape(modelConfig.rowCount(), dimension, fields.fields());
    List<Budget> budgets = config.compress().budgets();
    int[] counts = new int[budgets.size()];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = Math.toIntExact(shape.parameters() - budgets.get(i).keptCount(shape));
    }
    return counts;
  }

  /** Appends one row of phi statistics; stderr and occurrences come from the Parquet output. */
  private double[] estimateRow(String name, org.apache.hadoop.fs.Path directory,
      double[] phi) {
    double[] standardErrors = new double[phi.length];
    long[] occurrences = new long[modelConfig.rowCount()];
    Iterator<Row> rows = spark.read().parquet(directory.toString())
        .select(col("global_id").cast("long"), col("dimension").cast("int"),
            col("stderr").cast("double"), col("occurrences").cast("long"))
        .toLocalIterator();
    while (rows.hasNext()) {
      Row row = rows.next();
      int flat = Math.toIntExact(row.getLong(0) * dimension + row.getInt(1));
      standardErrors[flat] = row.getDouble(2);
      occurrences[(int) row.getLong(0)] = Math.max(occurrences[(int) row.getLong(0)],
          row.getLong(3));
    }

    long untouchedRows = Arrays.stream(occurrences).filter(count -> count == 0).count();
    long zeros = Arrays.stream(phi).filter(value -> value == 0).count();

    double[] sorted = phi.clone();
    Arrays.sort(sorted);
    long tied = 0;
    long distinct = 0;
    for (int start = 0; start < sorted.length; ) {
      int end = start + 1;
      while (end < sorted.length && sorted[end] == sorted[start]) {
        end++;
      }
      distinct++;
      if (end - start > 1 && sorted[start] != 0) {
        tied += end - start;
      }
      start = end;
    }

    double range = Math.max(sorted[sorted.length - 1], 0) - Math.min(sorted[0], 0);
    double maxError = Arrays.stream(standardErrors).max().orElse(0);
    long insignificant = 0;
    for (int i = 0; i < phi.length; i++) {
      insignificant += Math.abs(phi[i]) < 2 * standardErrors[i] ? 1 : 0;
    }
    double[] errors = standardErrors.clone();
    Arrays.sort(errors);
    List<Row> untouchedTokens = spark.read().parquet(directory.toString())
        .where(col("occurrences").equalTo(0)).select("field", "token").distinct()
        .limit(UNTOUCHED_LISTED).collectAsList();
    untouched.add(name + ": " + untouchedTokens
        + (untouchedRows > UNTOUCHED_LISTED ? " and " + (untouchedRows - UNTOUCHED_LISTED)
            + " more" : ""));
    report.append(String.format(Locale.ROOT, "| %s | %d | %d of %d | %d | %d | %d | %.5f | %.3g"
        + " | %d (%.1f%%) |\n", name, phi.length, untouchedRows, occurrences.length, zeros, tied,
        distinct, maxError / Math.max(range, 1e-12), errors[errors.length / 2], insignificant,
        100.0 * insignificant / phi.length));
    return standardErrors;
  }

  private void overlapTable(Map<String, int[]> positions, double[] phi,
      double[] standardErrors, double[] zeroPhi, int[] prunedCounts) {
    report.append("\n## Pruned sets\n\n");
    report.append("Overlap is |A ∩ B| / pruned. \"phi = 0\" counts pruned parameters whose phi"
        + " is exactly 0. C is shaver-codebook, Z shaver-zero, M magnitude.\n\n");
    report.append("| budget | pruned | C ∩ Z | C ∩ M | Z ∩ M | C ∩ random | C: phi = 0 |"
        + " Z: phi = 0 | C: largest pruned abs(phi) | C: pruned with abs(phi) < 2 SE |\n");
    report.append("|---|---|---|---|---|---|---|---|---|---|\n");
    List<Budget> budgets = config.compress().budgets();
    int[] c = positions.get(CODEBOOK);
    int[] z = positions.get(ZERO);
    int[] m = positions.get(MAGNITUDE);
    int[] r = positions.get(RANDOM);
    for (int b = 0; b < budgets.size(); b++) {
      int k = prunedCounts[b];
      long cz = 0;
      long cm = 0;
      long zm = 0;
      long cr = 0;
      long cZeros = 0;
      long zZeros = 0;
      double largest = 0;
      long insignificant = 0;
      for (int p = 0; p < c.length; p++) {
        boolean inC = c[p] < k;
        boolean inZ = z != null && z[p] < k;
        boolean inM = m[p] < k;
        cz += inC && inZ ? 1 : 0;
        cm += inC && inM ? 1 : 0;
        zm += inZ && inM ? 1 : 0;
        cr += inC && r[p] < k ? 1 : 0;
        cZeros += inC && phi[p] == 0 ? 1 : 0;
        zZeros += inZ && zeroPhi[p] == 0 ? 1 : 0;
        largest = inC ? Math.max(largest, Math.abs(phi[p])) : largest;
        insignificant += inC && Math.abs(phi[p]) < 2 * standardErrors[p] ? 1 : 0;
      }
      report.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %d | %d |"
          + " %.3g | %s |\n", budgets.get(b).label(), k, share(cz, k), share(cm, k),
          share(zm, k), share(cr, k), cZeros, zZeros, largest, share(insignificant, k)));
    }
  }

  private void fieldTable(Map<String, int[]> positions, int[] prunedCounts) {
    report.append("\n## Pruned share per field\n\n");
    report.append("Per budget, the " + FIELDS_PER_BUDGET + " fields where the pruned shares of"
        + " shaver-codebook and magnitude differ most.\n\n");
    report.append("| budget | field | rows | shaver-codebook | shaver-zero | magnitude |\n");
    report.append("|---|---|---|---|---|---|\n");
    Map<String, long[][]> perField = new LinkedHashMap<>();
    positions.forEach((method, order) -> perField.put(method,
        FieldPruning.prunedPerField(order, prunedCounts, fields.offsets(), dimension)));
    List<Budget> budgets = config.compress().budgets();
    for (int b = 0; b < budgets.size(); b++) {
      int budget = b;
      Integer[] order = new Integer[fields.fields()];
      for (int f = 0; f < order.length; f++) {
        order[f] = f;
      }
      Arrays.sort(order, (x, y) -> Double.compare(
          Math.abs(fieldShare(perField, CODEBOOK, budget, y)
              - fieldShare(perField, MAGNITUDE, budget, y)),
          Math.abs(fieldShare(perField, CODEBOOK, budget, x)
              - fieldShare(perField, MAGNITUDE, budget, x))));
      for (int i = 0; i < Math.min(FIELDS_PER_BUDGET, order.length); i++) {
        int f = order[i];
        report.append(String.format(Locale.ROOT, "| %s | %s | %d | %.3f | %s | %.3f |\n",
            budgets.get(b).label(), fields.name(f), fields.offset(f + 1) - fields.offset(f),
            fieldShare(perField, CODEBOOK, b, f),
            perField.containsKey(ZERO)
                ? String.format(Locale.ROOT, "%.3f", fieldShare(perField, ZERO, b, f)) : "-",
            fieldShare(perField, MAGNITUDE, b, f)));
      }
    }
  }

  private double fieldShare(Map<String, long[][]> perField, String method, int budget,
      int field) {
    long parameters = (long) (fields.offset(field + 1) - fields.offset(field)) * dimension;
    return (double) perField.get(method)[budget][field] / parameters;
  }

  private void scoreTables(Map<String, int[]> positions, Map<String, float[]> placeholders,
      int[] prunedCounts) {
    Split test = Split.read(spark, layout.split("test").toString(), fields.fields());
    Split validation = Split.read(spark, layout.split("val").toString(), fields.fields());
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Map<String, double[][]> testScores = new LinkedHashMap<>();
    Map<String, double[][]> validationScores = new LinkedHashMap<>();
    for (Map.Entry<String, int[]> method : positions.entrySet()) {
      RankedPruningPlan plan = new RankedPruningPlan(context.broadcast(method.getValue()),
          placeholders.get(method.getKey()), prunedCounts);
      ServingPlan.ServedTables tables = plan.open(model);
      testScores.put(method.getKey(), test.score(model, tables, prunedCounts.length));
      validationScores.put(method.getKey(),
          validation.score(model, tables, prunedCounts.length));
      plan.release();
    }
    double[] unprunedTest = test.unpruned(model);
    double[] unprunedValidation = validation.unpruned(model);

    report.append("\n## AUC and LogLoss per budget\n\n");
    report.append(String.format(Locale.ROOT, "Rescored here: unpruned test AUC %.5f, LogLoss"
        + " %.5f (%d rows); validation AUC %.5f, LogLoss %.5f (%d rows).\n\n",
        PairedAuc.auc(test.labels, unprunedTest), test.logLoss(unprunedTest), test.size(),
        PairedAuc.auc(validation.labels, unprunedValidation),
        validation.logLoss(unprunedValidation), validation.size()));
    report.append("| budget | method | test AUC | test LogLoss | val AUC | val LogLoss |\n");
    report.append("|---|---|---|---|---|---|\n");
    List<Budget> budgets = config.compress().budgets();
    for (int b = 0; b < budgets.size(); b++) {
      for (String method : positions.keySet()) {
        double[] t = testScores.get(method)[b];
        double[] v = validationScores.get(method)[b];
        report.append(String.format(Locale.ROOT, "| %s | %s | %.5f | %.5f | %.5f | %.5f |\n",
            budgets.get(b).label(), method, PairedAuc.auc(test.labels, t), test.logLoss(t),
            PairedAuc.auc(validation.labels, v), validation.logLoss(v)));
      }
    }
    comparisonTable("test", test, testScores);
    comparisonTable("val", validation, validationScores);
  }

  private void comparisonTable(String splitName, Split split, Map<String, double[][]> scores) {
    report.append("\n## Paired AUC differences, " + splitName + " split\n\n");
    report.append("z is the difference over its DeLong standard error; the bootstrap uses "
        + BOOTSTRAP_REPLICATES + " paired draws.\n\n");
    report.append("| budget | pair | AUC difference | DeLong SE | bootstrap SE | z |\n");
    report.append("|---|---|---|---|---|---|\n");
    List<Budget> budgets = config.compress().budgets();
    for (int b = 0; b < budgets.size(); b++) {
      for (String other : List.of(ZERO, MAGNITUDE)) {
        if (!scores.containsKey(other)) {
          continue;
        }
        PairedAuc.Comparison comparison = PairedAuc.compare(split.labels,
            scores.get(CODEBOOK)[b], scores.get(other)[b], BOOTSTRAP_REPLICATES, 2023 + b);
        report.append(String.format(Locale.ROOT, "| %s | C − %s | %+.5f | %.5f | %.5f |"
            + " %+.2f |\n", budgets.get(b).label(), other.equals(ZERO) ? "Z" : "M",
            comparison.difference(), comparison.delongStandardError(),
            comparison.bootstrapStandardError(), comparison.delongZ()));
      }
    }
  }

  private static String share(long count, long total) {
    return total == 0 ? "-" : String.format(Locale.ROOT, "%.3f", (double) count / total);
  }

  /** One prepared split on the driver: labels and the global ids of each sample. */
  private static final class Split {
    private final double[] labels;
    private final int[] ids;

    private Split(double[] labels, int[] ids) {
      this.labels = labels;
      this.ids = ids;
    }

    static Split read(SparkSession spark, String path, int fieldCount) {
      List<Row> rows = spark.read().parquet(path).select(TestSplitScorer.LABEL,
          TestSplitScorer.IDS).collectAsList();
      double[] labels = new double[rows.size()];
      int[] ids = new int[rows.size() * fieldCount];
      for (int i = 0; i < rows.size(); i++) {
        labels[i] = rows.get(i).getInt(0);
        List<Integer> rowIds = rows.get(i).getList(1);
        for (int f = 0; f < fieldCount; f++) {
          ids[i * fieldCount + f] = rowIds.get(f);
        }
      }
      return new Split(labels, ids);
    }

    int size() {
      return labels.length;
    }

    /** Returns logits [variant][sample]. */
    double[][] score(CtrModel model, ServingPlan.ServedTables tables, int variants) {
      double[][] logits = new double[variants][size()];
      float[] x0 = new float[size() * model.config().inputSize()];
      float[] out = new float[size()];
      for (int v = 0; v < variants; v++) {
        tables.lookup(v, ids, size(), x0);
        model.logits(ids, x0, size(), out);
        for (int i = 0; i < out.length; i++) {
          logits[v][i] = out[i];
        }
      }
      return logits;
    }

    double[] unpruned(CtrModel model) {
      float[] x0 = new float[size() * model.config().inputSize()];
      float[] out = new float[size()];
      model.embed(ids, size(), x0);
      model.logits(ids, x0, size(), out);
      double[] logits = new double[size()];
      for (int i = 0; i < out.length; i++) {
        logits[i] = out[i];
      }
      return logits;
    }

    double logLoss(double[] logits) {
      double sum = 0;
      for (int i = 0; i < logits.length; i++) {
        sum += BinaryMetrics.logLoss(logits[i], labels[i]);
      }
      return sum / logits.length;
    }
  }
}
