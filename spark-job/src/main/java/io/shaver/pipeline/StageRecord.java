package io.shaver.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What {@code run} stores about a finished stage in {@code _stages/<name>.json}: the
 * fingerprint of its inputs and how long it took.
 */
public record StageRecord(
    @JsonProperty("stage") String stage,
    @JsonProperty("fingerprint") String fingerprint,
    @JsonProperty("seconds") double seconds) {
}
