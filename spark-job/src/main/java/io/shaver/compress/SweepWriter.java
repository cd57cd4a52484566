package io.shaver.compress;

import io.shaver.output.Provenance;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every budget of a sweep from one ranking: rank once, then prune a prefix of the ranking
 * per budget. Each budget directory is published atomically by {@link BudgetWriter}.
 *
 * <p>All budgets are resolved against the table before any work, so an impossible budget (a kept
 * count above n·d, a byte budget below the fixed payload) fails the sweep before ranking, with
 * the budget's label, value and rule in the message. Budgets are written in ascending pruned
 * count so one mask grows through the sweep; the results come back in sweep order.
 */
public final class SweepWriter {

  private static final Logger LOG = LoggerFactory.getLogger(SweepWriter.class);

  private final CompressSettings settings;
  private final Provenance provenance;
  private final Configuration hadoopConf;

  public SweepWriter(CompressSettings settings, Provenance provenance, Configuration hadoopConf) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.provenance = Objects.requireNonNull(provenance, "provenance");
    this.hadoopConf = Objects.requireNonNull(hadoopConf, "hadoopConf");
  }

  /**
   * Ranks {@code phi} and writes every budget under {@code budgetsDirectory}.
   *
   * @param phi n·d Shapley values, flat index r·d + j
   * @param phiSource where phi came from, recorded in provenance
   * @throws IllegalArgumentException before any work when a budget does not fit the table
   */
  public List<BudgetResult> write(EmbeddingTable table, double[] phi, String phiSource,
      Path budgetsDirectory) {
    resolve(table.shape());
    Ranking ranking = Ranking.rank(table, phi, settings.ranking());
    return write(table, ranking, phiSource, budgetsDirectory);
  }

  /** Writes every budget from a ranking computed earlier with the settings' ranking key. */
  public List<BudgetResult> write(EmbeddingTable table, Ranking ranking, String phiSource,
      Path budgetsDirectory) {
    if (ranking.key() != settings.ranking()) {
      throw new IllegalArgumentException("the ranking uses key " + ranking.key().configName()
          + " but the settings ask for " + settings.ranking().configName());
    }
    if (ranking.size() != table.shape().parameters()) {
      throw new IllegalArgumentException("the ranking covers " + ranking.size()
          + " parameters, the table has " + table.shape().parameters());
    }
    long started = System.nanoTime();
    List<Budget> budgets = settings.budgets();
    long[] kept = resolve(table.shape());
    Integer[] writeOrder = new Integer[budgets.size()];
    Arrays.setAll(writeOrder, i -> i);
    Arrays.sort(writeOrder, Comparator.comparingLong(i -> -kept[i]));

    BudgetWriter writer = new BudgetWriter(provenance, settings.ranking(), phiSource, hadoopConf);
    PruneMask mask = PruneMask.empty(ranking);
    BudgetResult[] results = new BudgetResult[budgets.size()];
    for (int i : writeOrder) {
      mask.extendTo(Math.toIntExact(ranking.size() - kept[i]));
      PrunedTable pruned = PrunedTable.build(table, mask);
      Budget budget = budgets.get(i);
      results[i] = writer.write(pruned, budget, settings.formatOf(budget), budgetsDirectory);
    }
    LOG.info("Wrote {} budgets to {} in {} ms", budgets.size(), budgetsDirectory,
        (System.nanoTime() - started) / 1_000_000);
    return List.of(results);
  }

  /** Returns the kept count of every budget, in sweep order. */
  long[] resolve(TableShape shape) {
    List<Budget> budgets = settings.budgets();
    long[] kept = new long[budgets.size()];
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < kept.length; i++) {
      try {
        kept[i] = budgets.get(i).keptCount(shape);
      } catch (IllegalArgumentException e) {
        problems.add("budget " + budgets.get(i).label() + ": " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("Invalid budgets for a table of n = " + shape.rows()
          + " rows, d = " + shape.dimension() + ": " + String.join("; ", problems));
    }
    return kept;
  }
}
