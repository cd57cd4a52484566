package io.shaver.train;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shaver.model.CrossStructure;
import io.shaver.model.ModelConfig;
import io.shaver.model.ModelKind;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Checks the hand-written gradients against central finite differences of the batch loss. */
class GradientCheckTest {

  private static final double STEP = 1e-3;
  private static final CrossStructure STACKED = CrossStructure.STACKED;

  static Stream<Arguments> models() {
    return Stream.of(Arguments.of(ModelKind.DEEPFM, false, 0.0, STACKED),
        Arguments.of(ModelKind.DEEPFM, true, 0.0, STACKED),
        Arguments.of(ModelKind.DEEPFM, true, 0.3, STACKED),
        Arguments.of(ModelKind.DCN_MIX, false, 0.0, STACKED),
        Arguments.of(ModelKind.DCN_MIX, true, 0.0, STACKED),
        Arguments.of(ModelKind.DCN_MIX, true, 0.3, STACKED),
        Arguments.of(ModelKind.DCNV2, false, 0.0, STACKED),
        Arguments.of(ModelKind.DCNV2, true, 0.0, STACKED),
        Arguments.of(ModelKind.DCNV2, true, 0.3, CrossStructure.PARALLEL),
        Arguments.of(ModelKind.DCNV2, false, 0.0, CrossStructure.PARALLEL));
  }

  private static ModelConfig config(ModelKind kind, boolean batchNorm,
      CrossStructure structure) {
    return ModelConfig.builder().kind(kind).addField("a", 3).addField("b", 4).addField("c", 5)
        .embeddingDim(3).hiddenSizes(List.of(5, 4)).batchNorm(batchNorm).crossLayers(2)
        .experts(2).rank(3).structure(structure).build();
  }

  private static TrainableModel create(ModelConfig config, TrainSettings settings) {
    return switch (config.kind()) {
      case DEEPFM -> new DeepFmTrainable(config, settings);
      case DCN_MIX -> new DcnMixTrainable(config, settings);
      case DCNV2 -> new DcnV2Trainable(config, settings);
    };
  }

  @ParameterizedTest(name = "{0} batch norm {1} embedding_l2 {2} {3}")
  @MethodSource("models")
  void gradientsMatchFiniteDifferences(ModelKind kind, boolean batchNorm, double embeddingL2,
      CrossStructure structure) {
    ModelConfig config = config(kind, batchNorm, structure);
    TrainSettings settings = TrainSettings.builder().embeddingInitStd(0.5).seed(4)
        .embeddingL2(embeddingL2).build();
    TrainableModel model = create(config, settings);
    SplittableRandom random = new SplittableRandom(12);
    // Shift every dense parameter so that zero-initialized biases exercise their gradients.
    for (DenseParam param : model.denseParams()) {
      for (int i = 0; i < param.size(); i++) {
        param.values().put(i, param.values().get(i) + (float) (random.nextDouble() - 0.5) * 0.4f);
      }
    }
    int batch = 6;
    int[] ids = new int[batch * config.fieldCount()];
    float[] labels = new float[batch];
    for (int b = 0; b < batch; b++) {
      for (int f = 0; f < config.fieldCount(); f++) {
        ids[b * config.fieldCount() + f] = config.offset(f) + random.nextInt(config.fieldSize(f));
      }
      labels[b] = b % 2;
    }
    model.forwardBackward(ids, labels, batch);
    int[] rows = {ids[0], ids[1], ids[2], ids[4]};
    List<SparseTable> tables = model.sparseTables();
    float[][][] tableGrads = new float[tables.size()][rows.length][];
    for (int t = 0; t < tables.size(); t++) {
      SparseTable table = tables.get(t);
      for (int k = 0; k < rows.length; k++) {
        tableGrads[t][k] = new float[table.width];
        for (int j = 0; j < table.width; j++) {
          tableGrads[t][k][j] = table.gradOf(rows[k], j);
        }
      }
    }
    List<DenseParam> params = model.denseParams();
    float[][] denseGrads = new float[params.size()][];
    for (int p = 0; p < params.size(); p++) {
      denseGrads[p] = new float[params.get(p).size()];
      params.get(p).grads().get(0, denseGrads[p]);
    }

    int checked = 0;
    for (int t = 0; t < tables.size(); t++) {
      SparseTable table = tables.get(t);
      for (int k = 0; k < rows.length; k++) {
        for (int j = 0; j < table.width; j++) {
          double numeric = difference(model, ids, labels, batch, table.values,
              rows[k] * table.width + j);
          assertClose(numeric, tableGrads[t][k][j], "table " + t + " row " + rows[k] + " column " + j);
          checked++;
        }
      }
    }
    for (int p = 0; p < params.size(); p++) {
      DenseParam param = params.get(p);
      for (int i = 0; i < param.size(); i += Math.max(1, param.size() / 7)) {
        double numeric = difference(model, ids, labels, batch, param.values(), i);
        assertClose(numeric, denseGrads[p][i], "dense parameter " + p + " index " + i);
        checked++;
      }
    }
    assertTrue(checked > 30, "checked " + checked + " entries");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void embeddingL2AddsMeanSquaredRowNorm(ModelKind kind) {
    ModelConfig config = config(kind, true, STACKED);
    double coefficient = 0.3;
    TrainSettings plain = TrainSettings.builder().embeddingInitStd(0.5).seed(4).build();
    TrainSettings penalized = TrainSettings.builder().embeddingInitStd(0.5).seed(4)
        .embeddingL2(coefficient).build();
    int batch = 4;
    int m = config.fieldCount();
    int[] ids = new int[batch * m];
    float[] labels = new float[batch];
    for (int b = 0; b < batch; b++) {
      for (int f = 0; f < m; f++) {
        ids[b * m + f] = config.offset(f) + (b + f) % config.fieldSize(f);
      }
      labels[b] = b % 2;
    }
    TrainableModel model = create(config, penalized);

    double expected = 0;
    for (SparseTable table : model.sparseTables()) {
      for (int id : ids) {
        for (int j = 0; j < table.width; j++) {
          double value = table.values[id * table.width + j];
          expected += coefficient / batch * value * value;
        }
      }
    }
    double difference = model.forwardBackward(ids, labels, batch)
        - create(config, plain).forwardBackward(ids, labels, batch);

    assertTrue(expected > 0.01, "penalty " + expected);
    assertEquals(expected, difference, 1e-5 * expected);
  }

  static Stream<ModelKind> kinds() {
    return Stream.of(ModelKind.DEEPFM, ModelKind.DCN_MIX, ModelKind.DCNV2);
  }

  private static void assertClose(double numeric, double analytic, String entry) {
    assertEquals(numeric, analytic, 5e-4 + 2e-2 * Math.abs(numeric), entry);
  }

  private static double difference(TrainableModel model, int[] ids, float[] labels, int batch,
      float[] values, int index) {
    float original = values[index];
    values[index] = (float) (original + STEP);
    double plus = model.forwardBackward(ids, labels, batch);
    values[index] = (float) (original - STEP);
    double minus = model.forwardBackward(ids, labels, batch);
    values[index] = original;
    return (plus - minus) / (2 * STEP);
  }

  private static double difference(TrainableModel model, int[] ids, float[] labels, int batch,
      FloatBuffer values, int index) {
    float original = values.get(index);
    values.put(index, (float) (original + STEP));
    double plus = model.forwardBackward(ids, labels, batch);
    values.put(index, (float) (original - STEP));
    double minus = model.forwardBackward(ids, labels, batch);
    values.put(index, original);
    return (plus - minus) / (2 * STEP);
  }
}
