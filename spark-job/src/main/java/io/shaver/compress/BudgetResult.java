package io.shaver.compress;

/**
 * Summary of one budget's outputs, for metrics and logs.
 *
 * @param budget the budget
 * @param format storage format of the artifact's kept values
 * @param kept parameters kept
 * @param pruned parameters pruned, n·d − kept
 * @param prunedRows rows whose d parameters are all pruned
 * @param payloadBytes artifact payload by {@link StorageCost}
 * @param artifactBytes size of {@code table.arrow} on disk
 * @param denseBytes size of the dense float32 table, n·d·4
 */
public record BudgetResult(Budget budget, StorageFormat format, long kept, long pruned,
    long prunedRows, long payloadBytes, long artifactBytes, long denseBytes) {
}
