package io.shaver.cli;

import io.shaver.backend.BackendCheck;
import io.shaver.backend.DeviceBinding;
import io.shaver.model.CtrModel;
import io.shaver.model.CtrModels;
import io.shaver.model.ModelConfig;
import io.shaver.model.ModelKind;
import io.shaver.model.ModelStore;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the walk engine on the backend chosen for a GPU, without Spark, and reports which
 * backend ran and how fast. Exits with {@link #EXIT_NO_GPU_BACKEND} when no GPU backend
 * exists, which is the case in this version: the walks then ran on the CPU.
 */
@Command(name = "gpu-check", mixinStandardHelpOptions = true,
    description = "Walks random samples on the backend selected for a GPU, without Spark, and"
        + " reports the backend, samples/s and the sum of phi. Exit code 3: no GPU backend in"
        + " this build (the walks ran on the CPU).")
final class GpuCheckCommand implements Callable<Integer> {

  static final int EXIT_NO_GPU_BACKEND = 3;

  @Option(names = "--model", paramLabel = "DIR",
      description = "Model directory (model.safetensors, model.json). Default: a random"
          + " DeepFM with 39 fields of 1000 rows, d = 16 and hidden layers 400, 400, 400.")
  Path model;

  @Option(names = "--device", paramLabel = "ADDRESS", defaultValue = "0",
      description = "GPU address to bind, as Spark would give it to a task (default 0).")
  String device;

  @Option(names = "--samples", defaultValue = "2048",
      description = "Random samples to walk once each (default 2048).")
  int samples;

  @Option(names = "--batch-size", defaultValue = "256",
      description = "Samples per lock-step batch (default 256).")
  int batchSize;

  @Option(names = "--seed", defaultValue = "2023", description = "Seed (default 2023).")
  long seed;

  @Override
  public Integer call() throws Exception {
    if (samples < 1 || batchSize < 1) {
      throw new UsageException("--samples and --batch-size must be >= 1, got " + samples
          + " and " + batchSize);
    }
    CtrModel walked = model != null ? ModelStore.load(model).model() : randomDeepFm(seed);
    BackendCheck.Result result = BackendCheck.run(walked, DeviceBinding.of("gpu", device),
        samples, batchSize, seed);
    System.out.printf("device       %s%n", result.device());
    System.out.printf("backend      %s%n", result.backend());
    System.out.printf("samples      %d in %.2f s: %.1f samples/s, %.3g evaluations/s%n",
        result.samples(), result.seconds(), result.samplesPerSecond(),
        result.evaluations() / result.seconds());
    System.out.printf("phi          sum %.9g over %d touched parameters%n", result.phiSum(),
        result.touchedParameters());
    if (!result.gpuBackend()) {
      System.out.println("GPU backend  not available in this version; the walks above ran on"
          + " the CPU backend, so no GPU result was measured");
      return EXIT_NO_GPU_BACKEND;
    }
    return ShaverCli.EXIT_OK;
  }

  private static CtrModel randomDeepFm(long seed) {
    ModelConfig.Builder builder = ModelConfig.builder().kind(ModelKind.DEEPFM)
        .embeddingDim(16).hiddenSizes(List.of(400, 400, 400));
    for (int f = 0; f < 39; f++) {
      builder.addField("field_" + f, 1000);
    }
    ModelConfig architecture = builder.build();
    return CtrModels.fromStateDict(architecture,
        CtrModels.randomStateDict(architecture, seed, 0.01));
  }
}
