package io.shaver;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Versions of the job and of the libraries it was built against, from the build. */
public final class ShaverVersion {

  private static final Properties PROPERTIES = load();

  private ShaverVersion() {
  }

  public static String version() {
    return PROPERTIES.getProperty("version", "unknown");
  }

  public static String sparkVersion() {
    return PROPERTIES.getProperty("spark.version", "unknown");
  }

  public static String nd4jVersion() {
    return PROPERTIES.getProperty("nd4j.version", "unknown");
  }

  /**
   * Returns the git commit the job was launched from: the system property
   * {@code shaver.git.commit} or the environment variable {@code SHAVER_GIT_COMMIT}, both set
   * by {@code bin/shaver} in a git checkout; "unknown" otherwise.
   */
  public static String gitCommit() {
    String commit = System.getProperty("shaver.git.commit");
    if (commit == null || commit.isBlank()) {
      commit = System.getenv("SHAVER_GIT_COMMIT");
    }
    return commit == null || commit.isBlank() ? "unknown" : commit;
  }

  private static Properties load() {
    Properties properties = new Properties();
    try (InputStream in = ShaverVersion.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to read io/shaver/version.properties", e);
    }
    return properties;
  }
}
