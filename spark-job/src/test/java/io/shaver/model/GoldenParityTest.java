package io.shaver.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares the Java models with PyTorch: logits of fixed inputs and logits after a fixed
 * sequence of coordinate replacements, both computed by {@code make_golden.py}.
 */
class GoldenParityTest {

  private static final double PYTORCH_TOLERANCE = 1e-5;

  static Stream<String> variants() {
    return Golden.VARIANTS.stream();
  }

  @ParameterizedTest
  @MethodSource("variants")
  void logitsMatchPytorch(String variant) throws IOException {
    Golden golden = Golden.load(variant);
    CtrModel model = ModelStore.load(golden.directory()).model();
    float[] logits = new float[golden.batch()];

    model.predict(golden.ids(), golden.batch(), logits);

    for (int b = 0; b < golden.batch(); b++) {
      assertEquals(golden.logits()[b], logits[b], PYTORCH_TOLERANCE,
          variant + ": logit of sample " + b);
    }
  }

  @ParameterizedTest
  @MethodSource("variants")
  void replacementsMatchPytorch(String variant) throws IOException {
    Golden golden = Golden.load(variant);
    CtrModel model = ModelStore.load(golden.directory()).model();
    int batch = golden.batch();
    float[] x0 = new float[batch * model.config().inputSize()];
    model.embed(golden.ids(), batch, x0);
    float[] logits = new float[batch];

    try (IncrementalForward forward = model.openIncremental(batch)) {
      forward.reset(golden.ids(), x0, batch);
      for (int t = 0; t < golden.steps().size(); t++) {
        Golden.Step step = golden.steps().get(t);
        forward.replace(step.coordinates(), step.values());
        forward.logits(logits);
        for (int b = 0; b < batch; b++) {
          assertEquals(step.logits()[b], logits[b], PYTORCH_TOLERANCE,
              variant + ": logit of sample " + b + " after step " + t);
        }
      }
    }
  }
}
