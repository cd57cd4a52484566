package io.shaver.config;

import io.shaver.model.CrossStructure;
import io.shaver.model.ModelConfig;
import io.shaver.model.ModelKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code model} section: the architecture to train, or the directory of a model trained
 * elsewhere (for example a PyTorch checkpoint exported to safetensors).
 *
 * <p>Field names and sizes are not settings: they come from the prepared data, and
 * {@link #toModelConfig} combines both. Immutable; every setter validates its argument.
 */
public final class ModelSettings {

  public static final ModelKind DEFAULT_KIND = ModelKind.DEEPFM;

  private final ModelKind kind;
  private final int embeddingDim;
  private final List<Integer> hiddenSizes;
  private final boolean batchNorm;
  private final int crossLayers;
  private final int experts;
  private final int rank;
  private final CrossStructure structure;
  private final String path;

  private ModelSettings(Builder builder) {
    this.kind = builder.kind;
    this.embeddingDim = builder.embeddingDim;
    this.hiddenSizes = List.copyOf(builder.hiddenSizes);
    this.batchNorm = builder.batchNorm;
    this.crossLayers = builder.crossLayers;
    this.experts = builder.experts;
    this.rank = builder.rank;
    this.structure = builder.structure;
    this.path = builder.path;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Binds the {@code model} section of a job config. */
  public static ModelSettings fromConfig(ConfigReader model) {
    Builder builder = builder();
    model.apply("kind", model.string("kind"), value -> builder.kind(ModelKind.fromId(value)));
    model.apply("embedding_dim", model.integer("embedding_dim"),
        value -> builder.embeddingDim(DataSettings.toInt(value)));
    model.apply("hidden", model.integers("hidden"), values -> {
      List<Integer> sizes = new ArrayList<>();
      for (long value : values) {
        sizes.add(DataSettings.toInt(value));
      }
      builder.hiddenSizes(sizes);
    });
    model.apply("batch_norm", model.bool("batch_norm"), builder::batchNorm);
    model.apply("cross_layers", model.integer("cross_layers"),
        value -> builder.crossLayers(DataSettings.toInt(value)));
    model.apply("experts", model.integer("experts"),
        value -> builder.experts(DataSettings.toInt(value)));
    model.apply("rank", model.integer("rank"), value -> builder.rank(DataSettings.toInt(value)));
    model.apply("structure", model.string("structure"),
        value -> builder.structure(CrossStructure.fromId(value)));
    model.apply("path", model.string("path"), builder::path);
    return builder.build();
  }

  public ModelKind kind() {
    return kind;
  }

  public int embeddingDim() {
    return embeddingDim;
  }

  public List<Integer> hiddenSizes() {
    return hiddenSizes;
  }

  public boolean batchNorm() {
    return batchNorm;
  }

  /**
   * Returns the directory of an existing model ({@code model.json} + {@code model.safetensors})
   * to use instead of training one, if configured.
   */
  public Optional<String> path() {
    return Optional.ofNullable(path);
  }

  /** Returns the architecture for the given fields; sizes include each field's OOV slot. */
  public ModelConfig toModelConfig(List<String> fieldNames, int[] fieldSizes) {
    return ModelConfig.builder()
        .kind(kind)
        .fields(fieldNames, fieldSizes)
        .embeddingDim(embeddingDim)
        .hiddenSizes(hiddenSizes)
        .batchNorm(batchNorm)
        .crossLayers(crossLayers)
        .experts(experts)
        .rank(rank)
        .structure(structure)
        .build();
  }

  Map<String, Object> describe() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("kind", kind.id());
    map.put("embedding_dim", embeddingDim);
    map.put("hidden", hiddenSizes);
    map.put("batch_norm", batchNorm);
    map.put("cross_layers", crossLayers);
    map.put("experts", experts);
    map.put("rank", rank);
    map.put("structure", structure.id());
    map.put("path", path);
    return map;
  }

  /** Builder of {@link ModelSettings}; defaults are {@link ModelConfig}'s. */
  public static final class Builder {
    private ModelKind kind = DEFAULT_KIND;
    private int embeddingDim = ModelConfig.DEFAULT_EMBEDDING_DIM;
    private List<Integer> hiddenSizes = ModelConfig.DEFAULT_HIDDEN_SIZES;
    private boolean batchNorm = ModelConfig.DEFAULT_BATCH_NORM;
    private int crossLayers = ModelConfig.DEFAULT_CROSS_LAYERS;
    private int experts = ModelConfig.DEFAULT_EXPERTS;
    private int rank = ModelConfig.DEFAULT_RANK;
    private CrossStructure structure = ModelConfig.DEFAULT_STRUCTURE;
    private String path;

    private Builder() {
    }

    public Builder kind(ModelKind value) {
      this.kind = Objects.requireNonNull(value, "kind");
      return this;
    }

    public Builder embeddingDim(int value) {
      if (value < 1 || value > 1024) {
        throw new IllegalArgumentException("embedding_dim must be in [1, 1024], got " + value);
      }
      this.embeddingDim = value;
      return this;
    }

    public Builder hiddenSizes(List<Integer> values) {
      for (int value : values) {
        if (value < 1) {
          throw new IllegalArgumentException("every hidden size must be at least 1, got "
              + values);
        }
      }
      this.hiddenSizes = List.copyOf(values);
      return this;
    }

    public Builder batchNorm(boolean value) {
      this.batchNorm = value;
      return this;
    }

    public Builder crossLayers(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("cross_layers must be at least 1, got " + value);
      }
      this.crossLayers = value;
      return this;
    }

    public Builder experts(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("experts must be at least 1, got " + value);
      }
      this.experts = value;
      return this;
    }

    public Builder rank(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("rank must be at least 1, got " + value);
      }
      this.rank = value;
      return this;
    }

    public Builder structure(CrossStructure value) {
      this.structure = Objects.requireNonNull(value, "structure");
      return this;
    }

    public Builder path(String value) {
      if (value != null && value.isBlank()) {
        throw new IllegalArgumentException("path must not be empty; remove the key to train"
            + " a model instead");
      }
      this.path = value;
      return this;
    }

    public ModelSettings build() {
      return new ModelSettings(this);
    }
  }
}
