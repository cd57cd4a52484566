package io.shaver.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaver.shapley.EstimatorSettings;
import io.shaver.shapley.PlaceholderKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Binding and validation of the {@code estimate} config section. */
class EstimateSettingsTest {

  private static final String BASE = "output: runs/x\nseed: 99\ndata: {path: raw.txt}\n";

  private static JobConfig parse(String estimate, String... overrides) {
    return JobConfigLoader.parse(BASE + estimate, List.of(overrides));
  }

  @Test
  void absentSectionGivesDefaults() {
    EstimateSettings settings = parse("").estimate();

    assertEquals(PlaceholderKind.CODEBOOK, settings.placeholder());
    assertEquals(0.01, settings.threshold());
    assertEquals(1, settings.minPasses());
    assertEquals(10, settings.maxPasses());
    assertEquals(EstimatorSettings.DEFAULT_BATCH_SIZE, settings.batchSize());
    assertFalse(settings.antithetic());
    assertEquals(EstimationData.TRAIN_VAL, settings.data());
    assertEquals(1.0, settings.sampleFraction());
    assertEquals(0, settings.partitions());
    assertEquals(65_536, settings.blockSize());
    assertFalse(settings.gpu().enabled());
    assertEquals(1, settings.gpu().executorAmount());
    assertEquals(1.0, settings.gpu().taskAmount());
    assertEquals(LocalMasterPolicy.CPU, settings.gpu().onLocalMaster());
  }

  @Test
  void bindsEveryKey() {
    EstimateSettings settings = parse("estimate:\n"
        + "  placeholder: zero\n  threshold: 0.05\n  min_passes: 2\n  max_passes: 4\n"
        + "  batch_size: 1024\n  antithetic: true\n  data: val\n  sample_fraction: 0.25\n"
        + "  partitions: 64\n  block_size: 4096\n"
        + "  gpu: {enabled: true, executor_amount: 2, task_amount: 0.5, on_local_master: fail}\n")
        .estimate();

    assertEquals(PlaceholderKind.ZERO, settings.placeholder());
    assertEquals(0.05, settings.threshold());
    assertEquals(2, settings.minPasses());
    assertEquals(4, settings.maxPasses());
    assertEquals(1024, settings.batchSize());
    assertTrue(settings.antithetic());
    assertEquals(EstimationData.VAL, settings.data());
    assertEquals(0.25, settings.sampleFraction());
    assertEquals(64, settings.partitions());
    assertEquals(4096, settings.blockSize());
    assertTrue(settings.gpu().enabled());
    assertEquals(2, settings.gpu().executorAmount());
    assertEquals(0.5, settings.gpu().taskAmount());
    assertEquals(LocalMasterPolicy.FAIL, settings.gpu().onLocalMaster());
  }

  @Test
  void seedComesFromJob() {
    JobConfig config = parse("estimate: {placeholder: zero, max_passes: 3}\n");

    EstimatorSettings core = config.estimate().toEstimatorSettings(config.seed());

    assertEquals(99, core.seed());
    assertEquals(3, core.maxPasses());
    assertEquals(PlaceholderKind.ZERO, core.placeholder());
  }

  @Test
  void partitionsAcceptAuto() {
    assertEquals(0, parse("estimate: {partitions: auto}\n").estimate().partitions());
    assertEquals(12, parse("", "estimate.partitions=12").estimate().partitions());
  }

  @Test
  void invalidValuesNameTheirKey() {
    String[][] cases = {
        {"estimate: {threshold: 0}\n", "estimate.threshold"},
        {"estimate: {placeholder: mean}\n", "estimate.placeholder"},
        {"estimate: {data: test}\n", "estimate.data"},
        {"estimate: {sample_fraction: 1.5}\n", "estimate.sample_fraction"},
        {"estimate: {partitions: 0}\n", "estimate.partitions"},
        {"estimate: {block_size: 0}\n", "estimate.block_size"},
        {"estimate: {batch_size: 0}\n", "estimate.batch_size"},
        {"estimate: {batch_size: 65537}\n", "estimate.batch_size"},
        {"estimate: {min_passes: 5, max_passes: 2}\n", "estimate.min_passes"},
        {"estimate: {gpu: {task_amount: 0.3}}\n", "estimate.gpu.task_amount"},
        {"estimate: {gpu: {task_amount: 2}}\n", "estimate.gpu.task_amount"},
        {"estimate: {gpu: {on_local_master: hang}}\n", "estimate.gpu.on_local_master"},
        {"estimate: {gpu: {enable: true}}\n", "estimate.gpu.enable"},
        {"estimate: {max_pases: 3}\n", "estimate.max_passes"},
    };
    for (String[] test : cases) {
      ConfigException error = assertThrows(ConfigException.class, () -> parse(test[0]), test[0]);
      assertTrue(error.getMessage().contains(test[1]), test[0] + " -> " + error.getMessage());
    }
  }

  @Test
  void effectiveYamlListsEstimateSection() {
    String yaml = parse("estimate: {max_passes: 3}\n").effectiveYaml();

    assertTrue(yaml.contains("estimate:"), yaml);
    assertTrue(yaml.contains("max_passes: 3"), yaml);
    assertTrue(yaml.contains("partitions: auto"), yaml);
    assertTrue(yaml.contains("on_local_master: cpu"), yaml);
    assertEquals(yaml, JobConfigLoader.parse(yaml, List.of()).effectiveYaml(),
        "the effective YAML reads back to itself");
  }
}
