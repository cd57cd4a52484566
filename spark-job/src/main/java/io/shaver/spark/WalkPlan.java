package io.shaver.spark;

import io.shaver.config.EstimateSettings;
import io.shaver.shapley.Codebook;
import io.shaver.shapley.EstimatorSettings;
import io.shaver.shapley.Placeholder;
import io.shaver.shapley.PlaceholderKind;
import io.shaver.shapley.TableLayout;
import java.io.Serializable;

/**
 * Everything a walk task needs besides the model and its samples, in serializable form: the
 * table layout, the placeholder values, the seed and the walk settings. Tasks rebuild the core
 * objects from it.
 */
final class WalkPlan implements Serializable {

  private static final long serialVersionUID = 1L;

  private final int[] fieldSizes;
  private final int dimension;
  private final PlaceholderKind placeholderKind;
  private final float[] placeholderValues;
  private final long seed;
  private final boolean antithetic;
  private final int batchSize;
  private final long blockSize;
  private final long denseParameterLimit;

  private WalkPlan(TableLayout layout, Placeholder placeholder, long seed,
      EstimateSettings settings) {
    this.fieldSizes = layout.fieldSizes();
    this.dimension = layout.dimension();
    this.placeholderKind = placeholder.kind();
    this.placeholderValues = new float[placeholder.coordinates()];
    placeholder.fill(placeholderValues, 0);
    this.seed = seed;
    this.antithetic = settings.antithetic();
    this.batchSize = settings.batchSize();
    this.blockSize = settings.blockSize();
    this.denseParameterLimit = EstimatorSettings.DEFAULT_DENSE_PARAMETER_LIMIT;
  }

  static WalkPlan of(TableLayout layout, Placeholder placeholder, long seed,
      EstimateSettings settings) {
    return new WalkPlan(layout, placeholder, seed, settings);
  }

  TableLayout layout() {
    return TableLayout.of(fieldSizes, dimension);
  }

  /** Returns the placeholder; a codebook placeholder comes back with the same values. */
  Placeholder placeholder(TableLayout layout) {
    Codebook values = Codebook.of(layout.fields(), layout.dimension(), placeholderValues);
    return Placeholder.of(placeholderKind, layout, values);
  }

  long seed() {
    return seed;
  }

  boolean antithetic() {
    return antithetic;
  }

  int batchSize() {
    return batchSize;
  }

  long blockSize() {
    return blockSize;
  }

  /**
   * Largest table for which a task accumulates into a dense array (32 bytes per parameter,
   * 64 MiB at the limit); above it a task's memory grows with the parameters it touches.
   */
  long denseParameterLimit() {
    return denseParameterLimit;
  }
}
