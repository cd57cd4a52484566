package io.shaver.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobConfigLoaderTest {

  private static final String MINIMAL = """
      output: runs/test
      data:
        format: criteo
        path: data/train.txt
      """;

  @Test
  void defaultsFilledIn() {
    JobConfig config = JobConfigLoader.parse(MINIMAL, List.of());

    assertEquals("runs/test", config.output());
    assertEquals(JobConfig.DEFAULT_SEED, config.seed());
    assertEquals(SourceFormat.CRITEO, config.data().format());
    assertEquals(10, config.data().minCount());
    assertEquals(SplitRatios.DEFAULT, config.data().split());
    assertEquals(DataSettings.DEFAULT_ERROR_BUDGET, config.data().errorBudget());
  }

  @Test
  void minCountDefaultFollowsFormat() {
    JobConfig config = JobConfigLoader.parse(MINIMAL, List.of("data.format=avazu"));

    assertEquals(2, config.data().minCount());
  }

  @Test
  void overrideSetsNumbersAndLists() {
    JobConfig config = JobConfigLoader.parse(MINIMAL,
        List.of("data.min_count=5", "data.path=[a.txt, b.txt]", "seed=7"));

    assertEquals(5, config.data().minCount());
    assertEquals(List.of("a.txt", "b.txt"), config.data().paths());
    assertEquals(7, config.seed());
  }

  @Test
  void unknownKeyNamedWithSuggestion() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> JobConfigLoader.parse(MINIMAL, List.of("data.min_cont=5")));

    assertTrue(e.getMessage().contains("'data.min_cont'"), e.getMessage());
    assertTrue(e.getMessage().contains("did you mean 'data.min_count'"), e.getMessage());
  }

  @Test
  void unknownTopLevelSectionRejected() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> JobConfigLoader.parse(MINIMAL + "colour: blue\n", List.of()));

    assertTrue(e.getMessage().contains("'colour'"), e.getMessage());
  }

  @Test
  void wrongTypeNamesKeyAndValue() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> JobConfigLoader.parse(MINIMAL, List.of("data.min_count=ten")));

    assertTrue(e.getMessage().contains("'data.min_count'"), e.getMessage());
    assertTrue(e.getMessage().contains("'ten'"), e.getMessage());
    assertTrue(e.getMessage().contains("whole number"), e.getMessage());
  }

  @Test
  void outOfRangeNamesKeyValueAndRule() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> JobConfigLoader.parse(MINIMAL, List.of("data.error_budget=1.5")));

    assertTrue(e.getMessage().contains("'data.error_budget' = 1.5"), e.getMessage());
    assertTrue(e.getMessage().contains("[0, 1)"), e.getMessage());
  }

  @Test
  void splitMustSumToOne() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> JobConfigLoader.parse(MINIMAL, List.of("data.split.train=0.9")));

    assertTrue(e.getMessage().contains("data.split"), e.getMessage());
    assertTrue(e.getMessage().contains("sum to 1"), e.getMessage());
  }

  @Test
  void unknownFormatListsAcceptedNames() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> JobConfigLoader.parse(MINIMAL, List.of("data.format=tsv")));

    assertTrue(e.getMessage().contains("'data.format' = tsv"), e.getMessage());
    assertTrue(e.getMessage().contains("criteo, avazu, kdd2012"), e.getMessage());
  }

  @Test
  void malformedOverrideRejected() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> JobConfigLoader.parse(MINIMAL, List.of("data.min_count")));

    assertTrue(e.getMessage().contains("expected key=value"), e.getMessage());
  }

  @Test
  void missingFileNamed(@TempDir Path directory) {
    Path missing = directory.resolve("nope.yaml");

    ConfigException e = assertThrows(ConfigException.class,
        () -> JobConfigLoader.load(missing, List.of(), null));

    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }

  @Test
  void outputOptionReplacesConfigured(@TempDir Path directory) throws Exception {
    Path file = directory.resolve("job.yaml");
    Files.writeString(file, MINIMAL);

    JobConfig config = JobConfigLoader.load(file, List.of(), "elsewhere");

    assertEquals("elsewhere", config.output());
  }

  @Test
  void invalidOverrideNamedInMessage(@TempDir Path directory) throws Exception {
    Path file = directory.resolve("job.yaml");
    Files.writeString(file, MINIMAL);

    ConfigException error = assertThrows(ConfigException.class,
        () -> JobConfigLoader.load(file, List.of("seed=3", "compress.sparsity=[1.5]"), null));

    assertTrue(error.getMessage().startsWith("Invalid job config " + file
        + " with --set seed=3 --set compress.sparsity=[1.5]: "), error.getMessage());
    assertTrue(error.getMessage().contains("compress.sparsity"), error.getMessage());
  }

  @Test
  void invalidYamlNamesLine(@TempDir Path directory) throws Exception {
    Path file = directory.resolve("job.yaml");
    Files.writeString(file, "output: x\ndata: [unclosed\n");

    ConfigException e = assertThrows(ConfigException.class,
        () -> JobConfigLoader.load(file, List.of(), null));

    assertTrue(e.getMessage().contains("line"), e.getMessage());
  }

  @Test
  void effectiveYamlStableAndComplete() {
    JobConfig first = JobConfigLoader.parse(MINIMAL, List.of());
    JobConfig second = JobConfigLoader.parse(
        "data:\n  path: data/train.txt\n  format: criteo\noutput: runs/test\n", List.of());

    assertEquals(first.effectiveYaml(), second.effectiveYaml());
    assertTrue(first.effectiveYaml().contains("min_count: 10"), first.effectiveYaml());
  }

  @Test
  void modelSectionDefaultsAndOverrides() {
    JobConfig defaults = JobConfigLoader.parse(MINIMAL, List.of());
    JobConfig custom = JobConfigLoader.parse(MINIMAL,
        List.of("model.kind=dcn_mix", "model.hidden=[64,32]", "model.batch_norm=false"));

    assertEquals(io.shaver.model.ModelKind.DEEPFM, defaults.model().kind());
    assertEquals(List.of(400, 400, 400), defaults.model().hiddenSizes());
    assertEquals(io.shaver.model.ModelKind.DCN_MIX, custom.model().kind());
    assertEquals(List.of(64, 32), custom.model().hiddenSizes());
    assertEquals(false, custom.model().batchNorm());
    assertTrue(custom.model().path().isEmpty());
  }

  @Test
  void embeddingL2BindsAndValidates() {
    JobConfig defaults = JobConfigLoader.parse(MINIMAL, List.of());
    JobConfig custom = JobConfigLoader.parse(MINIMAL, List.of("train.embedding_l2=0.01"));

    assertEquals(0.0, defaults.train().embeddingL2());
    assertEquals(0.01, custom.train().embeddingL2());
    assertTrue(custom.effectiveYaml().contains("embedding_l2: 0.01"), custom.effectiveYaml());

    ConfigException e = assertThrows(ConfigException.class,
        () -> JobConfigLoader.parse(MINIMAL, List.of("train.embedding_l2=-1")));
    assertTrue(e.getMessage().contains("train.embedding_l2"), e.getMessage());
    assertTrue(e.getMessage().contains("-1"), e.getMessage());
  }

  @Test
  void unknownModelKindNamesValue() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> JobConfigLoader.parse(MINIMAL, List.of("model.kind=wide_deep")));

    assertTrue(e.getMessage().contains("'model.kind' = wide_deep"), e.getMessage());
    assertTrue(e.getMessage().contains("deepfm"), e.getMessage());
  }

  @Test
  void zeroHiddenSizeRejected() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> JobConfigLoader.parse(MINIMAL, List.of("model.hidden=[16,0]")));

    assertTrue(e.getMessage().contains("'model.hidden'"), e.getMessage());
  }
}
