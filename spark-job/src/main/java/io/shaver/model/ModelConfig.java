package io.shaver.model;

/** Architecture of a {@link CtrModel}. */
public final class ModelConfig {
}
