package io.shaver.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Record of a finished stage that {@code run} stores in {@code _stages/<name>.json}: the
 * fingerprint of its inputs and how long it took.
 */
public record StageRecord(
    @JsonProperty("stage") String stage,
    @JsonProperty("fingerprint") String fingerprint,
    @JsonProperty("seconds") double seconds) {
}
