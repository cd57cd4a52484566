package io.shaver.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The SparkSession of a CLI command. Master, resources and other settings come from
 * spark-submit or from {@code spark.*} system properties (bin/shaver turns
 * conf/spark-defaults.conf and its --conf options into those for embedded Spark).
 */
public final class SparkSessions {

  private SparkSessions() {
  }

  /** Returns the active session, or creates one named {@code shaver <stage>}. */
  public static SparkSession getOrCreate(String stage) {
    return SparkSession.builder().appName("shaver " + stage).getOrCreate();
  }

  /**
   * Returns whether a default session exists already, for example one that a caller in the
   * same JVM started; a command should stop only a session it created.
   */
  public static boolean exists() {
    return SparkSession.getDefaultSession().isDefined();
  }
}
