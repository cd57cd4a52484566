package io.shaver.spark;

import io.shaver.model.CtrModel;
import org.apache.spark.SparkEnv;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model of the running estimation in this JVM, opened once from its broadcast source and
 * shared by every task, since a {@link CtrModel} is immutable and thread-safe. Only the latest
 * model is kept: opening another one releases the previous one for garbage collection.
 */
final class ExecutorModels {

  private static final Logger LOG = LoggerFactory.getLogger(ExecutorModels.class);

  private static String loadedKey;
  private static CtrModel loaded;

  private ExecutorModels() {
  }

  /** Returns the model of {@code source}, opening it on first use in this JVM. */
  static synchronized CtrModel get(Broadcast<ModelSource> source) {
    SparkEnv env = SparkEnv.get();
    String application = env == null ? "" : env.conf().getAppId();
    String key = application + "/" + source.id();
    if (!key.equals(loadedKey)) {
      loaded = null;
      long started = System.nanoTime();
      ModelSource model = source.value();
      loaded = model.open();
      loadedKey = key;
      LOG.info("Opened model {} in {} ms", model.describe(),
          (System.nanoTime() - started) / 1_000_000);
    }
    return loaded;
  }
}
