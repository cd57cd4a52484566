package io.shaver.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.shaver.config.ConfigException;
import io.shaver.config.ConfigReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompressSettingsTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static CompressSettings bind(String yaml) throws Exception {
    return bind((ObjectNode) YAML.readTree(yaml));
  }

  private static CompressSettings bind(ObjectNode document) {
    ConfigReader root = ConfigReader.root(document);
    CompressSettings settings = CompressSettings.fromConfig(root.section("compress"));
    root.rejectUnknownKeys();
    return settings;
  }

  private static List<String> labels(CompressSettings settings) {
    return settings.budgets().stream().map(Budget::label).toList();
  }

  @Test
  void defaultsWhenSectionAbsent() throws Exception {
    CompressSettings settings = bind("{}\n");

    assertEquals(List.of("sparsity=0.5", "sparsity=0.8", "sparsity=0.9", "sparsity=0.95",
        "sparsity=0.99", "sparsity=0.999"), labels(settings));
    assertEquals(RankingKey.ABSOLUTE, settings.ranking());
    assertEquals(StorageFormat.FLOAT32, settings.format());
  }

  @Test
  void bindsEveryKey() throws Exception {
    CompressSettings settings = bind("""
        compress:
          sparsity: [0.5, 0.95]
          kept: 10000
          bytes: [1MB, 262144]
          format: int8
          ranking: signed
        """);

    assertEquals(List.of("sparsity=0.5", "sparsity=0.95", "kept=10000", "bytes=1MB-int8",
        "bytes=256KiB-int8"), labels(settings));
    assertEquals(RankingKey.SIGNED, settings.ranking());
    assertEquals(StorageFormat.INT8, settings.format());
    assertEquals(StorageFormat.INT8, settings.formatOf(settings.budgets().get(0)));
  }

  @Test
  void onlyKeptReplacesDefaultSweep() throws Exception {
    CompressSettings settings = bind("compress: {kept: [5, 50]}\n");

    assertEquals(List.of("kept=5", "kept=50"), labels(settings));
  }

  @Test
  void emptySweepRejected() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> bind("compress: {sparsity: []}\n"));

    assertTrue(e.getMessage().contains("compress.sparsity"), e.getMessage());
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
  }

  @Test
  void invalidValuesNamedWithKey() {
    assertConfigError("compress: {sparsity: [0.5, 1.0]}\n", "compress.sparsity", "1.0");
    assertConfigError("compress: {sparsity: [-0.2]}\n", "compress.sparsity", "-0.2");
    assertConfigError("compress: {kept: [-1]}\n", "compress.kept", "-1");
    assertConfigError("compress: {bytes: [0]}\n", "compress.bytes", "0");
    assertConfigError("compress: {bytes: [12 parsecs]}\n", "compress.bytes", "12 parsecs");
    assertConfigError("compress: {format: int4}\n", "compress.format", "int4");
    assertConfigError("compress: {ranking: random}\n", "compress.ranking", "random");
    assertConfigError("compress: {sparsty: [0.5]}\n", "compress.sparsty", "compress.sparsity");
  }

  @Test
  void duplicateBudgetRejected() {
    assertConfigError("compress: {sparsity: [0.9, 0.90]}\n", "sparsity=0.9", "twice");
  }

  private static void assertConfigError(String yaml, String... fragments) {
    ConfigException e = assertThrows(ConfigException.class, () -> bind(yaml));
    for (String fragment : fragments) {
      assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' in: " + e.getMessage());
    }
  }

  @Test
  void describeRoundTrips() throws Exception {
    CompressSettings settings = bind("""
        compress:
          sparsity: [0.5]
          kept: [7]
          bytes: [2MB]
          format: fp16
        """);

    Map<String, Object> described = settings.describe();

    assertEquals(List.of(0.5), described.get("sparsity"));
    assertEquals(List.of(7L), described.get("kept"));
    assertEquals(List.of("2MB"), described.get("bytes"));
    assertEquals("fp16", described.get("format"));
    assertEquals("abs", described.get("ranking"));
    ObjectNode document = YAML.createObjectNode();
    document.set("compress", YAML.valueToTree(described));
    CompressSettings again = bind(document);
    assertEquals(labels(settings), labels(again));
  }
}
