package io.shaver.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shaver.model.ModelConfig;
import io.shaver.model.ModelKind;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Checks DeepFM's hand-written gradients against central finite differences. */
class GradientCheckTest {

  private static final double STEP = 1e-3;

  private static ModelConfig config(boolean batchNorm) {
    return ModelConfig.builder().kind(ModelKind.DEEPFM).addField("a", 3).addField("b", 4)
        .addField("c", 5).embeddingDim(3).hiddenSizes(List.of(5, 4)).batchNorm(batchNorm)
        .build();
  }

  @ParameterizedTest(name = "batch norm {0}")
  @ValueSource(booleans = {false, true})
  void gradientsMatchFiniteDifferences(boolean batchNorm) {
    ModelConfig config = config(batchNorm);
    TrainSettings settings = TrainSettings.builder().embeddingInitStd(0.5).seed(4).build();
    DeepFmTrainable model = new DeepFmTrainable(config, settings);
    int batch = 6;
    SplittableRandom random = new SplittableRandom(12);
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
    int dim = config.embeddingDim();
    float[][] embeddingGrads = new float[rows.length][dim + 1];
    for (int k = 0; k < rows.length; k++) {
      for (int j = 0; j < dim; j++) {
        embeddingGrads[k][j] = model.embedding.gradOf(rows[k], j);
      }
      embeddingGrads[k][dim] = model.firstOrder.gradOf(rows[k], 0);
    }
    List<DenseParam> params = model.denseParams();
    float[][] denseGrads = new float[params.size()][];
    for (int p = 0; p < params.size(); p++) {
      denseGrads[p] = new float[params.get(p).size()];
      params.get(p).grads().get(0, denseGrads[p]);
    }

    int checked = 0;
    for (int k = 0; k < rows.length; k++) {
      int r = rows[k];
      for (int j = 0; j < dim; j++) {
        double numeric = difference(model, ids, labels, batch, model.embedding.values,
            r * dim + j);
        assertClose(numeric, embeddingGrads[k][j], "embedding row " + r + " dim " + j);
        checked++;
      }
      double numeric = difference(model, ids, labels, batch, model.firstOrder.values, r);
      assertClose(numeric, embeddingGrads[k][dim], "first-order row " + r);
    }
    for (int p = 0; p < params.size(); p++) {
      DenseParam param = params.get(p);
      for (int i = 0; i < param.size(); i += Math.max(1, param.size() / 7)) {
        double numeric = difference(model, ids, labels, batch, param.values(), i);
        assertClose(numeric, denseGrads[p][i], "dense parameter " + p + " index " + i);
        checked++;
      }
    }
    assertEquals(true, checked > 30, "checked " + checked + " entries");
  }

  private static void assertClose(double numeric, double analytic, String entry) {
    assertEquals(numeric, analytic, 5e-4 + 2e-2 * Math.abs(numeric), entry);
  }

  private static double difference(DeepFmTrainable model, int[] ids, float[] labels, int batch,
      float[] values, int index) {
    float original = values[index];
    values[index] = (float) (original + STEP);
    double plus = model.forwardBackward(ids, labels, batch);
    values[index] = (float) (original - STEP);
    double minus = model.forwardBackward(ids, labels, batch);
    values[index] = original;
    return (plus - minus) / (2 * STEP);
  }

  private static double difference(DeepFmTrainable model, int[] ids, float[] labels, int batch,
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
