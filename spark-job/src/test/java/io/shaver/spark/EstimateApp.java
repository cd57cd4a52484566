package io.shaver.spark;

import io.shaver.config.JobConfig;
import io.shaver.config.JobConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * Spark application for the standalone cluster tests and the scaling benchmark. It runs the
 * estimate stage with a model source read from a Java-serialized file, so a test can ship a
 * test model as well as a stored one. It writes the application id on the first line of the
 * task file, then one line per walk task: "pass partition attempt executor device backend
 * samples seconds".
 *
 * <p>Arguments: config file, model source file, {@code fresh} or {@code resume}, task file.
 */
public final class EstimateApp {

  private EstimateApp() {
  }

  public static void main(String[] args) throws Exception {
    JobConfig config = JobConfigLoader.load(Path.of(args[0]), List.of(), null);
    ModelSource model = readModel(Path.of(args[1]));
    boolean resume = args[2].equals("resume");
    Path tasks = Path.of(args[3]);

    SparkSession spark = SparkSession.builder().appName("shaver estimate (test)").getOrCreate();
    try {
      EstimateResult result =
          new EstimateStage(spark, config, model, resume, Duration.ofSeconds(2)).run();
      List<String> lines = new ArrayList<>();
      lines.add("application " + spark.sparkContext().applicationId());
      for (int pass = 0; pass < result.passReports().size(); pass++) {
        for (TaskSummary task : result.passReports().get(pass)) {
          lines.add((pass + 1) + " " + task.partition() + " " + task.attempt() + " "
              + task.executor() + " " + task.device() + " " + task.backend().replace(' ', '_')
              + " " + task.samples() + " " + task.seconds());
        }
      }
      Files.write(tasks, lines, StandardCharsets.UTF_8);
    } finally {
      spark.stop();
    }
  }

  /** Writes a model source for {@link #main} to read. */
  static void writeModel(ModelSource model, Path file) throws IOException {
    try (OutputStream bytes = Files.newOutputStream(file);
        ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(model);
    }
  }

  private static ModelSource readModel(Path file) throws IOException, ClassNotFoundException {
    try (InputStream bytes = Files.newInputStream(file);
        ObjectInputStream in = new ObjectInputStream(bytes)) {
      return (ModelSource) in.readObject();
    }
  }
}
