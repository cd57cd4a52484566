package io.shaver.compress;

/** Value that a pruned parameter is served as. */
public enum PlaceholderKind {
  /** Every pruned parameter reads as 0 ("Shaver-Zero"); the stored codebook is all zeros. */
  ZERO("zero"),
  /**
   * A pruned parameter (r, j) reads as the codebook value C[field(r), j], the frequency-weighted
   * mean of its field's rows ("Shaver-Codebook").
   */
  CODEBOOK("codebook");

  private final String configName;

  PlaceholderKind(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }
}
