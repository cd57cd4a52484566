package io.shaver.bench;

import io.shaver.compress.Budget;
import io.shaver.compress.BudgetResult;
import io.shaver.compress.BudgetWriter;
import io.shaver.compress.EmbeddingTable;
import io.shaver.compress.FieldLayout;
import io.shaver.compress.PruneMask;
import io.shaver.compress.PrunedTable;
import io.shaver.compress.Ranking;
import io.shaver.compress.RankingKey;
import io.shaver.compress.StorageFormat;
import io.shaver.output.Provenance;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times ranking and writing a ten-budget sweep for a synthetic Criteo-sized table: 39 fields,
 * 1,086,810 rows, d = 16 (17.4 million parameters), a third of phi exactly 0.
 *
 * <p>Usage: {@code CompressBench [output-dir] [float32|fp16|int8]}. The output directory
 * (default: a new temporary directory) is deleted afterwards. Results are logged at INFO.
 */
public final class CompressBench {

  private static final Logger LOG = LoggerFactory.getLogger(CompressBench.class);

  static final int ROWS = 1_086_810;
  static final int FIELDS = 39;
  static final int DIMENSION = 16;
  static final double[] SPARSITIES =
      {0.2, 0.4, 0.5, 0.6, 0.8, 0.9, 0.95, 0.99, 0.999, 0.9999};

  private CompressBench() {
  }

  public static void main(String[] args) throws IOException {
    Path output = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("compress-bench");
    StorageFormat format = args.length > 1 ? StorageFormat.parse(args[1]) : StorageFormat.FLOAT32;
    Random random = new Random(2023);
    EmbeddingTable table = criteoSizedTable(random);
    double[] phi = phi(Math.toIntExact(table.shape().parameters()), random);
    LOG.info("Table: n = {}, m = {}, d = {}, {} parameters, format {}", ROWS, FIELDS, DIMENSION,
        table.shape().parameters(), format.configName());

    try {
      long started = System.nanoTime();
      long cpuStarted = processCpuNanos();
      Ranking ranking = Ranking.rank(table, phi, RankingKey.ABSOLUTE);
      double rankSeconds = seconds(started);
      double rankCpuSeconds = (processCpuNanos() - cpuStarted) / 1e9;

      Configuration hadoopConf = new Configuration();
      BudgetWriter writer = new BudgetWriter(Provenance.of("compress", "bench", 2023),
          RankingKey.ABSOLUTE, "synthetic", hadoopConf);
      PruneMask mask = PruneMask.empty(ranking);
      List<String> lines = new ArrayList<>();
      double total = rankSeconds;
      for (double sparsity : SPARSITIES) {
        Budget budget = Budget.sparsity(sparsity);
        long budgetStarted = System.nanoTime();
        long budgetCpuStarted = processCpuNanos();
        mask.extendTo(Math.toIntExact(ranking.size() - budget.keptCount(table.shape())));
        PrunedTable pruned = PrunedTable.build(table, mask);
        double maskSeconds = seconds(budgetStarted);
        BudgetResult result = writer.write(pruned, budget, format,
            new org.apache.hadoop.fs.Path(output.resolve("budgets").toString()));
        double budgetSeconds = seconds(budgetStarted);
        double budgetCpuSeconds = (processCpuNanos() - budgetCpuStarted) / 1e9;
        total += budgetSeconds;
        lines.add(String.format("| %s | %d | %.2f | %.2f | %.2f | %d | %d |", budget.label(),
            result.kept(), maskSeconds, budgetSeconds, budgetCpuSeconds, result.artifactBytes(),
            result.payloadBytes()));
      }
      LOG.info("Ranking: {} s wall, {} s process CPU", String.format("%.2f", rankSeconds),
          String.format("%.2f", rankCpuSeconds));
      LOG.info("| budget | kept | mask + CSR s | budget wall s | budget CPU s | table.arrow bytes"
          + " | payload bytes |");
      lines.forEach(LOG::info);
      LOG.info("Sweep total (ranking + 10 budgets): {} s; dense float32 table {} bytes",
          String.format("%.2f", total), table.shape().denseBytes());
    } finally {
      FileSystem.getLocal(new Configuration()).delete(
          new org.apache.hadoop.fs.Path(output.toString()), true);
    }
  }

  /** Builds 13 small integer-like fields and 26 categorical fields with a long-tailed spread. */
  static EmbeddingTable criteoSizedTable(Random random) {
    int[] sizes = new int[FIELDS];
    int remaining = ROWS;
    for (int f = 0; f < 13; f++) {
      sizes[f] = 50 + 10 * f;
      remaining -= sizes[f];
    }
    double weightSum = 0;
    double[] weights = new double[FIELDS - 13];
    for (int f = 0; f < weights.length; f++) {
      weights[f] = Math.pow(1.6, f % 13) * (1 + f / 13);
      weightSum += weights[f];
    }
    int assigned = 0;
    for (int f = 13; f < FIELDS - 1; f++) {
      sizes[f] = Math.max(3, (int) (remaining * weights[f - 13] / weightSum));
      assigned += sizes[f];
    }
    sizes[FIELDS - 1] = remaining - assigned;

    List<String> names = new ArrayList<>();
    for (int f = 0; f < FIELDS; f++) {
      names.add(f < 13 ? "I" + (f + 1) : "C" + (f - 12));
    }
    FieldLayout layout = FieldLayout.fromSizes(names, sizes);
    float[] values = new float[ROWS * DIMENSION];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextGaussian() * 0.05);
    }
    float[] codebook = new float[FIELDS * DIMENSION];
    for (int i = 0; i < codebook.length; i++) {
      codebook[i] = (float) (random.nextGaussian() * 0.01);
    }
    return EmbeddingTable.withCodebook(layout, DIMENSION, values, codebook, null);
  }

  /** Draws phi: a third exactly 0 (rows unseen in the Shapley data), the rest log-normal. */
  static double[] phi(int size, Random random) {
    double[] phi = new double[size];
    for (int i = 0; i < size; i++) {
      if (random.nextInt(3) == 0) {
        phi[i] = 0.0;
      } else {
        phi[i] = (random.nextBoolean() ? 1 : -1) * Math.exp(random.nextGaussian() * 3 - 12);
      }
    }
    return phi;
  }

  /** Returns the CPU time of the whole JVM, all threads, so parallel sorting counts in full. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
        ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }
}
