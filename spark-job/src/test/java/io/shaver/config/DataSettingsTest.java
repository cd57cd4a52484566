package io.shaver.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DataSettingsTest {

  private static JobConfig parse(String data) {
    return JobConfigLoader.parse("output: out\ndata:\n" + data, List.of());
  }

  private static String error(String data) {
    return assertThrows(ConfigException.class, () -> parse(data)).getMessage();
  }

  @Test
  void csvKeysBound() {
    DataSettings data = parse("  format: csv\n  path: a.tsv\n  label: y\n  integer: [n]\n"
        + "  categorical: [c, d]\n  delimiter: \"\\t\"\n  header: false\n"
        + "  columns: [y, n, c, d]\n  partitions: 3\n  rows_per_file: 10\n"
        + "  vocabulary_splits: train\n").data();

    assertEquals("y", data.label());
    assertEquals(List.of("n"), data.integer());
    assertEquals(List.of("c", "d"), data.categorical());
    assertEquals('\t', data.delimiter());
    assertFalse(data.header());
    assertEquals(List.of("y", "n", "c", "d"), data.columns());
    assertEquals(3, data.partitions());
    assertEquals(10, data.rowsPerFile());
    assertEquals(VocabularySplits.TRAIN, data.vocabularySplits());
  }

  @Test
  void encodedKeysBound() {
    DataSettings data = parse("  format: encoded\n  path: ids.parquet\n  fields: [a, b]\n"
        + "  field_sizes: [3, 5]\n  id_kind: global\n  vocabulary: v.csv\n").data();

    assertEquals(List.of("a", "b"), data.fields());
    assertEquals(List.of(3, 5), data.fieldSizes());
    assertEquals(IdKind.GLOBAL, data.idKind());
    assertEquals("v.csv", data.vocabulary());
    assertEquals(FileType.PARQUET, data.fileType());
  }

  @Test
  void defaultsInEffectiveYaml() {
    String yaml = parse("  format: criteo\n  path: t.txt\n").effectiveYaml();

    assertTrue(yaml.contains("vocabulary_splits: all"), yaml);
    assertTrue(yaml.contains("partitions: 0"), yaml);
    assertTrue(yaml.contains("rows_per_file: 1000000"), yaml);
    assertFalse(yaml.contains("label:"), "criteo has a fixed label column\n" + yaml);
  }

  @Test
  void keyOfOtherFormatRejected() {
    String message = error("  format: criteo\n  path: t.txt\n  label: click\n");

    assertTrue(message.contains("'data.label' does not apply to format criteo"), message);
  }

  @Test
  void csvWithoutFeaturesRejected() {
    String message = error("  format: csv\n  path: t.csv\n");

    assertTrue(message.contains("'data' (format csv)"), message);
    assertTrue(message.contains("at least one feature column"), message);
  }

  @Test
  void headerlessCsvNeedsColumns() {
    String message = error("  format: csv\n  path: t.csv\n  categorical: [c]\n"
        + "  header: false\n");

    assertTrue(message.contains("needs 'columns'"), message);
  }

  @Test
  void fieldSizesMustMatchFields() {
    String message = error("  format: encoded\n  path: e\n  fields: [a, b]\n"
        + "  field_sizes: [3]\n");

    assertTrue(message.contains("'fields' has 2 columns but 'field_sizes' has 1"), message);
  }

  @Test
  void fieldSizeBelowOneRejected() {
    String message = error("  format: encoded\n  path: e\n  fields: [a]\n  field_sizes: [0]\n");

    assertTrue(message.contains("'data.field_sizes'"), message);
    assertTrue(message.contains("at least 1"), message);
  }

  @Test
  void labelListedAsFeatureRejected() {
    String message = error("  format: csv\n  path: t.csv\n  categorical: [label, c]\n");

    assertTrue(message.contains("label column 'label' is also listed"), message);
  }

  @Test
  void delimiterMustBeOneCharacter() {
    String message = error("  format: csv\n  path: t.csv\n  categorical: [c]\n"
        + "  delimiter: '||'\n");

    assertTrue(message.contains("'data.delimiter'"), message);
    assertTrue(message.contains("exactly one character"), message);
  }

  @Test
  void unknownIdKindRejected() {
    String message = error("  format: encoded\n  path: e\n  fields: [a]\n  field_sizes: [2]\n"
        + "  id_kind: offset\n");

    assertTrue(message.contains("'data.id_kind' = offset"), message);
  }

  @Test
  void csvOptionsRejectedForEncodedParquet() {
    String message = error("  format: encoded\n  path: e\n  fields: [a]\n  field_sizes: [2]\n"
        + "  header: false\n");

    assertTrue(message.contains("'data.header' applies only to encoded input with"), message);
  }
}
