package io.shaver.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.shaver.ShaverVersion;
import io.shaver.output.AtomicDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs stages in order and skips each one whose outputs are complete and whose fingerprint
 * (config sections, upstream fingerprints, version) matches the one recorded when it last ran.
 *
 * <p>A changed setting therefore reruns exactly the stages that read it and the stages
 * downstream of them; a stage also reruns when a stage it reads from ran in this invocation. {@code force} reruns every stage. After a run that ran at least one
 * stage, {@code run.json} records the config, versions, git commit, seed and time per stage;
 * when every stage is skipped, nothing is rewritten, so outputs stay byte-identical.
 */
public final class Pipeline {

  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  private final List<Stage> stages;

  public Pipeline(List<Stage> stages) {
    this.stages = List.copyOf(stages);
  }

  /** Outcome of one stage in a run. */
  public record StageOutcome(String stage, boolean skipped, double seconds, String fingerprint) {
  }

  /**
   * Runs or skips every stage in order.
   *
   * @throws StageException naming the stage that failed; later stages do not run
   */
  public List<StageOutcome> run(StageContext context, boolean force, Configuration hadoopConf) {
    RunLayout layout = context.layout();
    Map<String, String> fingerprints = new HashMap<>();
    List<StageOutcome> outcomes = new ArrayList<>();
    Set<String> ran = new HashSet<>();
    for (Stage stage : stages) {
      String fingerprint = StageFingerprint.of(stage, context.config(), fingerprints);
      fingerprints.put(stage.name(), fingerprint);
      StageRecord previous = readRecord(layout, stage.name(), hadoopConf);

      boolean upstreamRan = stage.upstream().stream().anyMatch(ran::contains);
      if (!force && !upstreamRan && previous != null
          && previous.fingerprint().equals(fingerprint)
          && outputsComplete(layout, stage, hadoopConf)) {
        LOG.info("Skipping stage '{}': its outputs are complete and were made with the same"
            + " configuration (fingerprint {}); pass --force to redo it.", stage.name(),
            fingerprint.substring(0, 12));
        outcomes.add(new StageOutcome(stage.name(), true, previous.seconds(), fingerprint));
        continue;
      }

      LOG.info("Starting stage '{}'", stage.name());
      long start = System.nanoTime();
      try {
        stage.run(context);
      } catch (Exception e) {
        throw new StageException(stage.name(), e);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      LOG.info("Finished stage '{}' in {} s", stage.name(), String.format("%.1f", seconds));
      writeRecord(layout, new StageRecord(stage.name(), fingerprint, seconds), hadoopConf);
      ran.add(stage.name());
      outcomes.add(new StageOutcome(stage.name(), false, seconds, fingerprint));
    }
    if (outcomes.stream().anyMatch(outcome -> !outcome.skipped())) {
      writeRunJson(context, outcomes, hadoopConf);
    } else {
      LOG.info("Every stage was skipped; {} is unchanged.", layout.runJson());
    }
    return outcomes;
  }

  static boolean outputsComplete(RunLayout layout, Stage stage, Configuration hadoopConf) {
    try {
      FileSystem fileSystem = layout.root().getFileSystem(hadoopConf);
      for (String output : stage.outputs()) {
        Path path = new Path(layout.root(), output);
        if (!fileSystem.exists(path)) {
          return false;
        }
        if (fileSystem.getFileStatus(path).isDirectory()
            && !AtomicDirectory.isComplete(path, hadoopConf)) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot check the outputs of stage '" + stage.name()
          + "' under " + layout.root() + ": " + e.getMessage(), e);
    }
  }

  private static StageRecord readRecord(RunLayout layout, String stage, Configuration conf) {
    Path path = new Path(layout.stageRecords(), stage + ".json");
    try {
      FileSystem fileSystem = path.getFileSystem(conf);
      if (!fileSystem.exists(path)) {
        return null;
      }
      try (InputStream in = fileSystem.open(path)) {
        return JSON.readValue(in, StageRecord.class);
      }
    } catch (IOException e) {
      LOG.warn("Ignoring unreadable stage record {}: {}", path, e.toString());
      return null;
    }
  }

  private static void writeRecord(RunLayout layout, StageRecord record, Configuration conf) {
    writeJsonAtomically(new Path(layout.stageRecords(), record.stage() + ".json"), record, conf);
  }

  private static void writeRunJson(StageContext context, List<StageOutcome> outcomes,
      Configuration conf) {
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("version", ShaverVersion.version());
    run.put("spark_version", ShaverVersion.sparkVersion());
    run.put("nd4j_version", ShaverVersion.nd4jVersion());
    run.put("java_version", System.getProperty("java.version"));
    run.put("git_commit", ShaverVersion.gitCommit());
    run.put("seed", context.config().seed());
    run.put("config", context.config().effectiveYaml());
    List<Map<String, Object>> stageTimes = new ArrayList<>();
    for (StageOutcome outcome : outcomes) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("stage", outcome.stage());
      entry.put("skipped", outcome.skipped());
      entry.put("seconds", Math.round(outcome.seconds() * 10) / 10.0);
      entry.put("fingerprint", outcome.fingerprint());
      stageTimes.add(entry);
    }
    run.put("stages", stageTimes);
    writeJsonAtomically(context.layout().runJson(), run, conf);
  }

  /** Writes a JSON file through a temporary sibling and a rename. */
  static void writeJsonAtomically(Path path, Object value, Configuration conf) {
    try {
      FileSystem fileSystem = path.getFileSystem(conf);
      fileSystem.mkdirs(path.getParent());
      Path temporary = new Path(path.getParent(), "." + path.getName() + ".tmp");
      try (OutputStream out = fileSystem.create(temporary, true)) {
        JSON.writeValue(out, value);
      }
      fileSystem.delete(path, false);
      if (!fileSystem.rename(temporary, path)) {
        throw new IOException("rename to " + path + " returned false");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to write " + path + ": " + e.getMessage(), e);
    }
  }
}
