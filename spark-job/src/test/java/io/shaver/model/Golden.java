package io.shaver.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A golden fixture written by {@code src/test/python/make_golden.py}. */
record Golden(Path directory, int batch, int[] ids, float[] logits, List<Step> steps) {

  /** One replacement step: per-sample coordinate and value, and PyTorch's logits after it. */
  record Step(int[] coordinates, float[] values, float[] logits) {}

  static final List<String> VARIANTS = List.of("deepfm_bn", "deepfm_nobn", "deepfm_field_tables",
      "deepfm_bn_f16", "dcn_mix", "dcn_mix_compiled", "dcn_mix_bf16", "dcnv2_stacked",
      "dcnv2_parallel");

  static Path directory(String variant) {
    URL url = Golden.class.getResource("/golden/" + variant);
    if (url == null) {
      throw new IllegalStateException("Missing test resource golden/" + variant
          + "; regenerate with src/test/python/make_golden.py");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Golden load(String variant) throws IOException {
    Path directory = directory(variant);
    JsonNode root = new ObjectMapper().readTree(directory.resolve("golden.json").toFile());
    List<Step> steps = new ArrayList<>();
    for (JsonNode step : root.get("steps")) {
      steps.add(new Step(ints(step.get("coordinates")), floats(step.get("values")),
          floats(step.get("logits"))));
    }
    return new Golden(directory, root.get("batch").intValue(), ints(root.get("ids")),
        floats(root.get("logits")), steps);
  }

  private static int[] ints(JsonNode node) {
    int[] values = new int[node.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = node.get(i).intValue();
    }
    return values;
  }

  private static float[] floats(JsonNode node) {
    float[] values = new float[node.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) node.get(i).doubleValue();
    }
    return values;
  }
}
