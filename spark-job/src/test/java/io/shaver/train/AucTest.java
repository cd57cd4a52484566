package io.shaver.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AucTest {

  @Test
  void handExampleWithTies() {
    // Positives 0.35, 0.8, 0.4 against negatives 0.1, 0.4: wins 1 + 0 + 2 + 1 and one tie,
    // so U = 4.5 of 6 pairs.
    float[] scores = {0.1f, 0.4f, 0.35f, 0.8f, 0.4f};
    float[] labels = {0, 0, 1, 1, 1};

    assertEquals(0.75, Auc.mannWhitney(scores, labels, 5), 1e-12);
  }

  @Test
  void allTiedScoresGiveOneHalf() {
    float[] scores = {2f, 2f, 2f, 2f};
    float[] labels = {1, 0, 0, 1};

    assertEquals(0.5, Auc.mannWhitney(scores, labels, 4), 1e-12);
  }

  @Test
  void perfectAndReversedRankings() {
    float[] scores = {-3f, -1f, 0f, 5f};

    assertEquals(1.0, Auc.mannWhitney(scores, new float[] {0, 0, 1, 1}, 4), 1e-12);
    assertEquals(0.0, Auc.mannWhitney(scores, new float[] {1, 1, 0, 0}, 4), 1e-12);
  }

  @Test
  void negativeZeroTiesWithZero() {
    float[] scores = {-0f, 0f};
    float[] labels = {1, 0};

    assertEquals(0.5, Auc.mannWhitney(scores, labels, 2), 1e-12);
  }

  @Test
  void singleClassGivesNaN() {
    assertTrue(Double.isNaN(Auc.mannWhitney(new float[] {1f, 2f}, new float[] {1, 1}, 2)));
  }

  @Test
  void nanScoreIsRejected() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> Auc.mannWhitney(new float[] {1f, Float.NaN}, new float[] {1, 0}, 2));

    assertTrue(error.getMessage().contains("index 1"), error.getMessage());
  }

  @Test
  void matchesPairCountingOnRandomTiedScores() {
    SplittableRandom random = new SplittableRandom(8);
    int count = 500;
    float[] scores = new float[count];
    float[] labels = new float[count];
    for (int i = 0; i < count; i++) {
      scores[i] = random.nextInt(-20, 20) / 4f;
      labels[i] = random.nextDouble() < 0.3 ? 1 : 0;
    }
    double wins = 0;
    long pairs = 0;
    for (int i = 0; i < count; i++) {
      for (int k = 0; k < count; k++) {
        if (labels[i] == 1 && labels[k] == 0) {
          pairs++;
          if (scores[i] > scores[k]) {
            wins += 1;
          } else if (scores[i] == scores[k]) {
            wins += 0.5;
          }
        }
      }
    }

    assertEquals(wins / pairs, Auc.mannWhitney(scores, labels, count), 1e-12);
  }
}
