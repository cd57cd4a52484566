package io.shaver.testing;

import org.apache.spark.sql.SparkSession;

/**
 * The one local SparkSession of the test JVM (Spark allows one SparkContext per JVM).
 *
 * <p>Binds to 127.0.0.1 only, without UI, and is stopped by a shutdown hook.
 */
public final class SharedSpark {

  private static SparkSession session;

  private SharedSpark() {
  }

  public static synchronized SparkSession get() {
    if (session == null) {
      session = SparkSession.builder()
          .master("local[2]")
          .appName("shaver-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.shuffle.partitions", "4")
          .getOrCreate();
      Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
    }
    return session;
  }
}
