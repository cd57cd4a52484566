package io.shaver.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings of {@link Trainer}: Adam, mini-batches, dropout and early stopping on validation AUC.
 *
 * <p>Immutable. Every builder setter validates its argument and names the setting and value
 * in the error.
 */
public final class TrainSettings {

  public static final double DEFAULT_LEARNING_RATE = 1e-3;
  public static final double DEFAULT_WEIGHT_DECAY = 0.0;
  public static final int DEFAULT_BATCH_SIZE = 1024;
  public static final int DEFAULT_MAX_EPOCHS = 15;
  public static final int DEFAULT_PATIENCE = 1;
  public static final long DEFAULT_SEED = 2023;
  public static final double DEFAULT_DROPOUT = 0.0;
  public static final double DEFAULT_EMBEDDING_INIT_STD = 0.01;
  public static final double DEFAULT_EMBEDDING_L2 = 0.0;

  private final double learningRate;
  private final double weightDecay;
  private final int batchSize;
  private final int maxEpochs;
  private final int patience;
  private final long seed;
  private final double dropout;
  private final double embeddingInitStd;
  private final double embeddingL2;

  private TrainSettings(Builder builder) {
    this.learningRate = builder.learningRate;
    this.weightDecay = builder.weightDecay;
    this.batchSize = builder.batchSize;
    this.maxEpochs = builder.maxEpochs;
    this.patience = builder.patience;
    this.seed = builder.seed;
    this.dropout = builder.dropout;
    this.embeddingInitStd = builder.embeddingInitStd;
    this.embeddingL2 = builder.embeddingL2;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Returns the settings with every default. */
  public static TrainSettings defaults() {
    return builder().build();
  }

  /** Adam step size. */
  public double learningRate() {
    return learningRate;
  }

  /** L2 penalty added to the gradient of dense parameters (PyTorch Adam's weight_decay). */
  public double weightDecay() {
    return weightDecay;
  }

  public int batchSize() {
    return batchSize;
  }

  public int maxEpochs() {
    return maxEpochs;
  }

  /** Epochs without a better validation AUC before training stops. */
  public int patience() {
    return patience;
  }

  /** Seed of initialization, shuffling and dropout. */
  public long seed() {
    return seed;
  }

  /** Dropout probability after each hidden ReLU during training; 0 disables dropout. */
  public double dropout() {
    return dropout;
  }

  /** Standard deviation of the normal initial embedding and first-order weights. */
  public double embeddingInitStd() {
    return embeddingInitStd;
  }

  /**
   * Coefficient of the L2 penalty on looked-up rows: the training loss adds
   * {@code embeddingL2 / batch} times the sum of squared norms of the embedding rows (and, for
   * DeepFM, the first-order weights) of every id in the batch. 0 disables it. Unlike
   * {@link #weightDecay}, which acts on dense parameters, it reaches only rows in the batch.
   */
  public double embeddingL2() {
    return embeddingL2;
  }

  /** Returns the settings as strings, for the provenance metadata of a saved model. */
  public Map<String, String> toMetadata() {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("train.learning_rate", Double.toString(learningRate));
    metadata.put("train.weight_decay", Double.toString(weightDecay));
    metadata.put("train.batch_size", Integer.toString(batchSize));
    metadata.put("train.max_epochs", Integer.toString(maxEpochs));
    metadata.put("train.patience", Integer.toString(patience));
    metadata.put("train.seed", Long.toString(seed));
    metadata.put("train.dropout", Double.toString(dropout));
    metadata.put("train.embedding_init_std", Double.toString(embeddingInitStd));
    metadata.put("train.embedding_l2", Double.toString(embeddingL2));
    return metadata;
  }

  @Override
  public String toString() {
    return "TrainSettings" + toMetadata();
  }

  /** Builder of {@link TrainSettings}. */
  public static final class Builder {
    private double learningRate = DEFAULT_LEARNING_RATE;
    private double weightDecay = DEFAULT_WEIGHT_DECAY;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private int maxEpochs = DEFAULT_MAX_EPOCHS;
    private int patience = DEFAULT_PATIENCE;
    private long seed = DEFAULT_SEED;
    private double dropout = DEFAULT_DROPOUT;
    private double embeddingInitStd = DEFAULT_EMBEDDING_INIT_STD;
    private double embeddingL2 = DEFAULT_EMBEDDING_L2;

    private Builder() {}

    public Builder learningRate(double value) {
      if (!(value > 0) || !Double.isFinite(value)) {
        throw new IllegalArgumentException(
            "Invalid learning_rate " + value + ": expected a finite value above 0");
      }
      this.learningRate = value;
      return this;
    }

    public Builder weightDecay(double value) {
      if (!(value >= 0) || !Double.isFinite(value)) {
        throw new IllegalArgumentException(
            "Invalid weight_decay " + value + ": expected a finite value of at least 0");
      }
      this.weightDecay = value;
      return this;
    }

    public Builder batchSize(int value) {
      if (value < 2) {
        throw new IllegalArgumentException("Invalid batch_size " + value
            + ": expected at least 2 (batch norm needs two samples per batch)");
      }
      this.batchSize = value;
      return this;
    }

    public Builder maxEpochs(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("Invalid max_epochs " + value + ": expected at least 1");
      }
      this.maxEpochs = value;
      return this;
    }

    public Builder patience(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("Invalid patience " + value + ": expected at least 1");
      }
      this.patience = value;
      return this;
    }

    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    public Builder dropout(double value) {
      if (!(value >= 0 && value < 1)) {
        throw new IllegalArgumentException(
            "Invalid dropout " + value + ": expected 0 <= dropout < 1");
      }
      this.dropout = value;
      return this;
    }

    public Builder embeddingInitStd(double value) {
      if (!(value > 0) || !Double.isFinite(value)) {
        throw new IllegalArgumentException(
            "Invalid embedding_init_std " + value + ": expected a finite value above 0");
      }
      this.embeddingInitStd = value;
      return this;
    }

    public Builder embeddingL2(double value) {
      if (!(value >= 0) || !Double.isFinite(value)) {
        throw new IllegalArgumentException(
            "Invalid embedding_l2 " + value + ": expected a finite value of at least 0");
      }
      this.embeddingL2 = value;
      return this;
    }

    public TrainSettings build() {
      return new TrainSettings(this);
    }
  }
}
