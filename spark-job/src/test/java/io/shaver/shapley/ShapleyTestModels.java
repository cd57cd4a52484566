package io.shaver.shapley;

import io.shaver.model.CtrModel;
import io.shaver.model.CtrModels;
import io.shaver.model.ModelConfig;
import io.shaver.model.ModelKind;
import io.shaver.model.Tensor;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Tiny real models (DeepFM, DCN-Mix) and the hand-written one, by name, for the suites. */
final class ShapleyTestModels {
  /** Names accepted by {@link #create}. */
  static final List<String> NAMES = List.of("deepfm", "dcn_mix", "tiny_mlp");

  private ShapleyTestModels() {
  }

  /** Returns a model with random weights over the layout. */
  static CtrModel create(String name, TableLayout layout, long seed) {
    return create(name, layout, seed, stateDict -> { });
  }

  /**
   * Returns a model with random weights over the layout, after {@code edit} has changed its
   * state dict ({@code embedding.weight}, {@code fc.weight}, ... in reference naming). The
   * hand-written model ignores {@code edit}.
   */
  static CtrModel create(String name, TableLayout layout, long seed,
      Consumer<Map<String, Tensor>> edit) {
    if (name.equals("tiny_mlp")) {
      return new TinyMlpModel(layout, 6, true, seed);
    }
    ModelKind kind = ModelKind.fromId(name);
    ModelConfig.Builder builder = ModelConfig.builder().kind(kind)
        .embeddingDim(layout.dimension()).hiddenSizes(List.of(8, 6)).batchNorm(true)
        .crossLayers(2).experts(2).rank(3);
    for (int f = 0; f < layout.fields(); f++) {
      builder.addField("f" + f, layout.fieldSize(f));
    }
    ModelConfig config = builder.build();
    Map<String, Tensor> stateDict = CtrModels.randomStateDict(config, seed, 0.5);
    edit.accept(stateDict);
    return CtrModels.fromStateDict(config, stateDict);
  }
}
