package io.shaver.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** Creation of the job's SparkSession. */
public final class SparkSessions {

  /** Master used when neither spark-submit nor the property {@code spark.master} sets one. */
  public static final String DEFAULT_MASTER = "local[*]";

  private SparkSessions() {
  }

  /**
   * Returns the active session or creates one named {@code appName}.
   *
   * <p>Settings come from spark-submit or {@code spark.*} system properties, which SparkConf
   * reads; the only one added is the master {@value #DEFAULT_MASTER} when none is set.
   */
  public static SparkSession getOrCreate(String appName) {
    SparkConf conf = new SparkConf();
    SparkSession.Builder builder = SparkSession.builder().appName(appName);
    if (!conf.contains("spark.master")) {
      builder.master(DEFAULT_MASTER);
    }
    return builder.getOrCreate();
  }

  /**
   * Returns whether a default session exists already, for example one that a caller in the
   * same JVM started; a command should stop only a session it created.
   */
  public static boolean exists() {
    return SparkSession.getDefaultSession().isDefined();
  }
}
