package io.shaver.model;

import java.util.List;
import java.util.SplittableRandom;

/** Small random models and inputs for tests. */
final class TestModels {

  private TestModels() {}

  static ModelConfig config(ModelKind kind, List<Integer> hidden, boolean batchNorm,
      CrossStructure structure) {
    ModelConfig.Builder builder = ModelConfig.builder().kind(kind).embeddingDim(8)
        .hiddenSizes(hidden).batchNorm(batchNorm).crossLayers(2).experts(3).rank(4)
        .structure(structure);
    int[] sizes = {5, 9, 2, 7, 11, 6};
    for (int f = 0; f < sizes.length; f++) {
      builder.addField("field" + f, sizes[f]);
    }
    return builder.build();
  }

  static CtrModel random(ModelConfig config, long seed) {
    return CtrModels.fromStateDict(config, CtrModels.randomStateDict(config, seed, 0.3));
  }

  /** Returns {@code batch} samples of valid global ids. */
  static int[] ids(ModelConfig config, int batch, SplittableRandom random) {
    int m = config.fieldCount();
    int[] ids = new int[batch * m];
    for (int b = 0; b < batch; b++) {
      for (int f = 0; f < m; f++) {
        ids[b * m + f] = config.offset(f) + random.nextInt(config.fieldSize(f));
      }
    }
    return ids;
  }
}
