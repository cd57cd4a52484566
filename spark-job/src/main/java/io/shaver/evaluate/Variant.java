package io.shaver.evaluate;

/**
 * One scored configuration of the embedding table: a method at a budget.
 *
 * @param method {@code unpruned} or an evaluation method's config name
 * @param budget the budget label ({@code sparsity=0.9}, {@code kept=1000}, ...), {@code none} for
 *     the unpruned model, or {@code bits=8} for PTQ
 * @param pruned parameters served as their placeholder
 * @param kept parameters served with their trained (or quantized) value; kept + pruned = n·d
 * @param bytes storage of the served table: the artifact payload for pruning methods, the dense
 *     table for the unpruned model, the codes plus scale and zero point for PTQ
 */
public record Variant(String method, String budget, long pruned, long kept, long bytes) {

  public static final String UNPRUNED = "unpruned";
  public static final String NO_BUDGET = "none";

  /** Returns pruned / (pruned + kept), 0 for an empty table. */
  public double sparsity() {
    long parameters = pruned + kept;
    return parameters == 0 ? 0 : (double) pruned / parameters;
  }
}
