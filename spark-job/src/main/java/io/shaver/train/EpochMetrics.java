package io.shaver.train;

/**
 * Metrics of one training epoch.
 *
 * @param epoch epoch number, from 1
 * @param trainLoss mean training BCE over the epoch's samples
 * @param validationAuc exact ROC AUC on the validation split after the epoch
 * @param validationLogLoss mean validation BCE after the epoch
 * @param samplesPerSecond training samples per second of wall time (validation excluded)
 * @param seconds wall time of the epoch, validation included
 */
public record EpochMetrics(int epoch, double trainLoss, double validationAuc,
    double validationLogLoss, double samplesPerSecond, double seconds) {}
