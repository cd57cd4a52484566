package io.shaver.evaluate;

import java.util.List;

/**
 * The variants of one method that one Spark job scores, with the plan that serves them.
 *
 * @param method the method's config name
 * @param variants one per plan variant, in the plan's order
 * @param plan how executors derive each variant's table
 * @param prunedPerField {@code [v][f]} parameters of field f pruned in variant v; null for
 *     methods that do not prune
 */
record MethodVariants(String method, List<Variant> variants, ServingPlan plan,
    long[][] prunedPerField) {
}
