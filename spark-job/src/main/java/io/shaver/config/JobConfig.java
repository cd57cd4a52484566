package io.shaver.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
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
  private final EstimateSettings estimate;

  JobConfig(String output, long seed, DataSettings data, EstimateSettings estimate) {
    this.output = Objects.requireNonNull(output, "output");
    this.seed = seed;
    this.data = Objects.requireNonNull(data, "data");
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
    EstimateSettings estimate = EstimateSettings.fromConfig(root.section("estimate"));
    root.rejectUnknownKeys();
    return new JobConfig(output, seed, data, estimate);
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

  public EstimateSettings estimate() {
    return estimate;
  }

  /** Renders the effective settings as YAML, defaults included, keys in a fixed order. */
  public String effectiveYaml() {
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("output", output);
    document.put("seed", seed);
    document.put("data", data.describe());
    document.put("estimate", estimate.describe());
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
