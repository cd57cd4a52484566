package io.shaver.pipeline;

import org.apache.hadoop.fs.Path;

/**
 * Paths of one run's outputs under its output directory. Stages exchange data only through
 * these paths, so any stage can be rerun alone or replaced by a user's own output (for example
 * a PyTorch model written to {@code model/}).
 */
public final class RunLayout {

  private final Path root;

  public RunLayout(String output) {
    this.root = new Path(output);
  }

  public Path root() {
    return root;
  }

  public Path prepared() {
    return new Path(root, "prepared");
  }

  public Path fields() {
    return new Path(prepared(), "fields");
  }

  public Path vocabulary() {
    return new Path(prepared(), "vocabulary");
  }

  /** Returns {@code prepared/<split>} for train, val or test. */
  public Path split(String name) {
    return new Path(prepared(), name);
  }

  public Path model() {
    return new Path(root, "model");
  }

  public Path codebook() {
    return new Path(root, "codebook");
  }

  public Path shapley() {
    return new Path(root, "shapley");
  }

  /**
   * Returns {@code shapley-zero/}: phi estimated with zero placeholders, written by the estimate
   * stage when {@code estimate.zero_baseline} is true; the evaluate stage's shaver-zero method
   * reads it.
   */
  public Path shapleyZero() {
    return new Path(root, "shapley-zero");
  }

  public Path checkpoints() {
    return new Path(root, "checkpoints");
  }

  public Path budgets() {
    return new Path(root, "budgets");
  }

  public Path metrics() {
    return new Path(root, "metrics");
  }

  /** Returns {@code pruned-by-field/}: per method, budget and field, the pruned parameter count. */
  public Path prunedByField() {
    return new Path(root, "pruned-by-field");
  }

  public Path report() {
    return new Path(root, "report");
  }

  public Path runJson() {
    return new Path(root, "run.json");
  }

  /** Directory of the per-stage records that let {@code run} skip finished stages. */
  public Path stageRecords() {
    return new Path(root, "_stages");
  }
}
