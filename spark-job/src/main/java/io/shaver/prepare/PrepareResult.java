package io.shaver.prepare;

/**
 * Summary of a finished prepare run.
 *
 * @param directory the published {@code prepared/} directory
 * @param rowsRead data rows read (valid plus rejected)
 * @param rowsRejected malformed rows skipped within the error budget
 * @param trainRows rows of the train split
 * @param valRows rows of the val split
 * @param testRows rows of the test split
 * @param embeddingRows sum of the field sizes
 * @param seconds elapsed wall-clock time
 */
public record PrepareResult(String directory, long rowsRead, long rowsRejected, long trainRows,
    long valRows, long testRows, long embeddingRows, double seconds) {
}
