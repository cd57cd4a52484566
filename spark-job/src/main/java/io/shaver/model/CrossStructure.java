package io.shaver.model;

import java.util.Locale;

/** Arrangement of a DCNv2 model's cross network and MLP. */
public enum CrossStructure {
  /** Cross network, then the MLP on its output, then the last linear layer. */
  STACKED("stacked"),
  /** Cross network and MLP both read the embeddings; the last layer reads both outputs. */
  PARALLEL("parallel");

  private final String id;

  CrossStructure(String id) {
    this.id = id;
  }

  /** Returns the name used in {@code model.json}. */
  public String id() {
    return id;
  }

  /**
   * Parses a structure by its id, ignoring case.
   *
   * @throws IllegalArgumentException naming the value and the accepted ids
   */
  public static CrossStructure fromId(String value) {
    String requested = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    for (CrossStructure structure : values()) {
      if (structure.id.equals(requested)) {
        return structure;
      }
    }
    throw new IllegalArgumentException(
        "Invalid DCNv2 structure '" + value + "': expected stacked or parallel");
  }

  @Override
  public String toString() {
    return id;
  }
}
