package io.shaver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.shaver.cuda.CudaLibraries;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code shaver gpu-check}: the CPU fallback here, and the comparison through the host. */
class GpuCheckCommandTest {

  @Test
  void reportsMissingGpuWithExitThree(@TempDir Path directory) throws Exception {
    assumeTrue(CudaLibraries.loadFailure().isPresent(), "CUDA loaded here");
    Path model = savedDeepFm(directory);

    Output output = run("gpu-check", "--model", model.toString(), "--samples", "20",
        "--batch-size", "8", "--device", "1");

    assertEquals(GpuCheckCommand.EXIT_NO_GPU_BACKEND, output.code(), output.text());
    assertTrue(output.text().contains("device       gpu:1"), output.text());
    assertTrue(output.text().contains("cpu          cpu (ND4J): 20 samples in"), output.text());
    assertTrue(output.text().contains("gpu          no GPU backend: "
        + CudaLibraries.loadFailure().get() + "; only the CPU walks above ran"), output.text());
  }

  @Test
  void comparesHostFullStateWithCpu(@TempDir Path directory) throws Exception {
    Path model = savedDeepFm(directory);

    Output output = run("gpu-check", "--model", model.toString(), "--samples", "20",
        "--batch-size", "8", "--candidate", "HOST");

    assertEquals(ShaverCli.EXIT_OK, output.code(), output.text());
    assertTrue(output.text().contains("host         host full-state: 20 samples in"),
        output.text());
    double cpuSum = phiSum(output.text(), "cpu");
    double hostSum = phiSum(output.text(), "host");
    assertTrue(Math.abs(cpuSum) > 1e-3, output.text());
    assertEquals(cpuSum, hostSum, 1e-5 * Math.abs(cpuSum), output.text());
    Matcher difference = Pattern.compile("max \\|difference\\| / max \\|phi_cpu\\| = (\\S+)")
        .matcher(output.text());
    assertTrue(difference.find(), output.text());
    assertTrue(Double.parseDouble(difference.group(1)) < 1e-4, output.text());
  }

  @Test
  void phiMismatchBeyondToleranceExitsFour(@TempDir Path directory) throws Exception {
    Path model = savedDeepFm(directory);

    Output output = run("gpu-check", "--model", model.toString(), "--samples", "20",
        "--batch-size", "8", "--candidate", "HOST", "--tolerance", "0");

    // Incremental and full forwards round differently, so some phi differs by more than 0.
    assertEquals(GpuCheckCommand.EXIT_PHI_MISMATCH, output.code(), output.text());
    assertTrue(output.text().contains("phi differs  beyond the tolerance"), output.text());
  }

  private static double phiSum(String text, String label) {
    Matcher matcher = Pattern.compile("(?m)^" + label + " .* phi sum (\\S+) over").matcher(text);
    assertTrue(matcher.find(), text);
    return Double.parseDouble(matcher.group(1));
  }

  private static Path savedDeepFm(Path directory) throws Exception {
    ModelConfig architecture = ModelConfig.builder().kind(ModelKind.DEEPFM).embeddingDim(4)
        .hiddenSizes(List.of(8)).addField("a", 5).addField("b", 7).build();
    Path model = directory.resolve("model");
    ModelStore.save(model, architecture, CtrModels.randomStateDict(architecture, 1, 0.3),
        Map.of());
    return model;
  }

  private record Output(int code, String text) {
  }

  private static Output run(String... arguments) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int code;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      code = ShaverCli.execute(arguments);
    } finally {
      System.setOut(original);
    }
    return new Output(code, out.toString(StandardCharsets.UTF_8));
  }
}
