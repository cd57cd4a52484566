package io.shaver.config;

import io.shaver.train.TrainSettings;
import java.util.LinkedHashMap;
import java.util.Map;

/** Binds the {@code train} section of a job config to {@link TrainSettings}. */
final class TrainConfig {

  private TrainConfig() {
  }

  /** Binds the section; the training seed is the job seed unless {@code train.seed} is set. */
  static TrainSettings fromConfig(ConfigReader train, long jobSeed) {
    TrainSettings.Builder builder = TrainSettings.builder().seed(jobSeed);
    train.apply("learning_rate", train.number("learning_rate"), builder::learningRate);
    train.apply("weight_decay", train.number("weight_decay"), builder::weightDecay);
    train.apply("batch_size", train.integer("batch_size"),
        value -> builder.batchSize(DataSettings.toInt(value)));
    train.apply("max_epochs", train.integer("max_epochs"),
        value -> builder.maxEpochs(DataSettings.toInt(value)));
    train.apply("patience", train.integer("patience"),
        value -> builder.patience(DataSettings.toInt(value)));
    train.apply("seed", train.integer("seed"), builder::seed);
    train.apply("dropout", train.number("dropout"), builder::dropout);
    train.apply("embedding_init_std", train.number("embedding_init_std"),
        builder::embeddingInitStd);
    train.apply("embedding_l2", train.number("embedding_l2"), builder::embeddingL2);
    return builder.build();
  }

  static Map<String, Object> describe(TrainSettings settings) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("learning_rate", settings.learningRate());
    map.put("weight_decay", settings.weightDecay());
    map.put("batch_size", settings.batchSize());
    map.put("max_epochs", settings.maxEpochs());
    map.put("patience", settings.patience());
    map.put("seed", settings.seed());
    map.put("dropout", settings.dropout());
    map.put("embedding_init_std", settings.embeddingInitStd());
    map.put("embedding_l2", settings.embeddingL2());
    return map;
  }
}
