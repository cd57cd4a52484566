package io.shaver.compress;

/**
 * The set of pruned parameters of one budget: the first k positions of a {@link Ranking}, as a
 * bit set over flat indices (n·d bits).
 *
 * <p>Mutable so that a sweep can grow one mask from budget to budget in ascending k, touching
 * each parameter once; {@link #extendTo(int)} never shrinks it.
 */
public final class PruneMask {

  private final Ranking ranking;
  private final long[] words;
  private int pruned;

  private PruneMask(Ranking ranking) {
    this.ranking = ranking;
    this.words = new long[(ranking.size() + 63) >>> 6];
  }

  /** Returns an empty mask (nothing pruned) over {@code ranking}. */
  public static PruneMask empty(Ranking ranking) {
    return new PruneMask(ranking);
  }

  /** Returns the mask that prunes the first {@code count} parameters of {@code ranking}. */
  public static PruneMask prefix(Ranking ranking, int count) {
    PruneMask mask = new PruneMask(ranking);
    mask.extendTo(count);
    return mask;
  }

  /**
   * Prunes ranking positions [pruned count, {@code count}).
   *
   * @throws IllegalArgumentException when {@code count} is below the current pruned count or
   *     above n·d
   */
  public void extendTo(int count) {
    if (count < pruned || count > ranking.size()) {
      throw new IllegalArgumentException("a mask with " + pruned + " pruned of " + ranking.size()
          + " parameters cannot be extended to " + count);
    }
    for (int position = pruned; position < count; position++) {
      int index = ranking.flatIndexAt(position);
      words[index >>> 6] |= 1L << index;
    }
    pruned = count;
  }

  public boolean isPruned(int flatIndex) {
    return (words[flatIndex >>> 6] & (1L << flatIndex)) != 0;
  }

  public int prunedCount() {
    return pruned;
  }

  /** n·d, the number of parameters the mask covers. */
  public int size() {
    return ranking.size();
  }

  public Ranking ranking() {
    return ranking;
  }
}
