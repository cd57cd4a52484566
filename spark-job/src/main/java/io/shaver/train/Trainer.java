package io.shaver.train;

import io.shaver.model.CtrModel;
import io.shaver.model.CtrModels;
import io.shaver.model.ModelConfig;
import io.shaver.model.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a CTR model on the driver from in-memory encoded splits.
 *
 * <p>Adam on the mean binary cross-entropy of the logits, shuffled mini-batches, validation AUC
 * after every epoch, and early stopping: training stops after {@code patience} epochs without
 * a better validation AUC or after {@code maxEpochs}, and returns the best epoch's weights.
 * The same seed, data and settings give the same weights (single-threaded Java plus ND4J GEMMs
 * with a fixed thread count).
 *
 * <p>Memory: the splits take {@code 4 * m + 4} bytes per sample (Criteo with 39 fields: 160
 * bytes, so 41M training rows take about 6.6 GB), plus the model: the embedding and
 * first-order tables with their Adam moments take {@code 12 * n * (d + 1)} bytes (Criteo with
 * n = 1.09M and d = 16: about 220 MB), plus one copy of the weights per epoch for validation
 * and for the best epoch. Larger data needs distributed training outside this class.
 *
 * <p>DeepFM, DCN-Mix and DCNv2 are trainable here. A batch of one sample is skipped when batch
 * norm is on, because its batch variance is zero (PyTorch raises an error there).
 */
public final class Trainer {

  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
  private static final int VALIDATION_BATCH = 4096;

  private final TrainSettings settings;

  public Trainer(TrainSettings settings) {
    this.settings = settings;
  }

  /**
   * Trains a model of {@code config} from scratch.
   *
   * @throws IllegalArgumentException if a split does not fit the configuration, is empty, or
   *     the validation split lacks positives or negatives (its AUC would be undefined)
   */
  public TrainResult train(ModelConfig config, EncodedSplit train, EncodedSplit validation) {
    train.validate(config, "training");
    validation.validate(config, "validation");
    if (train.size() == 0 || validation.size() == 0) {
      throw new IllegalArgumentException("Invalid splits: " + train.size() + " training and "
          + validation.size() + " validation samples; both must be non-empty");
    }
    requireBothClasses(validation);
    TrainableModel model = create(config);
    LOG.info("Training {} on {} samples, validating on {}: {}", config.kind(), train.size(),
        validation.size(), settings);

    List<EpochMetrics> history = new ArrayList<>();
    SplittableRandom shuffle = new SplittableRandom(settings.seed() ^ 0x5DEECE66DL);
    int[] order = identity(train.size());
    Map<String, Tensor> best = null;
    double bestAuc = Double.NEGATIVE_INFINITY;
    int bestEpoch = 0;
    int[] step = {0};
    for (int epoch = 1; epoch <= settings.maxEpochs(); epoch++) {
      shuffle(order, shuffle);
      Map<String, Tensor> stateDict = new LinkedHashMap<>();
      EpochMetrics metrics = runEpoch(epoch, model, config, train, validation, order, step,
          stateDict);
      history.add(metrics);
      if (metrics.validationAuc() > bestAuc) {
        bestAuc = metrics.validationAuc();
        bestEpoch = epoch;
        best = stateDict;
      } else if (epoch - bestEpoch >= settings.patience()) {
        LOG.info("Stopping early after epoch {}: no better validation AUC for {} epochs",
            epoch, epoch - bestEpoch);
        break;
      }
    }
    LOG.info("Best epoch {} with validation AUC {}", bestEpoch, format(bestAuc));
    return new TrainResult(bestEpoch, bestAuc, history, best, train.size(), validation.size());
  }

  /**
   * Trains one epoch over {@code order}, validates, logs, and puts the epoch's weights into
   * {@code stateDict}. {@code step[0]} carries the optimizer step count across epochs.
   */
  private EpochMetrics runEpoch(int epoch, TrainableModel model, ModelConfig config,
      EncodedSplit train, EncodedSplit validation, int[] order, int[] step,
      Map<String, Tensor> stateDict) {
    long start = System.nanoTime();
    double trainLoss = trainEpoch(model, config, train, order, step);
    double trainSeconds = (System.nanoTime() - start) / 1e9;

    stateDict.putAll(model.stateDict());
    double[] validationMetrics = evaluate(CtrModels.fromStateDict(config, stateDict), validation);
    double seconds = (System.nanoTime() - start) / 1e9;
    EpochMetrics metrics = new EpochMetrics(epoch, trainLoss, validationMetrics[0],
        validationMetrics[1], train.size() / trainSeconds, seconds);
    LOG.info("Epoch {}: train loss {}, validation AUC {}, validation log loss {}, "
            + "{} samples/s, {} s", epoch, format(metrics.trainLoss()),
        format(metrics.validationAuc()), format(metrics.validationLogLoss()),
        Math.round(metrics.samplesPerSecond()), format(seconds));
    return metrics;
  }

  private TrainableModel create(ModelConfig config) {
    return switch (config.kind()) {
      case DEEPFM -> new DeepFmTrainable(config, settings);
      case DCN_MIX -> new DcnMixTrainable(config, settings);
      case DCNV2 -> new DcnV2Trainable(config, settings);
    };
  }

  /** Runs the mini-batches of one epoch and returns the mean training loss. */
  private double trainEpoch(TrainableModel model, ModelConfig config, EncodedSplit train,
      int[] order, int[] step) {
    int m = config.fieldCount();
    int batchSize = settings.batchSize();
    int[] batchIds = new int[batchSize * m];
    float[] batchLabels = new float[batchSize];
    double lossSum = 0;
    long counted = 0;
    for (int start = 0; start < order.length; start += batchSize) {
      int batch = Math.min(batchSize, order.length - start);
      if (batch == 1 && config.batchNorm() && !config.hiddenSizes().isEmpty()) {
        continue;
      }
      for (int b = 0; b < batch; b++) {
        int sample = order[start + b];
        System.arraycopy(train.ids(), sample * m, batchIds, b * m, m);
        batchLabels[b] = train.labels()[sample];
      }
      double loss = model.forwardBackward(batchIds, batchLabels, batch);
      model.step(++step[0]);
      lossSum += loss * batch;
      counted += batch;
    }
    return lossSum / Math.max(1, counted);
  }

  /** Returns the exact AUC and the mean log loss of {@code model} on {@code split}. */
  static double[] evaluate(CtrModel model, EncodedSplit split) {
    int m = split.fieldCount();
    float[] logits = new float[split.size()];
    float[] chunk = new float[VALIDATION_BATCH];
    int[] ids = new int[VALIDATION_BATCH * m];
    double lossSum = 0;
    for (int start = 0; start < split.size(); start += VALIDATION_BATCH) {
      int batch = Math.min(VALIDATION_BATCH, split.size() - start);
      System.arraycopy(split.ids(), start * m, ids, 0, batch * m);
      model.predict(ids, batch, chunk);
      for (int b = 0; b < batch; b++) {
        double z = chunk[b];
        double y = split.labels()[start + b];
        lossSum += Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
        logits[start + b] = chunk[b];
      }
    }
    return new double[] {Auc.mannWhitney(logits, split.labels(), split.size()),
        lossSum / split.size()};
  }

  private static void requireBothClasses(EncodedSplit validation) {
    int positives = 0;
    for (float label : validation.labels()) {
      if (label > 0.5f) {
        positives++;
      }
    }
    if (positives == 0 || positives == validation.size()) {
      throw new IllegalArgumentException("Invalid validation split: " + positives
          + " positives among " + validation.size() + " samples; AUC needs both classes");
    }
  }

  private static int[] identity(int size) {
    int[] values = new int[size];
    for (int i = 0; i < size; i++) {
      values[i] = i;
    }
    return values;
  }

  private static void shuffle(int[] values, SplittableRandom random) {
    for (int i = values.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = values[i];
      values[i] = values[j];
      values[j] = swap;
    }
  }

  private static String format(double value) {
    return String.format(java.util.Locale.ROOT, "%.5f", value);
  }
}
