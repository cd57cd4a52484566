package io.shaver.spark;

import io.shaver.model.CtrModel;
import java.io.Serializable;

/**
 * A trained model that can travel to executors: the driver broadcasts the source once and each
 * executor JVM opens it once (see {@link ExecutorModels}).
 */
public interface ModelSource extends Serializable {

  /**
   * Builds the model. Called once per executor JVM and once on the driver.
   *
   * @throws java.io.UncheckedIOException if the stored model cannot be read
   */
  CtrModel open();

  /** Returns a short description for logs, such as the model directory. */
  String describe();

  /**
   * Returns a fingerprint of the model's weights and architecture. A checkpoint records it,
   * and resuming from a checkpoint written with another model fails.
   */
  String fingerprint();
}
