package io.shaver.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the real data samples (Criteo, Avazu, KDD 2012, MovieLens) outside the repository.
 *
 * <p>The directory comes from the environment variable {@code SHAVER_DATASETS}, else from the
 * system property {@code shaver.datasets.dir} that the Maven build sets to
 * {@code ../shared/datasets}. The samples are never copied into the repository.
 */
public final class TestData {

  public static final String ENVIRONMENT_VARIABLE = "SHAVER_DATASETS";

  private TestData() {
  }

  /** Returns the datasets directory; fails the test if it does not exist. */
  public static Path datasets() {
    String configured = System.getenv(ENVIRONMENT_VARIABLE);
    if (configured == null || configured.isBlank()) {
      configured = System.getProperty("shaver.datasets.dir", "../shared/datasets");
    }
    Path directory = Path.of(configured).toAbsolutePath().normalize();
    Assumptions.assumeTrue(Files.isDirectory(directory) || System.getenv("CI") != null,
        "Real data samples not found at " + directory + "; set " + ENVIRONMENT_VARIABLE);
    if (!Files.isDirectory(directory)) {
      throw new AssertionError("Real data samples not found at " + directory
          + "; set " + ENVIRONMENT_VARIABLE);
    }
    return directory;
  }

  /** Returns the 10,000-line Criteo training sample. */
  public static Path criteoTrain10k() {
    return datasets().resolve("criteo/criteo_dac_train_first10k.txt");
  }

  /** Returns the 10,000-line Avazu sample (header plus 9,999 rows). */
  public static Path avazu10k() {
    return datasets().resolve("avazu/avazu_train_first10k.csv");
  }

  /** Returns the 11-row KDD Cup 2012 track 2 sample. */
  public static Path kdd2012Training() {
    return datasets().resolve("kdd2012_track2/training.txt");
  }
}
