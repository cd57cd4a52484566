package io.shaver.evaluate;

import io.shaver.model.CtrModel;
import io.shaver.model.ModelConfig;
import org.apache.spark.broadcast.Broadcast;

/**
 * Variants that prune a growing prefix of one ranking of the n·d parameters and serve each
 * pruned parameter (r, j) as the placeholder of its field, {@code placeholders[f·d + j]} (all
 * zeros for zero fill).
 *
 * <p>Instead of one table per budget, executors receive the ranking position of every parameter
 * once ({@code positions[r·d + j]}, 0 = pruned first, 4 bytes per parameter) and the pruned count
 * of each variant: parameter p is pruned in variant v exactly when
 * {@code positions[p] < prunedCounts[v]}. Every budget of a method is then scored in one pass
 * over the test split with memory for one table plus one position array, and the masks of the
 * budgets are nested by construction.
 */
final class RankedPruningPlan implements ServingPlan {

  private static final long serialVersionUID = 1L;

  private final Broadcast<int[]> positions;
  private final float[] placeholders;
  private final int[] prunedCounts;

  /**
   * @param positions broadcast ranking position of each flat index
   * @param placeholders m·d placeholder values, field-major
   * @param prunedCounts pruned parameters of each variant, each in [0, n·d]
   */
  RankedPruningPlan(Broadcast<int[]> positions, float[] placeholders, int[] prunedCounts) {
    this.positions = positions;
    this.placeholders = placeholders.clone();
    this.prunedCounts = prunedCounts.clone();
  }

  @Override
  public int variants() {
    return prunedCounts.length;
  }

  @Override
  public ServedTables open(CtrModel model) {
    ModelConfig config = model.config();
    int m = config.fieldCount();
    int d = config.embeddingDim();
    float[] table = model.embeddingTable();
    int[] rank = positions.value();
    return (variant, ids, batch, x0) -> {
      int pruned = prunedCounts[variant];
      for (int i = 0; i < batch * m; i++) {
        int rowStart = ids[i] * d;
        int placeholderStart = (i % m) * d;
        int out = i * d;
        for (int j = 0; j < d; j++) {
          int flat = rowStart + j;
          x0[out + j] = rank[flat] < pruned ? placeholders[placeholderStart + j] : table[flat];
        }
      }
    };
  }

  @Override
  public void release() {
    positions.destroy();
  }
}
