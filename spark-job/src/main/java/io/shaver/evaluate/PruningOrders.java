package io.shaver.evaluate;

import io.shaver.compress.EmbeddingTable;
import io.shaver.compress.Ranking;
import io.shaver.compress.RankingKey;
import java.util.SplittableRandom;

/**
 * Pruning orders of the evaluated methods, as the ranking position of each flat index
 * r·d + j (0 = pruned first). A budget that prunes k parameters prunes the positions below k.
 *
 * <p>Shaver and magnitude pruning use the compress stage's {@link Ranking}, so ties are broken
 * the same way there and here: by |E − placeholder|, then by flat index.
 */
final class PruningOrders {

  private PruningOrders() {
  }

  /**
   * Returns positions by phi under {@code key}, the order Shaver prunes in (Tran et al.,
   * "On-device Content-based Recommendation with Single-shot Embedding Pruning: A Cooperative
   * Game Perspective", WWW 2025).
   */
  static int[] byPhi(EmbeddingTable table, double[] phi, RankingKey key) {
    return positions(Ranking.rank(table, phi, key));
  }

  /** Returns positions by |E| ascending (magnitude pruning), ties by flat index. */
  static int[] byMagnitude(EmbeddingTable zeroPlaceholderTable, float[] values) {
    double[] magnitude = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      magnitude[i] = values[i];
    }
    return positions(Ranking.rank(zeroPlaceholderTable, magnitude, RankingKey.ABSOLUTE));
  }

  /**
   * Returns a uniformly random permutation of [0, size) drawn with Fisher-Yates from
   * {@link SplittableRandom} seeded with {@code seed}; the same seed gives the same order.
   */
  static int[] random(int size, long seed) {
    int[] positions = new int[size];
    for (int i = 0; i < size; i++) {
      positions[i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = size - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = positions[i];
      positions[i] = positions[j];
      positions[j] = swap;
    }
    return positions;
  }

  private static int[] positions(Ranking ranking) {
    int[] positions = new int[ranking.size()];
    for (int position = 0; position < positions.length; position++) {
      positions[ranking.flatIndexAt(position)] = position;
    }
    return positions;
  }
}
