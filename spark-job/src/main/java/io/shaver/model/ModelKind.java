package io.shaver.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Architecture family of a {@link CtrModel}. */
public enum ModelKind {
  /** DeepFM: first-order weights, factorization machine and an MLP over the embeddings. */
  DEEPFM("deepfm"),
  /** DCN-Mix: mixture of low-rank cross experts with an identity gate, then an MLP. */
  DCN_MIX("dcn_mix"),
  /** DCNv2: full-rank cross layers, stacked on or parallel to an MLP. */
  DCNV2("dcnv2");

  private final String id;

  ModelKind(String id) {
    this.id = id;
  }

  /** Returns the name used in {@code model.json} and on the command line. */
  public String id() {
    return id;
  }

  /**
   * Parses a kind by its id, ignoring case.
   *
   * @throws IllegalArgumentException naming the value and the accepted ids
   */
  public static ModelKind fromId(String value) {
    String requested = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    for (ModelKind kind : values()) {
      if (kind.id.equals(requested)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("Invalid model kind '" + value + "': expected one of "
        + Arrays.stream(values()).map(ModelKind::id).collect(Collectors.joining(", ")));
  }

  @Override
  public String toString() {
    return id;
  }
}
