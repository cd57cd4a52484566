package io.shaver.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Loading weights that do not match model.json fails with one error naming every problem. */
class ModelErrorTest {

  private static ModelConfig config() throws IOException {
    return ModelConfig.read(Golden.directory("deepfm_bn").resolve(ModelStore.CONFIG_FILE));
  }

  private static Map<String, Tensor> stateDict() throws IOException {
    return new LinkedHashMap<>(Safetensors.read(
        Golden.directory("deepfm_bn").resolve(ModelStore.WEIGHTS_FILE)).tensors());
  }

  private static InvalidModelException loadFails(ModelConfig config, Map<String, Tensor> tensors) {
    return assertThrows(InvalidModelException.class,
        () -> CtrModels.fromStateDict(config, tensors));
  }

  @Test
  void missingTensorIsNamed() throws IOException {
    Map<String, Tensor> tensors = stateDict();
    tensors.remove("_deep_branch.4.weight");

    InvalidModelException error = loadFails(config(), tensors);

    assertEquals(List.of("missing tensor '_deep_branch.4.weight' (expected [6, 8])"),
        error.problems());
    assertTrue(error.getMessage().contains("Check that model.json"), error.getMessage());
  }

  @Test
  void wrongShapeIsNamed() throws IOException {
    Map<String, Tensor> tensors = stateDict();
    tensors.put("fc.weight", Tensor.ofFloats(new float[24], 24, 1));

    InvalidModelException error = loadFails(config(), tensors);

    assertEquals(1, error.problems().size());
    String problem = error.problems().get(0);
    assertTrue(problem.contains("'fc.weight' has shape [24, 1], expected [25, 1]"), problem);
  }

  @Test
  void nanTensorIsNamed() throws IOException {
    Map<String, Tensor> tensors = stateDict();
    float[] weight = tensors.get("_deep_branch.0.weight").floats().clone();
    weight[17] = Float.NaN;
    tensors.put("_deep_branch.0.weight", Tensor.ofFloats(weight, 8, 20));

    InvalidModelException error = loadFails(config(), tensors);

    assertEquals(1, error.problems().size());
    String problem = error.problems().get(0);
    assertTrue(problem.contains("'_deep_branch.0.weight' contains 1 NaN or infinite"), problem);
    assertTrue(problem.contains("flat index 17"), problem);
  }

  @Test
  void wrongDtypeIsNamed() throws IOException {
    Map<String, Tensor> tensors = stateDict();
    tensors.put("embedding.weight", Tensor.ofLongs(new long[100], 25, 4));

    InvalidModelException error = loadFails(config(), tensors);

    assertEquals(List.of("tensor 'embedding.weight' has dtype I64, expected a floating type "
        + "(F32, F16, BF16 or F64)"), error.problems());
  }

  @Test
  void wrongFieldCountNamesEveryAffectedTensor() throws IOException {
    ModelConfig full = config();
    ModelConfig fewer = full.toBuilder().fields(full.fieldNames().subList(0, 4),
        java.util.Arrays.copyOf(full.fieldSizes(), 4)).build();

    InvalidModelException error = loadFails(fewer, stateDict());

    String message = error.getMessage();
    assertTrue(message.contains("'embedding.weight' has shape [25, 4], expected [18, 4] "
        + "(rows = sum of the 4 field sizes in model.json)"), message);
    assertTrue(message.contains("'_deep_branch.0.weight' has shape [8, 20], expected [8, 16] "
        + "(inputs = 4 fields x embedding_dim 4 in model.json)"), message);
    assertTrue(message.contains("'offsets' has shape [1, 5], expected [1, 4] "
        + "(4 fields in model.json)"), message);
    assertTrue(message.contains("'fc.weight'"), message);
  }

  @Test
  void allProblemsReportedTogether() throws IOException {
    Map<String, Tensor> tensors = stateDict();
    tensors.remove("_bias");
    tensors.remove("_deep_branch.5.running_var");
    tensors.put("extra.weight", Tensor.ofFloats(new float[2], 2));

    InvalidModelException error = loadFails(config(), tensors);

    assertEquals(3, error.problems().size(), error.getMessage());
    assertTrue(error.getMessage().contains("'_bias'"));
    assertTrue(error.getMessage().contains("'_deep_branch.5.running_var'"));
    assertTrue(error.getMessage().contains("unexpected tensor 'extra.weight'"));
  }

  @Test
  void wrongOffsetsValuesAreNamed() throws IOException {
    Map<String, Tensor> tensors = stateDict();
    tensors.put("offsets", Tensor.ofLongs(new long[] {0, 3, 7, 12, 19}, 1, 5));

    InvalidModelException error = loadFails(config(), tensors);

    assertEquals(1, error.problems().size());
    assertTrue(error.problems().get(0).contains("19 at field 4 ('device')"),
        error.problems().get(0));
  }

  @Test
  void batchNormMismatchIsReported() throws IOException {
    ModelConfig withoutNorm = config().toBuilder().batchNorm(false).build();

    InvalidModelException error = loadFails(withoutNorm, stateDict());

    assertTrue(error.getMessage().contains("unexpected tensor '_deep_branch.1.running_mean'"),
        error.getMessage());
  }

  @Test
  void incompleteFieldTablesAreNamed() throws IOException {
    Path directory = Golden.directory("deepfm_field_tables");
    ModelConfig config = ModelConfig.read(directory.resolve(ModelStore.CONFIG_FILE));
    Map<String, Tensor> tensors = new LinkedHashMap<>(
        Safetensors.read(directory.resolve(ModelStore.WEIGHTS_FILE)).tensors());
    tensors.remove("embedding_layer.embedding_layer.embedding_dict.hour.weight");

    InvalidModelException error = loadFails(config, tensors);

    assertEquals(1, error.problems().size(), error.getMessage());
    assertTrue(error.problems().get(0).contains("missing per-field table of field 'hour'"),
        error.getMessage());
  }
}
