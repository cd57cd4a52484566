package io.shaver.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {

  @TempDir
  Path root;

  private static ModelStore.StoredModel golden(String variant) throws IOException {
    return ModelStore.load(Golden.directory(variant));
  }

  private static float[] logits(CtrModel model, Golden golden) {
    float[] out = new float[golden.batch()];
    model.predict(golden.ids(), golden.batch(), out);
    return out;
  }

  @Test
  void saveThenLoadKeepsLogitsAndProvenance() throws IOException {
    ModelStore.StoredModel stored = golden("dcn_mix_compiled");
    Path target = root.resolve("model");

    ModelStore.save(target, stored.config(), stored.stateDict(), Map.of("seed", "2023"));
    ModelStore.StoredModel loaded = ModelStore.load(target);

    Golden golden = Golden.load("dcn_mix_compiled");
    assertArrayEquals(logits(stored.model(), golden), logits(loaded.model(), golden));
    assertEquals(stored.config(), loaded.config());
    assertEquals("2023", loaded.metadata().get("seed"));
    assertEquals("dcn_mix", loaded.metadata().get("kind"));
    assertEquals(ModelStore.FORMAT_VERSION, loaded.metadata().get("format_version"));
    assertEquals("25", loaded.metadata().get("rows"));
    assertTrue(loaded.stateDict().containsKey("cross_head.U.0"), "prefix stripped");
  }

  @Test
  void savingFieldTablesWritesOneTable() throws IOException {
    ModelStore.StoredModel stored = golden("deepfm_field_tables");
    Path target = root.resolve("joined");

    ModelStore.save(target, stored.config(), stored.stateDict(), Map.of());

    Map<String, Tensor> written =
        Safetensors.read(target.resolve(ModelStore.WEIGHTS_FILE)).tensors();
    assertArrayEquals(new long[] {25, 4}, written.get("embedding.weight").shape());
    assertFalse(written.keySet().stream().anyMatch(name -> name.contains("embedding_dict")));
  }

  @Test
  void saveReplacesExistingModel() throws IOException {
    ModelStore.StoredModel first = golden("deepfm_bn");
    ModelStore.StoredModel second = golden("deepfm_nobn");
    Path target = root.resolve("model");
    ModelStore.save(target, first.config(), first.stateDict(), Map.of());

    ModelStore.save(target, second.config(), second.stateDict(), Map.of());

    assertEquals(second.config(), ModelStore.load(target).config());
    assertEquals(List.of("model"), entries(root));
  }

  @Test
  void invalidWeightsLeaveNoDirectory() throws IOException {
    ModelStore.StoredModel stored = golden("deepfm_bn");
    Map<String, Tensor> tensors = new LinkedHashMap<>(stored.stateDict());
    tensors.put("_bias", Tensor.ofFloats(new float[] {Float.POSITIVE_INFINITY}, 1));
    Path target = root.resolve("model");

    InvalidModelException error = assertThrows(InvalidModelException.class,
        () -> ModelStore.save(target, stored.config(), tensors, Map.of()));

    assertTrue(error.getMessage().contains("'_bias'"), error.getMessage());
    assertEquals(List.of(), entries(root));
  }

  @Test
  void failedSaveKeepsExistingModel() throws IOException {
    ModelStore.StoredModel stored = golden("deepfm_bn");
    Path target = root.resolve("model");
    ModelStore.save(target, stored.config(), stored.stateDict(), Map.of("run", "first"));
    Map<String, Tensor> tensors = new LinkedHashMap<>(stored.stateDict());
    tensors.remove("fc.weight");

    assertThrows(InvalidModelException.class,
        () -> ModelStore.save(target, stored.config(), tensors, Map.of("run", "second")));

    assertEquals("first", ModelStore.load(target).metadata().get("run"));
    assertEquals(List.of("model"), entries(root));
  }

  @Test
  void saveOverFileFailsWithoutLeftovers() throws IOException {
    ModelStore.StoredModel stored = golden("deepfm_bn");
    Path target = root.resolve("model");
    Files.writeString(target, "not a directory");

    assertThrows(FileAlreadyExistsException.class,
        () -> ModelStore.save(target, stored.config(), stored.stateDict(), Map.of()));

    assertEquals(List.of("model"), entries(root));
    assertEquals("not a directory", Files.readString(target));
  }

  @Test
  void loadNamesMissingFile() throws IOException {
    Path directory = Files.createDirectory(root.resolve("empty"));

    NoSuchFileException error =
        assertThrows(NoSuchFileException.class, () -> ModelStore.load(directory));

    assertTrue(error.getMessage().contains("model.json"), error.getMessage());
  }

  private static List<String> entries(Path directory) throws IOException {
    try (Stream<Path> list = Files.list(directory)) {
      return list.map(path -> path.getFileName().toString()).sorted().toList();
    }
  }
}
