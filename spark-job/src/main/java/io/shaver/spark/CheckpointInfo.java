package io.shaver.spark;

import java.util.Map;

/**
 * What a complete checkpoint {@code checkpoints/pass-N} records besides its statistics: the
 * passes done, the samples and model evaluations so far, the rows walked per pass, and the
 * settings that must match for a resumed run to continue it.
 */
record CheckpointInfo(int pass, long samples, long evaluations, long rowsPerPass,
    String compatibility) {

  static final String PASS = "pass";
  static final String SAMPLES = "samples";
  static final String EVALUATIONS = "evaluations";
  static final String ROWS_PER_PASS = "rows_per_pass";
  static final String COMPATIBILITY = "compatibility";

  /**
   * Reads the entries from Parquet key-value metadata.
   *
   * @throws IllegalStateException naming the first missing or malformed entry
   */
  static CheckpointInfo fromMetadata(Map<String, String> metadata, String where) {
    return new CheckpointInfo(
        (int) number(metadata, PASS, where),
        number(metadata, SAMPLES, where),
        number(metadata, EVALUATIONS, where),
        number(metadata, ROWS_PER_PASS, where),
        text(metadata, COMPATIBILITY, where));
  }

  private static long number(Map<String, String> metadata, String key, String where) {
    String value = text(metadata, key, where);
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalStateException("Checkpoint " + where + " has an invalid '" + key
          + "' entry: " + value);
    }
  }

  private static String text(Map<String, String> metadata, String key, String where) {
    String value = metadata.get(io.shaver.output.Provenance.PREFIX + key);
    if (value == null) {
      throw new IllegalStateException("Checkpoint " + where + " lacks the '" + key
          + "' metadata entry; delete it or run without --resume");
    }
    return value;
  }
}
