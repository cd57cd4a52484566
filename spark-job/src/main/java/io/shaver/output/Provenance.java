package io.shaver.output;

import io.shaver.ShaverVersion;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Key-value provenance stored with every output: Parquet footer metadata, safetensors
 * metadata and JSON reports.
 *
 * <p>Keys are prefixed {@code shaver.}. Values are plain strings. No wall-clock time is stored,
 * so that rerunning a stage with the same inputs and configuration writes identical bytes.
 */
public final class Provenance implements Serializable {

  private static final long serialVersionUID = 1L;

  public static final String PREFIX = "shaver.";

  private final LinkedHashMap<String, String> entries;

  private Provenance(LinkedHashMap<String, String> entries) {
    this.entries = entries;
  }

  /**
   * Starts provenance for one stage's output with the version, stage name, effective
   * configuration (canonical YAML) and seed.
   */
  public static Provenance of(String stage, String effectiveConfig, long seed) {
    LinkedHashMap<String, String> entries = new LinkedHashMap<>();
    entries.put(PREFIX + "version", ShaverVersion.version());
    entries.put(PREFIX + "stage", stage);
    entries.put(PREFIX + "seed", Long.toString(seed));
    entries.put(PREFIX + "config", effectiveConfig);
    return new Provenance(entries);
  }

  /**
   * Starts provenance for the output of a command without a job config or randomness: the
   * version, the command name and a YAML description of its options under {@code config}. It
   * has no {@code seed} entry.
   */
  public static Provenance of(String stage, String options) {
    LinkedHashMap<String, String> entries = new LinkedHashMap<>();
    entries.put(PREFIX + "version", ShaverVersion.version());
    entries.put(PREFIX + "stage", stage);
    entries.put(PREFIX + "config", options);
    return new Provenance(entries);
  }

  /** Returns a copy with one more entry; {@code key} gets the {@code shaver.} prefix. */
  public Provenance with(String key, Object value) {
    LinkedHashMap<String, String> copy = new LinkedHashMap<>(entries);
    copy.put(PREFIX + key, String.valueOf(value));
    return new Provenance(copy);
  }

  /** Returns the entries in insertion order, keys with their prefix. */
  public Map<String, String> asMap() {
    return Collections.unmodifiableMap(entries);
  }

  /** Returns the value of {@code key} (without prefix), or null. */
  public String get(String key) {
    return entries.get(PREFIX + key);
  }
}
