package io.shaver.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Checks incremental forwards against full forwards of the edited input. */
class IncrementalForwardTest {

  private static final double TOLERANCE = 1e-6;

  static Stream<Arguments> configs() {
    List<Integer> hidden = List.of(16, 12);
    return Stream.of(
        Arguments.of("deepfm bn", TestModels.config(ModelKind.DEEPFM, hidden, true,
            CrossStructure.STACKED)),
        Arguments.of("deepfm", TestModels.config(ModelKind.DEEPFM, hidden, false,
            CrossStructure.STACKED)),
        Arguments.of("deepfm no hidden", TestModels.config(ModelKind.DEEPFM, List.of(), true,
            CrossStructure.STACKED)),
        Arguments.of("dcn_mix", TestModels.config(ModelKind.DCN_MIX, hidden, true,
            CrossStructure.STACKED)),
        Arguments.of("dcn_mix no hidden", TestModels.config(ModelKind.DCN_MIX, List.of(), true,
            CrossStructure.STACKED)),
        Arguments.of("dcnv2 stacked", TestModels.config(ModelKind.DCNV2, hidden, true,
            CrossStructure.STACKED)),
        Arguments.of("dcnv2 parallel", TestModels.config(ModelKind.DCNV2, hidden, true,
            CrossStructure.PARALLEL)),
        Arguments.of("dcnv2 parallel no hidden", TestModels.config(ModelKind.DCNV2, List.of(),
            true, CrossStructure.PARALLEL)));
  }

  /** Walks every sample through a random permutation of all m*d coordinates. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void fullWalkMatchesFullForward(String name, ModelConfig config) {
    CtrModel model = TestModels.random(config, 17);
    SplittableRandom random = new SplittableRandom(5);
    int batch = 37;
    int width = config.inputSize();
    int[] ids = TestModels.ids(config, batch, random);
    float[] x0 = new float[batch * width];
    model.embed(ids, batch, x0);
    int[][] order = new int[batch][];
    for (int b = 0; b < batch; b++) {
      order[b] = permutation(width, random);
    }
    float[] edited = x0.clone();
    int[] coordinates = new int[batch];
    float[] values = new float[batch];
    float[] incremental = new float[batch];
    float[] full = new float[batch];

    try (IncrementalForward forward = model.openIncremental(40)) {
      forward.reset(ids, x0, batch);
      for (int t = 0; t < width; t++) {
        for (int b = 0; b < batch; b++) {
          coordinates[b] = order[b][t];
          values[b] = t % 2 == 0 ? 0f : (float) (random.nextDouble() - 0.5);
          edited[b * width + coordinates[b]] = values[b];
        }
        forward.replace(coordinates, values);
        forward.logits(incremental);
        model.logits(ids, edited, batch, full);
        for (int b = 0; b < batch; b++) {
          assertEquals(full[b], incremental[b], TOLERANCE,
              name + ": sample " + b + " after step " + t);
        }
      }
      assertEquals(0f, diff(edited, forward.input(), batch * width), 0f,
          name + ": input() after the walk");
    }
  }

  /** Replacing coordinates and restoring them returns to the logits of the intact input. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("configs")
  void restoringInputRestoresLogits(String name, ModelConfig config) {
    CtrModel model = TestModels.random(config, 3);
    SplittableRandom random = new SplittableRandom(11);
    int batch = 9;
    int width = config.inputSize();
    int[] ids = TestModels.ids(config, batch, random);
    float[] x0 = new float[batch * width];
    model.embed(ids, batch, x0);
    float[] intact = new float[batch];
    float[] after = new float[batch];
    int[] coordinates = new int[batch];
    float[] values = new float[batch];

    try (IncrementalForward forward = model.openIncremental(batch)) {
      forward.reset(ids, x0, batch);
      forward.logits(intact);
      for (int b = 0; b < batch; b++) {
        coordinates[b] = random.nextInt(width);
        values[b] = 3f;
      }
      forward.replace(coordinates, values);
      forward.logits(after);
      assertEquals(true, !Arrays.equals(intact, after), name + ": replacement changed nothing");
      for (int b = 0; b < batch; b++) {
        values[b] = x0[b * width + coordinates[b]];
      }
      forward.replace(coordinates, values);
      forward.logits(after);
    }
    for (int b = 0; b < batch; b++) {
      assertEquals(intact[b], after[b], TOLERANCE, name + ": sample " + b);
    }
  }

  @Test
  void resetWithSmallerBatchUsesOnlyItsRows() {
    ModelConfig config = TestModels.config(ModelKind.DCN_MIX, List.of(8), true,
        CrossStructure.STACKED);
    CtrModel model = TestModels.random(config, 9);
    SplittableRandom random = new SplittableRandom(2);
    int[] ids = TestModels.ids(config, 12, random);
    float[] x0 = new float[12 * config.inputSize()];
    model.embed(ids, 12, x0);
    float[] all = new float[12];
    float[] few = new float[5];
    model.logits(ids, x0, 12, all);

    try (IncrementalForward forward = model.openIncremental(12)) {
      forward.reset(ids, x0, 12);
      forward.reset(ids, x0, 5);
      forward.logits(few);
    }
    for (int b = 0; b < 5; b++) {
      assertEquals(all[b], few[b], TOLERANCE, "sample " + b);
    }
  }

  @Test
  void replaceRejectsInvalidCoordinate() {
    ModelConfig config = TestModels.config(ModelKind.DEEPFM, List.of(4), false,
        CrossStructure.STACKED);
    CtrModel model = TestModels.random(config, 1);
    int[] ids = TestModels.ids(config, 2, new SplittableRandom(1));
    float[] x0 = new float[2 * config.inputSize()];
    model.embed(ids, 2, x0);
    try (IncrementalForward forward = model.openIncremental(2)) {
      forward.reset(ids, x0, 2);
      IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
          () -> forward.replace(new int[] {0, config.inputSize()}, new float[] {0f, 0f}));
      assertEquals(true, error.getMessage().contains("coordinate " + config.inputSize()),
          error.getMessage());
    }
  }

  private static int[] permutation(int size, SplittableRandom random) {
    int[] values = new int[size];
    for (int i = 0; i < size; i++) {
      values[i] = i;
    }
    for (int i = size - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = values[i];
      values[i] = values[j];
      values[j] = swap;
    }
    return values;
  }

  private static float diff(float[] a, float[] b, int count) {
    float max = 0;
    for (int i = 0; i < count; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
