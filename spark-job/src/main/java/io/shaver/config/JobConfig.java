package io.shaver.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.shaver.compress.CompressSettings;
import io.shaver.train.TrainSettings;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The validated settings of one job: output directory, seed and one section per stage.
 *
 * <p>Immutable. Built by {@link JobConfigLoader} from a YAML file plus command-line overrides;
 * {@link #effectiveYaml()} renders the settings with every default filled in, in a canonical
 * order, and is what provenance records.
 */
public final class JobConfig {

  public static final long DEFAULT_SEED = 2023L;

  private final String output;
  private final long seed;
  private final DataSettings data;
  private final ModelSettings model;
  private final TrainSettings train;
  private final CompressSettings compress;
  private final EvaluateSettings evaluate;
  private final EstimateSettings estimate;

  JobConfig(String output, long seed, DataSettings data, ModelSettings model,
      TrainSettings train, EstimateSettings estimate, CompressSettings compress,
      EvaluateSettings evaluate) {
    this.output = Objects.requireNonNull(output, "output");
    this.seed = seed;
    this.data = Objects.requireNonNull(data, "data");
    this.model = Objects.requireNonNull(model, "model");
    this.train = Objects.requireNonNull(train, "train");
    this.compress = Objects.requireNonNull(compress, "compress");
    this.evaluate = Objects.requireNonNull(evaluate, "evaluate");
    this.estimate = Objects.requireNonNull(estimate, "estimate");
  }

  /** Binds a whole document; raises {@link ConfigException} on the first invalid key. */
  static JobConfig fromConfig(ConfigReader root) {
    String output = root.string("output").orElseThrow(() -> new ConfigException(
        "Missing config key 'output': set the run's output directory in the config file"
            + " or pass --output DIR."));
    if (output.isBlank()) {
      throw new ConfigException("Invalid config key 'output': the output directory must not be"
          + " empty.");
    }
    long seed = root.integer("seed").orElse(DEFAULT_SEED);
    DataSettings data = DataSettings.fromConfig(root.section("data"));
    ModelSettings model = ModelSettings.fromConfig(root.section("model"));
    TrainSettings train = TrainConfig.fromConfig(root.section("train"), seed);
    EstimateSettings estimate = EstimateSettings.fromConfig(root.section("estimate"));
    CompressSettings compress = CompressSettings.fromConfig(root.section("compress"));
    EvaluateSettings evaluate = EvaluateSettings.fromConfig(root.section("evaluate"), seed);
    root.rejectUnknownKeys();
    return new JobConfig(output, seed, data, model, train, estimate, compress,
        evaluate);
  }

  /** Run output directory: a local path or a Hadoop URI such as {@code hdfs://nn/runs/x}. */
  public String output() {
    return output;
  }

  public long seed() {
    return seed;
  }

  public DataSettings data() {
    return data;
  }

  public ModelSettings model() {
    return model;
  }

  public TrainSettings train() {
    return train;
  }

  public EstimateSettings estimate() {
    return estimate;
  }

  public CompressSettings compress() {
    return compress;
  }

  public EvaluateSettings evaluate() {
    return evaluate;
  }

  /** Returns the effective settings as nested maps, defaults included, in a fixed key order. */
  public Map<String, Object> describe() {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("output", output);
    document.put("seed", seed);
    document.put("data", data.describe());
    document.put("model", model.describe());
    document.put("train", TrainConfig.describe(train));
    document.put("estimate", estimate.describe());
    document.put("compress", compress.describe());
    document.put("evaluate", evaluate.describe());
    return document;
  }

  /**
   * Returns the effective value of one top-level key, e.g. {@code seed} or {@code data}.
   *
   * @throws IllegalArgumentException if the key is not a top-level config key
   */
  public Object describeSection(String key) {
    Map<String, Object> document = describe();
    if (!document.containsKey(key)) {
      throw new IllegalArgumentException("'" + key + "' is not a top-level config key; known: "
          + document.keySet());
    }
    return document.get(key);
  }

  /** Renders the effective settings as YAML, defaults included, keys in a fixed order. */
  public String effectiveYaml() {
    Map<String, Object> document = describe();
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory()
        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
    try {
      return yaml.writeValueAsString(document);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("Failed to render the effective config", e);
    }
  }
}
