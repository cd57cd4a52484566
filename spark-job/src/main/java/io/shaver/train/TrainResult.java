package io.shaver.train;

import io.shaver.model.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Outcome of {@link Trainer#train}: the weights of the epoch with the best validation AUC and
 * the history of every epoch run.
 *
 * @param bestEpoch epoch of the kept weights, from 1
 * @param bestValidationAuc validation AUC of the kept weights
 * @param history metrics of every epoch run, in order
 * @param stateDict kept weights in reference PyTorch naming, ready for
 *     {@link io.shaver.model.ModelStore#save}
 * @param trainSamples training samples per epoch
 * @param validationSamples validation samples
 */
public record TrainResult(int bestEpoch, double bestValidationAuc, List<EpochMetrics> history,
    Map<String, Tensor> stateDict, int trainSamples, int validationSamples) {

  public TrainResult {
    history = List.copyOf(history);
  }

  /** Returns provenance entries for the saved model's metadata. */
  public Map<String, String> toMetadata() {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("train.best_epoch", Integer.toString(bestEpoch));
    metadata.put("train.best_validation_auc", Double.toString(bestValidationAuc));
    metadata.put("train.epochs_run", Integer.toString(history.size()));
    metadata.put("train.train_samples", Integer.toString(trainSamples));
    metadata.put("train.validation_samples", Integer.toString(validationSamples));
    return metadata;
  }
}
