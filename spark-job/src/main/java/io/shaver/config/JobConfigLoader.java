package io.shaver.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a YAML job config, applies {@code --set key=value} overrides and {@code --output}, and
 * binds the result to {@link JobConfig}.
 *
 * <p>Overrides go through the same binding and validation as the file. A value is parsed as
 * YAML, so {@code --set compress.sparsity=[0.5,0.9]} sets a list and
 * {@code --set data.min_count=5} a number.
 */
public final class JobConfigLoader {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private JobConfigLoader() {
  }

  /**
   * Loads and validates a job config.
   *
   * @param file the YAML file
   * @param overrides {@code key=value} pairs with dotted keys, applied in order
   * @param output replaces the configured output directory when not null
   * @throws ConfigException naming the file, key, value and rule of the first problem
   */
  public static JobConfig load(Path file, List<String> overrides, String output) {
    ObjectNode document = readDocument(file);
    for (String override : overrides) {
      applyOverride(document, override);
    }
    if (output != null) {
      document.put("output", output);
    }
    try {
      return JobConfig.fromConfig(ConfigReader.root(document));
    } catch (ConfigException e) {
      throw new ConfigException("Invalid job config " + describeSource(file, overrides) + ": "
          + e.getMessage(), e);
    }
  }

  /** Describes the file and any --set overrides, so a bad override is not blamed on the file. */
  private static String describeSource(Path file, List<String> overrides) {
    if (overrides.isEmpty()) {
      return file.toString();
    }
    StringBuilder text = new StringBuilder(file.toString()).append(" with");
    for (String override : overrides) {
      text.append(" --set ").append(override);
    }
    return text.toString();
  }

  /** Parses YAML text into a config document; used by tests and by {@link #load}. */
  public static JobConfig parse(String yaml, List<String> overrides) {
    ObjectNode document = parseDocument(yaml, "<inline>");
    for (String override : overrides) {
      applyOverride(document, override);
    }
    return JobConfig.fromConfig(ConfigReader.root(document));
  }

  private static ObjectNode readDocument(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException("Config file not found: " + file
          + ". Pass an existing YAML file with --config (examples are in conf/jobs/).");
    } catch (IOException e) {
      throw new ConfigException("Cannot read config file " + file + ": " + e.getMessage());
    }
    return parseDocument(text, file.toString());
  }

  private static ObjectNode parseDocument(String text, String source) {
    JsonNode node;
    try {
      node = YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ConfigException("Invalid YAML in " + source + " at line "
          + e.getLocation().getLineNr() + ": " + e.getOriginalMessage());
    }
    if (node == null || node.isMissingNode() || node.isNull()) {
      return JsonNodeFactory.instance.objectNode();
    }
    if (!node.isObject()) {
      throw new ConfigException("Invalid job config " + source
          + ": the top level must be a map of keys such as output, seed and data.");
    }
    return (ObjectNode) node;
  }

  static void applyOverride(ObjectNode document, String override) {
    int equals = override.indexOf('=');
    if (equals <= 0) {
      throw new ConfigException("Invalid --set '" + override
          + "': expected key=value with a dotted key, for example --set data.min_count=5.");
    }
    String key = override.substring(0, equals).trim();
    String text = override.substring(equals + 1);
    JsonNode value;
    try {
      value = text.isEmpty() ? JsonNodeFactory.instance.nullNode() : YAML.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ConfigException("Invalid --set '" + override + "': the value is not valid YAML ("
          + e.getOriginalMessage() + ").");
    }
    if (value == null || value.isMissingNode()) {
      value = JsonNodeFactory.instance.nullNode();
    }

    String[] parts = key.split("\\.");
    ObjectNode parent = document;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonNode child = parent.get(parts[i]);
      if (child == null || child.isNull()) {
        child = parent.putObject(parts[i]);
      } else if (!child.isObject()) {
        throw new ConfigException("Invalid --set '" + override + "': '"
            + String.join(".", List.of(parts).subList(0, i + 1)) + "' is a value, not a section.");
      }
      parent = (ObjectNode) child;
    }
    parent.set(parts[parts.length - 1], value);
  }
}
