package io.shaver.spark;

import io.shaver.backend.DeviceBinding;
import java.io.Serializable;

/**
 * What one successful walk task did: its partition and attempt, the executor and device it
 * ran on, the backend, the samples walked and the model evaluations made.
 */
public record TaskSummary(int partition, int attempt, String executor, DeviceBinding device,
    String backend, long samples, long evaluations, long touchedParameters, double seconds)
    implements Serializable {
}
