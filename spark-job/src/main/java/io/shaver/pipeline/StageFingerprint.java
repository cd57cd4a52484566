package io.shaver.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.shaver.ShaverVersion;
import io.shaver.config.JobConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * SHA-256 over what a stage's result depends on: the job version, the stage name, the
 * effective values of its config sections and the fingerprints of its upstream stages. Two
 * runs with equal fingerprints produce the same outputs, so the second can skip the stage.
 */
final class StageFingerprint {

  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private StageFingerprint() {
  }

  static String of(Stage stage, JobConfig config, Map<String, String> upstreamFingerprints) {
    Map<String, Object> inputs = new LinkedHashMap<>();
    inputs.put("version", ShaverVersion.version());
    inputs.put("stage", stage.name());
    Map<String, Object> sections = new TreeMap<>();
    for (String key : stage.configSections()) {
      sections.put(key, config.describeSection(key));
    }
    inputs.put("config", sections);
    Map<String, String> upstream = new TreeMap<>();
    for (String name : stage.upstream()) {
      upstream.put(name, upstreamFingerprints.getOrDefault(name, "absent"));
    }
    inputs.put("upstream", upstream);
    return sha256(canonicalJson(inputs));
  }

  private static String canonicalJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot serialize stage inputs", e);
    }
  }

  private static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
