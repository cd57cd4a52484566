package io.shaver.shapley;

/** Value that an absent embedding coordinate takes during estimation and after pruning. */
public enum PlaceholderKind {
  /** Absent coordinates are 0 ("Shaver-Zero"). */
  ZERO,
  /** Absent coordinate (f, j) takes the field-aware codebook value C[f, j] ("Shaver-Codebook"). */
  CODEBOOK
}
