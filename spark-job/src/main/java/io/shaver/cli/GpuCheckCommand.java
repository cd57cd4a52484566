package io.shaver.cli;

import io.shaver.backend.BackendCheck;
import io.shaver.backend.DeviceBinding;
import io.shaver.backend.FullStateWalkBackend;
import io.shaver.model.CtrModel;
import io.shaver.model.CtrModels;
import io.shaver.model.ModelConfig;
import io.shaver.model.ModelKind;
import io.shaver.model.ModelStore;
import io.shaver.shapley.FullStateWalker;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs Shapley walks on the GPU backend and on the CPU backend, without Spark, on the same
 * model, samples and permutations, and prints both phi sums, their largest relative difference
 * and the samples/s of each. Exits with {@link #EXIT_NO_GPU_BACKEND} when no GPU backend could
 * be used (the reason is printed; only the CPU walks ran) and with {@link #EXIT_PHI_MISMATCH}
 * when phi differs by more than {@code --tolerance}.
 */
@Command(name = "gpu-check", mixinStandardHelpOptions = true,
    description = "Walks random samples on the GPU backend and on the CPU backend, without"
        + " Spark, and compares phi and samples/s. Exit code 3: no GPU backend could be used"
        + " (only the CPU walks ran); 4: phi differs by more than --tolerance.")
final class GpuCheckCommand implements Callable<Integer> {

  static final int EXIT_NO_GPU_BACKEND = 3;
  static final int EXIT_PHI_MISMATCH = 4;

  /** The backend compared with the CPU backend. */
  enum Candidate {
    /** The backend a Spark task bound to the GPU would use. */
    GPU,
    /** The full-state walker's math on the host: checks the comparison without a GPU. */
    HOST
  }

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

  @Option(names = "--tolerance", defaultValue = "1e-3",
      description = "Largest accepted max |phi_gpu - phi_cpu| / max |phi_cpu| (default 1e-3).")
  double tolerance;

  @Option(names = "--candidate", defaultValue = "GPU",
      description = "Backend compared with the CPU: GPU (default) or HOST, the full-state"
          + " walks on the CPU, which checks this command on a machine without a GPU.")
  Candidate candidate;

  @Override
  public Integer call() throws Exception {
    if (samples < 1 || batchSize < 1) {
      throw new UsageException("--samples and --batch-size must be >= 1, got " + samples
          + " and " + batchSize);
    }
    if (!(tolerance >= 0)) {
      throw new UsageException("--tolerance must be >= 0, got " + tolerance);
    }
    CtrModel walked = model != null ? ModelStore.load(model).model() : randomDeepFm(seed);
    DeviceBinding binding = DeviceBinding.of("gpu", device);
    BackendCheck.Result result = candidate == Candidate.HOST
        ? BackendCheck.compare(FullStateWalkBackend.host(FullStateWalker.DEFAULT_MAX_ROWS),
            walked, binding, samples, batchSize, seed)
        : BackendCheck.run(walked, binding, samples, batchSize, seed);

    System.out.printf("device       %s%n", result.device());
    print("cpu", result.cpu());
    if (result.candidate().isEmpty()) {
      System.out.println("gpu          no GPU backend: " + result.unavailableReason().orElse("")
          + "; only the CPU walks above ran");
      return EXIT_NO_GPU_BACKEND;
    }
    BackendCheck.Run compared = result.candidate().get();
    print(candidate == Candidate.HOST ? "host" : "gpu", compared);
    System.out.printf("phi          max |difference| / max |phi_cpu| = %.3g (tolerance %.3g)%n",
        result.maxRelativePhiDifference(), tolerance);
    System.out.printf("speed-up     %.2fx samples/s over the CPU%n",
        compared.samplesPerSecond() / result.cpu().samplesPerSecond());
    if (!(result.maxRelativePhiDifference() <= tolerance)) {
      System.out.println("phi differs  beyond the tolerance");
      return EXIT_PHI_MISMATCH;
    }
    return ShaverCli.EXIT_OK;
  }

  private static void print(String label, BackendCheck.Run run) {
    System.out.printf("%-12s %s: %d samples in %.2f s, %.1f samples/s, %.3g evaluations/s,"
        + " phi sum %.9g over %d touched parameters%n", label, run.backend(), run.samples(),
        run.seconds(), run.samplesPerSecond(), run.evaluations() / run.seconds(), run.phiSum(),
        run.touchedParameters());
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
