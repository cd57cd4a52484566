package io.shaver.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelConfigTest {

  private static ModelConfig.Builder threeFields() {
    return ModelConfig.builder().kind(ModelKind.DEEPFM).addField("a", 2).addField("b", 4)
        .addField("c", 2);
  }

  @Test
  void defaultsMatchReferenceSettings() {
    ModelConfig config = threeFields().build();

    assertEquals(16, config.embeddingDim());
    assertEquals(List.of(400, 400, 400), config.hiddenSizes());
    assertTrue(config.batchNorm());
    assertEquals(3, config.crossLayers());
    assertEquals(4, config.experts());
    assertEquals(64, config.rank());
    assertEquals(CrossStructure.STACKED, config.structure());
  }

  @Test
  void offsetsArePrefixSums() {
    ModelConfig config = threeFields().embeddingDim(4).build();

    assertArrayEquals(new int[] {0, 2, 6}, config.offsets());
    assertEquals(8, config.rowCount());
    assertEquals(12, config.inputSize());
    assertEquals(0, config.fieldOfRow(1));
    assertEquals(1, config.fieldOfRow(2));
    assertEquals(1, config.fieldOfRow(5));
    assertEquals(2, config.fieldOfRow(7));
  }

  @Test
  void fieldOfRowRejectsOutOfRange() {
    ModelConfig config = threeFields().build();

    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> config.fieldOfRow(8));

    assertTrue(error.getMessage().contains("8"), error.getMessage());
  }

  @Test
  void jsonRoundTripKeepsEverySetting() {
    ModelConfig config = threeFields().kind(ModelKind.DCNV2).embeddingDim(8)
        .hiddenSizes(List.of(32, 16)).batchNorm(false).crossLayers(2).experts(3).rank(5)
        .structure(CrossStructure.PARALLEL).build();

    ModelConfig parsed = ModelConfig.fromJson(config.toJson());

    assertEquals(config, parsed);
    assertEquals(List.of("a", "b", "c"), parsed.fieldNames());
  }

  @Test
  void jsonUsesDefaultsForOptionalKeys() {
    ModelConfig parsed = ModelConfig.fromJson(
        "{\"kind\": \"dcn_mix\", \"field_names\": [\"x\"], \"field_sizes\": [3]}");

    assertEquals(ModelKind.DCN_MIX, parsed.kind());
    assertEquals(ModelConfig.DEFAULT_EMBEDDING_DIM, parsed.embeddingDim());
    assertEquals(ModelConfig.DEFAULT_HIDDEN_SIZES, parsed.hiddenSizes());
  }

  @Test
  void jsonRejectsUnknownKey() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> ModelConfig.fromJson("{\"kind\": \"deepfm\", \"field_names\": [\"x\"], "
            + "\"field_sizes\": [3], \"hidden\": [4]}"));

    assertTrue(error.getMessage().contains("'hidden'"), error.getMessage());
  }

  @Test
  void jsonRejectsMismatchedFieldLists() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> ModelConfig.fromJson(
            "{\"kind\": \"deepfm\", \"field_names\": [\"x\", \"y\"], \"field_sizes\": [3]}"));

    assertTrue(error.getMessage().contains("2 field names but 1 field sizes"),
        error.getMessage());
  }

  @Test
  void jsonRejectsUnknownKind() {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> ModelConfig.fromJson(
            "{\"kind\": \"widedeep\", \"field_names\": [\"x\"], \"field_sizes\": [3]}"));

    assertTrue(error.getMessage().contains("'widedeep'"), error.getMessage());
  }

  @Test
  void settersNameFieldAndValue() {
    ModelConfig.Builder builder = threeFields();

    assertMessage(() -> builder.embeddingDim(0), "embedding_dim", "0");
    assertMessage(() -> builder.hiddenSizes(List.of(8, -1)), "hidden_sizes[1]", "-1");
    assertMessage(() -> builder.crossLayers(0), "cross_layers", "0");
    assertMessage(() -> builder.experts(-2), "experts", "-2");
    assertMessage(() -> builder.rank(0), "rank", "0");
    assertMessage(() -> builder.addField("d", 0), "'d'", "0");
    assertMessage(() -> builder.addField("a", 3), "'a'", "already used");
  }

  @Test
  void buildRequiresKindAndFields() {
    assertMessage(() -> ModelConfig.builder().addField("a", 1).build(), "kind", "Missing");
    assertMessage(() -> ModelConfig.builder().kind(ModelKind.DEEPFM).build(), "fields",
        "Missing");
  }

  private static void assertMessage(Runnable action, String name, String value) {
    IllegalArgumentException error = assertThrows(IllegalArgumentException.class, action::run);
    assertTrue(error.getMessage().contains(name), error.getMessage());
    assertTrue(error.getMessage().contains(value), error.getMessage());
  }
}
