package io.shaver.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaver.config.JobConfig;
import io.shaver.config.JobConfigLoader;
import io.shaver.output.AtomicDirectory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineTest {

  /** A stage that writes one output directory with a file naming its run count. */
  private static final class CountingStage implements Stage {
    private final String name;
    private final List<String> sections;
    private final List<String> upstream;
    private final List<String> runs;
    private boolean fail;

    CountingStage(String name, List<String> sections, List<String> upstream, List<String> runs) {
      this.name = name;
      this.sections = sections;
      this.upstream = upstream;
      this.runs = runs;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public List<String> configSections() {
      return sections;
    }

    @Override
    public List<String> upstream() {
      return upstream;
    }

    @Override
    public List<String> outputs() {
      return List.of(name);
    }

    @Override
    public void run(StageContext context) throws Exception {
      runs.add(name);
      if (fail) {
        throw new IllegalStateException("disk full");
      }
      org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(context.layout().root(),
          name);
      try (AtomicDirectory directory = AtomicDirectory.begin(target, new Configuration())) {
        Files.writeString(Path.of(directory.staging().toUri()).resolve("data.txt"),
            name + " made from seed " + context.config().seed(), StandardCharsets.UTF_8);
        directory.commit();
      }
    }
  }

  private static JobConfig config(Path output, String... overrides) {
    List<String> all = new ArrayList<>(List.of(overrides));
    return JobConfigLoader.parse("output: " + output + "\ndata:\n  path: in.txt\n", all);
  }

  private static StageContext context(JobConfig config) {
    return new StageContext(config, () -> {
      throw new AssertionError("these stages need no Spark");
    }, false);
  }

  private static List<Stage> chain(List<String> runs) {
    return List.of(
        new CountingStage("prepare", List.of("seed", "data"), List.of(), runs),
        new CountingStage("train", List.of("seed"), List.of("prepare"), runs),
        new CountingStage("report", List.of(), List.of("train"), runs));
  }

  @Test
  void rerunSkipsEveryStage(@TempDir Path directory) throws Exception {
    List<String> runs = new ArrayList<>();
    Pipeline pipeline = new Pipeline(chain(runs));
    pipeline.run(context(config(directory)), false, new Configuration());
    byte[] runJson = Files.readAllBytes(directory.resolve("run.json"));
    byte[] data = Files.readAllBytes(directory.resolve("train/data.txt"));

    List<Pipeline.StageOutcome> second =
        pipeline.run(context(config(directory)), false, new Configuration());

    assertEquals(List.of("prepare", "train", "report"), runs);
    assertTrue(second.stream().allMatch(Pipeline.StageOutcome::skipped));
    assertArrayEquals(runJson, Files.readAllBytes(directory.resolve("run.json")));
    assertArrayEquals(data, Files.readAllBytes(directory.resolve("train/data.txt")));
  }

  @Test
  void changedSectionRerunsDependents(@TempDir Path directory) {
    List<String> runs = new ArrayList<>();
    Pipeline pipeline = new Pipeline(chain(runs));
    pipeline.run(context(config(directory)), false, new Configuration());
    runs.clear();

    pipeline.run(context(config(directory, "data.min_count=3")), false, new Configuration());

    assertEquals(List.of("prepare", "train", "report"), runs,
        "a data setting changes prepare, and train and report read its outputs");
  }

  @Test
  void unrelatedChangeSkipsStage(@TempDir Path directory) {
    List<String> runs = new ArrayList<>();
    List<Stage> stages = List.of(
        new CountingStage("prepare", List.of("data"), List.of(), runs),
        new CountingStage("train", List.of("seed"), List.of("prepare"), runs));
    Pipeline pipeline = new Pipeline(stages);
    pipeline.run(context(config(directory)), false, new Configuration());
    runs.clear();

    pipeline.run(context(config(directory, "seed=99")), false, new Configuration());

    assertEquals(List.of("train"), runs);
  }

  @Test
  void forceRerunsEveryStage(@TempDir Path directory) {
    List<String> runs = new ArrayList<>();
    Pipeline pipeline = new Pipeline(chain(runs));
    pipeline.run(context(config(directory)), false, new Configuration());
    runs.clear();

    pipeline.run(context(config(directory)), true, new Configuration());

    assertEquals(List.of("prepare", "train", "report"), runs);
  }

  @Test
  void incompleteOutputReruns(@TempDir Path directory) throws Exception {
    List<String> runs = new ArrayList<>();
    Pipeline pipeline = new Pipeline(chain(runs));
    pipeline.run(context(config(directory)), false, new Configuration());
    Files.delete(directory.resolve("train").resolve(AtomicDirectory.SUCCESS_MARKER));
    runs.clear();

    pipeline.run(context(config(directory)), false, new Configuration());

    assertEquals(List.of("train", "report"), runs);
  }

  @Test
  void failureNamesStageAndStops(@TempDir Path directory) {
    List<String> runs = new ArrayList<>();
    List<Stage> stages = chain(runs);
    ((CountingStage) stages.get(1)).fail = true;
    Pipeline pipeline = new Pipeline(stages);

    StageException e = assertThrows(StageException.class,
        () -> pipeline.run(context(config(directory)), false, new Configuration()));

    assertEquals("train", e.stage());
    assertTrue(e.getMessage().contains("disk full"), e.getMessage());
    assertEquals(List.of("prepare", "train"), runs);
    assertFalse(Files.exists(directory.resolve("train")));
    assertFalse(Files.exists(directory.resolve("run.json")));
  }

  @Test
  void runJsonRecordsStagesAndSeed(@TempDir Path directory) throws Exception {
    new Pipeline(chain(new ArrayList<>())).run(context(config(directory, "seed=5")), false,
        new Configuration());

    String runJson = Files.readString(directory.resolve("run.json"));

    assertTrue(runJson.contains("\"seed\" : 5"), runJson);
    assertTrue(runJson.contains("\"stage\" : \"prepare\""), runJson);
    assertTrue(runJson.contains("\"git_commit\""), runJson);
    assertTrue(runJson.contains("\"spark_version\" : \"4.2.0\""), runJson);
  }
}
