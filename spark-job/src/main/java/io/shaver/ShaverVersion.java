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
