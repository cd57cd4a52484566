package io.shaver.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Typed, key-tracking view of one section of a YAML job config.
 *
 * <p>Every getter records the key it read, so that {@link #rejectUnknownKeys()} can name any key
 * that no settings class consumed (usually a typo). Type errors and rule violations raised by a
 * settings builder are rethrown as {@link ConfigException} with the full dotted key, for
 * example {@code estimate.threshold}.
 */
public final class ConfigReader {

  private final String path;
  private final ObjectNode node;
  private final Map<String, ConfigReader> children = new LinkedHashMap<>();
  private final TreeSet<String> consumed = new TreeSet<>();

  ConfigReader(String path, ObjectNode node) {
    this.path = path;
    this.node = node;
  }

  /** Returns a reader over the whole document. */
  public static ConfigReader root(ObjectNode document) {
    return new ConfigReader("", document);
  }

  /** Returns the dotted key of {@code key} in this section, as written in error messages. */
  public String keyOf(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** Returns the nested section {@code key}; an absent section reads as empty. */
  public ConfigReader section(String key) {
    ConfigReader child = children.get(key);
    if (child != null) {
      return child;
    }
    consumed.add(key);
    JsonNode value = node.get(key);
    ObjectNode object;
    if (value == null || value.isNull()) {
      object = JsonNodeFactory.instance.objectNode();
    } else if (value.isObject()) {
      object = (ObjectNode) value;
    } else {
      throw typeError(key, value, "a section (a map of keys)");
    }
    child = new ConfigReader(keyOf(key), object);
    children.put(key, child);
    return child;
  }

  /** Returns whether the key is present and not null. */
  public boolean has(String key) {
    JsonNode value = node.get(key);
    return value != null && !value.isNull();
  }

  public Optional<String> string(String key) {
    JsonNode value = take(key);
    if (value == null) {
      return Optional.empty();
    }
    if (!value.isValueNode() || value.isBinary()) {
      throw typeError(key, value, "a string");
    }
    return Optional.of(value.asText());
  }

  public Optional<Long> integer(String key) {
    JsonNode value = take(key);
    if (value == null) {
      return Optional.empty();
    }
    return Optional.of(toLong(key, value));
  }

  public Optional<Double> number(String key) {
    JsonNode value = take(key);
    if (value == null) {
      return Optional.empty();
    }
    return Optional.of(toDouble(key, value));
  }

  public Optional<Boolean> bool(String key) {
    JsonNode value = take(key);
    if (value == null) {
      return Optional.empty();
    }
    if (value.isBoolean()) {
      return Optional.of(value.booleanValue());
    }
    throw typeError(key, value, "true or false");
  }

  /** Reads a list of strings; a single scalar reads as a one-element list. */
  public Optional<List<String>> strings(String key) {
    return list(key).map(items -> {
      List<String> out = new ArrayList<>();
      for (JsonNode item : items) {
        if (!item.isValueNode() || item.isNull()) {
          throw typeError(key, item, "a list of strings");
        }
        out.add(item.asText());
      }
      return out;
    });
  }

  /** Reads a list of numbers; a single number reads as a one-element list. */
  public Optional<List<Double>> numbers(String key) {
    return list(key).map(items -> {
      List<Double> out = new ArrayList<>();
      for (JsonNode item : items) {
        out.add(toDouble(key, item));
      }
      return out;
    });
  }

  /** Reads a list of whole numbers; a single number reads as a one-element list. */
  public Optional<List<Long>> integers(String key) {
    return list(key).map(items -> {
      List<Long> out = new ArrayList<>();
      for (JsonNode item : items) {
        out.add(toLong(key, item));
      }
      return out;
    });
  }

  /**
   * Passes a present value to a builder setter, rethrowing its {@link IllegalArgumentException}
   * as a {@link ConfigException} that names the key and the value.
   */
  public <T> void apply(String key, Optional<T> value, Consumer<T> setter) {
    if (value.isEmpty()) {
      return;
    }
    try {
      setter.accept(value.get());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Invalid config key '" + keyOf(key) + "' = " + value.get()
          + ": " + e.getMessage());
    }
  }

  /**
   * Raises a {@link ConfigException} naming every key of this section and its read sub-sections
   * that no getter consumed, with the accepted keys of its section.
   */
  public void rejectUnknownKeys() {
    List<String> problems = new ArrayList<>();
    collectUnknown(problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(String.join("\n", problems));
    }
  }

  private void collectUnknown(List<String> problems) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!consumed.contains(name)) {
        problems.add("Unknown config key '" + keyOf(name) + "'"
            + suggestion(name) + ". Accepted keys here: " + String.join(", ", consumed)
            + ". Remove it or fix its spelling.");
      }
    }
    for (ConfigReader child : children.values()) {
      child.collectUnknown(problems);
    }
  }

  private String suggestion(String name) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : consumed) {
      int distance = editDistance(name, candidate);
      if (distance < bestDistance) {
        bestDistance = distance;
        best = candidate;
      }
    }
    return best != null && bestDistance <= 3 ? " (did you mean '" + keyOf(best) + "'?)" : "";
  }

  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  private JsonNode take(String key) {
    consumed.add(key);
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return null;
    }
    if (value.isObject()) {
      throw typeError(key, value, "a single value, not a section");
    }
    return value;
  }

  private Optional<List<JsonNode>> list(String key) {
    JsonNode value = take(key);
    if (value == null) {
      return Optional.empty();
    }
    List<JsonNode> items = new ArrayList<>();
    if (value.isArray()) {
      value.forEach(items::add);
    } else {
      items.add(value);
    }
    return Optional.of(items);
  }

  private long toLong(String key, JsonNode value) {
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      return value.longValue();
    }
    if (value.isTextual()) {
      try {
        return Long.parseLong(value.textValue().trim().replace("_", ""));
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw typeError(key, value, "a whole number");
  }

  private double toDouble(String key, JsonNode value) {
    if (value.isNumber()) {
      return value.doubleValue();
    }
    if (value.isTextual()) {
      try {
        return Double.parseDouble(value.textValue().trim());
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw typeError(key, value, "a number");
  }

  private ConfigException typeError(String key, JsonNode value, String expected) {
    String shown = value.isTextual() ? "'" + value.textValue() + "'" : value.toString();
    return new ConfigException("Invalid config key '" + keyOf(key) + "': expected " + expected
        + ", got " + shown + ".");
  }
}
