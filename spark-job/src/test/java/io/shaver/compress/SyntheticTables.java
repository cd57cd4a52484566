package io.shaver.compress;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small random embedding tables for tests. */
final class SyntheticTables {

  private SyntheticTables() {
  }

  /** Returns a layout with fields f0, f1, ... of the given sizes. */
  static FieldLayout layout(int... sizes) {
    List<String> names = new ArrayList<>();
    for (int f = 0; f < sizes.length; f++) {
      names.add("f" + f);
    }
    return FieldLayout.fromSizes(names, sizes);
  }

  /** Returns n·d Gaussian values. */
  static float[] gaussian(long parameters, Random random) {
    float[] values = new float[Math.toIntExact(parameters)];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }

  /** Returns tokens "t<row>", with every seventh row null. */
  static String[] tokens(int rows) {
    String[] tokens = new String[rows];
    for (int row = 0; row < rows; row++) {
      tokens[row] = row % 7 == 3 ? null : "t" + row;
    }
    return tokens;
  }

  /** Returns a table with a random codebook placeholder. */
  static EmbeddingTable codebookTable(FieldLayout layout, int dimension, Random random) {
    float[] values = gaussian((long) layout.rows() * dimension, random);
    float[] codebook = gaussian((long) layout.fields() * dimension, random);
    for (int i = 0; i < codebook.length; i++) {
      codebook[i] *= 0.1f;
    }
    return EmbeddingTable.withCodebook(layout, dimension, values, codebook,
        tokens(layout.rows()));
  }

  /**
   * Returns phi with many ties: a third exactly 0 (or -0.0), the rest drawn from a few
   * magnitudes with random signs.
   */
  static double[] tiedPhi(long parameters, Random random) {
    double[] phi = new double[Math.toIntExact(parameters)];
    double[] magnitudes = {1e-9, 1e-3, 0.5, 2.0};
    for (int i = 0; i < phi.length; i++) {
      int pick = random.nextInt(6);
      if (pick == 0) {
        phi[i] = 0.0;
      } else if (pick == 1) {
        phi[i] = -0.0;
      } else {
        double magnitude = magnitudes[random.nextInt(magnitudes.length)];
        phi[i] = random.nextBoolean() ? magnitude : -magnitude;
      }
    }
    return phi;
  }
}
