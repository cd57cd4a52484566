package io.shaver.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaver.model.CtrModel;
import io.shaver.model.ModelConfig;
import io.shaver.model.ModelKind;
import io.shaver.model.ModelStore;
import io.shaver.model.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

  @TempDir
  Path directory;

  private static ModelConfig config(boolean batchNorm) {
    return ModelConfig.builder().kind(ModelKind.DEEPFM).addField("a", 10).addField("b", 20)
        .addField("c", 5).addField("d", 8).embeddingDim(4).hiddenSizes(List.of(16, 8))
        .batchNorm(batchNorm).build();
  }

  /** Samples whose click probability is sigmoid of a sum of per-row effects plus a pair term. */
  private static EncodedSplit synthetic(ModelConfig config, int count, long seed) {
    SplittableRandom effects = new SplittableRandom(99);
    double[] effect = new double[config.rowCount()];
    for (int r = 0; r < effect.length; r++) {
      effect[r] = Gaussian.next(effects) * 1.5;
    }
    SplittableRandom random = new SplittableRandom(seed);
    int m = config.fieldCount();
    int[] ids = new int[count * m];
    float[] labels = new float[count];
    for (int s = 0; s < count; s++) {
      double logit = -0.5;
      for (int f = 0; f < m; f++) {
        int id = config.offset(f) + random.nextInt(config.fieldSize(f));
        ids[s * m + f] = id;
        logit += effect[id];
      }
      logit += effect[ids[s * m]] * effect[ids[s * m + 1]];
      labels[s] = random.nextDouble() < DeepFmTrainable.sigmoid(logit) ? 1 : 0;
    }
    return new EncodedSplit(ids, labels, m);
  }

  private static TrainSettings settings(long seed) {
    return TrainSettings.builder().learningRate(1e-2).batchSize(128).maxEpochs(6).patience(2)
        .seed(seed).embeddingInitStd(0.05).build();
  }

  @Test
  void learnsSyntheticSignal() {
    ModelConfig config = config(true);
    EncodedSplit train = synthetic(config, 6000, 1);
    EncodedSplit validation = synthetic(config, 2000, 2);

    TrainResult result = new Trainer(settings(7)).train(config, train, validation);

    assertTrue(result.bestValidationAuc() > 0.85, "AUC " + result.bestValidationAuc());
    EpochMetrics first = result.history().get(0);
    EpochMetrics best = result.history().get(result.bestEpoch() - 1);
    assertEquals(result.bestValidationAuc(), best.validationAuc(), 0.0);
    assertTrue(best.validationLogLoss() < first.validationLogLoss() + 1e-9,
        "log loss " + best.validationLogLoss() + " vs first epoch " + first.validationLogLoss());
    assertTrue(first.samplesPerSecond() > 0);
  }

  @Test
  void sameSeedGivesSameWeights() {
    ModelConfig config = config(true);
    EncodedSplit train = synthetic(config, 1500, 3);
    EncodedSplit validation = synthetic(config, 500, 4);
    TrainSettings settings = TrainSettings.builder().batchSize(64).maxEpochs(2).seed(5)
        .dropout(0.2).build();

    TrainResult first = new Trainer(settings).train(config, train, validation);
    TrainResult second = new Trainer(settings).train(config, train, validation);

    assertEquals(first.history().size(), second.history().size());
    for (Map.Entry<String, Tensor> entry : first.stateDict().entrySet()) {
      Tensor other = second.stateDict().get(entry.getKey());
      if (entry.getValue().dtype().isFloating()) {
        assertArrayEquals(entry.getValue().floats(), other.floats(), entry.getKey());
      } else {
        assertArrayEquals(entry.getValue().longs(), other.longs(), entry.getKey());
      }
    }
  }

  @Test
  void earlyStoppingKeepsBestEpoch() {
    ModelConfig config = config(false);
    EncodedSplit train = synthetic(config, 400, 5);
    EncodedSplit validation = synthetic(config, 400, 6);
    // A large step size overfits 400 samples quickly, so validation AUC peaks early.
    TrainSettings settings = TrainSettings.builder().learningRate(0.05).batchSize(32)
        .maxEpochs(15).patience(1).seed(3).embeddingInitStd(0.1).build();

    TrainResult result = new Trainer(settings).train(config, train, validation);

    int epochs = result.history().size();
    assertTrue(epochs < 15, "ran all " + epochs + " epochs");
    assertEquals(epochs - 1, result.bestEpoch(), "patience 1 stops one epoch after the best");
    for (EpochMetrics metrics : result.history()) {
      assertTrue(metrics.validationAuc() <= result.bestValidationAuc());
    }
  }

  @Test
  void savedResultReproducesValidationAuc() throws IOException {
    ModelConfig config = config(true);
    EncodedSplit train = synthetic(config, 1000, 8);
    EncodedSplit validation = synthetic(config, 500, 9);
    TrainSettings settings = TrainSettings.builder().batchSize(100).maxEpochs(2).seed(1).build();
    TrainResult result = new Trainer(settings).train(config, train, validation);
    Path target = directory.resolve("model");

    ModelStore.save(target, config, result.stateDict(), result.toMetadata());
    CtrModel model = ModelStore.load(target).model();

    assertEquals(result.bestValidationAuc(), Trainer.evaluate(model, validation)[0], 1e-12);
    assertEquals(Integer.toString(result.bestEpoch()),
        ModelStore.load(target).metadata().get("train.best_epoch"));
  }

  @Test
  void exportedModelMatchesTrainingForward() {
    ModelConfig config = config(false);
    TrainSettings settings = TrainSettings.builder().seed(2).embeddingInitStd(0.3).build();
    DeepFmTrainable trainable = new DeepFmTrainable(config, settings);
    EncodedSplit data = synthetic(config, 50, 10);

    double trainingLoss = trainable.forwardBackward(data.ids(), data.labels(), 50);
    CtrModel model = io.shaver.model.CtrModels.fromStateDict(config, trainable.stateDict());
    double inferenceLoss = Trainer.evaluate(model, data)[1];

    assertEquals(trainingLoss, inferenceLoss, 1e-6);
  }

  @Test
  void exportedDcnMixMatchesTrainingForward() {
    ModelConfig config = config(false).toBuilder().kind(ModelKind.DCN_MIX).crossLayers(2)
        .experts(3).rank(5).build();
    TrainSettings settings = TrainSettings.builder().seed(2).embeddingInitStd(0.5).build();
    DcnMixTrainable trainable = new DcnMixTrainable(config, settings);
    EncodedSplit data = synthetic(config, 50, 10);

    double trainingLoss = trainable.forwardBackward(data.ids(), data.labels(), 50);
    CtrModel model = io.shaver.model.CtrModels.fromStateDict(config, trainable.stateDict());
    double inferenceLoss = Trainer.evaluate(model, data)[1];

    assertEquals(trainingLoss, inferenceLoss, 1e-6);
  }

  @Test
  void dcnMixLearnsSyntheticSignal() {
    ModelConfig config = config(true).toBuilder().kind(ModelKind.DCN_MIX).crossLayers(2)
        .experts(2).rank(8).build();
    EncodedSplit train = synthetic(config, 6000, 1);
    EncodedSplit validation = synthetic(config, 2000, 2);

    TrainResult result = new Trainer(settings(7)).train(config, train, validation);

    assertTrue(result.bestValidationAuc() > 0.85, "AUC " + result.bestValidationAuc());
  }

  @ParameterizedTest(name = "{0} hidden {1}")
  @CsvSource({"stacked, 16 8", "parallel, 16 8", "stacked, ''"})
  void exportedDcnV2MatchesTrainingForward(String structure, String hidden) {
    List<Integer> sizes = hidden.isBlank() ? List.of()
        : java.util.Arrays.stream(hidden.split(" ")).map(Integer::valueOf).toList();
    ModelConfig config = config(false).toBuilder().kind(ModelKind.DCNV2).crossLayers(2)
        .structure(io.shaver.model.CrossStructure.fromId(structure)).hiddenSizes(sizes).build();
    TrainSettings settings = TrainSettings.builder().seed(2).embeddingInitStd(0.5).build();
    DcnV2Trainable trainable = new DcnV2Trainable(config, settings);
    EncodedSplit data = synthetic(config, 50, 10);

    double trainingLoss = trainable.forwardBackward(data.ids(), data.labels(), 50);
    CtrModel model = io.shaver.model.CtrModels.fromStateDict(config, trainable.stateDict());
    double inferenceLoss = Trainer.evaluate(model, data)[1];

    assertEquals(trainingLoss, inferenceLoss, 1e-6);
  }

  @Test
  void dcnV2LearnsSyntheticSignal() {
    ModelConfig config = config(true).toBuilder().kind(ModelKind.DCNV2).crossLayers(2).build();
    EncodedSplit train = synthetic(config, 6000, 1);
    EncodedSplit validation = synthetic(config, 2000, 2);

    TrainResult result = new Trainer(settings(7)).train(config, train, validation);

    assertTrue(result.bestValidationAuc() > 0.85, "AUC " + result.bestValidationAuc());
  }

  @Test
  void rejectsSingleClassValidation() {
    ModelConfig config = config(false);
    EncodedSplit train = synthetic(config, 100, 1);
    EncodedSplit validation = new EncodedSplit(new int[] {0, 10, 30, 35}, new float[] {1}, 4);

    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> new Trainer(TrainSettings.defaults()).train(config, train, validation));

    assertTrue(error.getMessage().contains("1 positives among 1"), error.getMessage());
  }

  @Test
  void rejectsIdsWithoutOffsets() {
    ModelConfig config = config(false);
    EncodedSplit train = new EncodedSplit(new int[] {0, 1, 2, 3}, new float[] {1}, 4);

    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> new Trainer(TrainSettings.defaults()).train(config, train, train));

    assertTrue(error.getMessage().contains("global id 1 in field 1 ('b')"), error.getMessage());
  }

  @Test
  void settingsNameInvalidValues() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> TrainSettings.builder().learningRate(-1));
    assertTrue(error.getMessage().contains("learning_rate -1.0"), error.getMessage());

    error = assertThrows(IllegalArgumentException.class,
        () -> TrainSettings.builder().dropout(1.0));
    assertTrue(error.getMessage().contains("dropout 1.0"), error.getMessage());

    error = assertThrows(IllegalArgumentException.class,
        () -> TrainSettings.builder().embeddingL2(-0.5));
    assertTrue(error.getMessage().contains("embedding_l2 -0.5"), error.getMessage());
  }
}
