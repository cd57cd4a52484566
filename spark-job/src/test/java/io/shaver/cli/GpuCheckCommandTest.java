package io.shaver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaver.model.CtrModels;
import io.shaver.model.ModelConfig;
import io.shaver.model.ModelKind;
import io.shaver.model.ModelStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code shaver gpu-check} runs the CPU backend and reports that no GPU backend exists. */
class GpuCheckCommandTest {

  @Test
  void reportsCpuFallbackWithExitThree(@TempDir Path directory) throws Exception {
    ModelConfig architecture = ModelConfig.builder().kind(ModelKind.DEEPFM).embeddingDim(4)
        .hiddenSizes(List.of(8)).addField("a", 5).addField("b", 7).build();
    Path model = directory.resolve("model");
    ModelStore.save(model, architecture, CtrModels.randomStateDict(architecture, 1, 0.3),
        Map.of());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int code;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      code = ShaverCli.execute("gpu-check", "--model", model.toString(), "--samples", "20",
          "--batch-size", "8", "--device", "1");
    } finally {
      System.setOut(original);
    }
    String printed = out.toString(StandardCharsets.UTF_8);

    assertEquals(GpuCheckCommand.EXIT_NO_GPU_BACKEND, code, printed);
    assertTrue(printed.contains("device       gpu:1"), printed);
    assertTrue(printed.contains("backend      cpu (ND4J)"), printed);
    assertTrue(printed.contains("samples      20 in"), printed);
    assertTrue(printed.contains("GPU backend  not available"), printed);
  }
}
