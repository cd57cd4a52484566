package io.shaver.report;

import io.shaver.config.JobConfig;
import io.shaver.evaluate.FieldShareTable;
import io.shaver.evaluate.FieldShareRow;
import io.shaver.evaluate.MetricsRow;
import io.shaver.evaluate.MetricsTable;
import io.shaver.model.ModelConfig;
import io.shaver.output.AtomicDirectory;
import io.shaver.pipeline.RunLayout;
import io.shaver.pipeline.Stage;
import io.shaver.pipeline.StageContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The report stage: writes {@code report/summary.json}, {@code report/report.html} and its PNG
 * plots, published together through {@link AtomicDirectory}.
 *
 * <p>Reads {@code metrics/} and {@code pruned-by-field/} (evaluate), {@code shapley/} and
 * {@code _stages/estimate.json} (estimate), and {@code model.json} from the model directory.
 * Without a complete {@code shapley/}, the estimation fields are null and the phi plot is left
 * out.
 */
public final class ReportStage implements Stage {

  public static final String NAME = "report";
  public static final String SUMMARY_FILE = "summary.json";
  public static final String HTML_FILE = "report.html";

  private static final Logger LOG = LoggerFactory.getLogger(ReportStage.class);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> configSections() {
    return List.of("seed", "data", "model");
  }

  @Override
  public List<String> upstream() {
    return List.of("train", "estimate", "evaluate");
  }

  @Override
  public List<String> outputs() {
    return List.of("report");
  }

  @Override
  public void run(StageContext context) throws IOException {
    long start = System.nanoTime();
    JobConfig config = context.config();
    RunLayout layout = context.layout();
    SparkSession spark = context.spark();
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();

    ModelConfig model = readModelConfig(modelDirectory(config, layout), hadoopConf);
    List<MetricsRow> metrics = MetricsTable.read(spark, layout.metrics());
    List<FieldShareRow> shares = AtomicDirectory.isComplete(layout.prunedByField(), hadoopConf)
        ? FieldShareTable.read(spark, layout.prunedByField())
        : List.of();
    EstimationInfo estimation = EstimationInfo.read(layout.shapley(),
        new Path(layout.stageRecords(), "estimate.json"), hadoopConf);
    FieldPhiSample phi = AtomicDirectory.isComplete(layout.shapley(), hadoopConf)
        ? FieldPhiSample.read(spark, layout.shapley(), model, FieldPhiSample.DEFAULT_SAMPLE_SIZE,
            config.seed())
        : null;

    RunSummary summary = RunSummary.of(runId(layout), config.data(), model, estimation,
        metrics);
    List<ReportPlot> plots = ReportCharts.draw(metrics, shares, phi);
    String html = ReportHtml.render(summary, metrics, plots);
    publish(layout.report(), summary, html, plots, hadoopConf);
    LOG.info("Wrote {} with {} metrics rows and {} plots in {} s", layout.report(),
        metrics.size(), plots.size(),
        String.format("%.1f", (System.nanoTime() - start) / 1e9));
  }

  /** Returns the run id: the name of the run's output directory. */
  static String runId(RunLayout layout) {
    return layout.root().getName();
  }

  private static Path modelDirectory(JobConfig config, RunLayout layout) {
    return config.model().path().map(Path::new).orElse(layout.model());
  }

  private static ModelConfig readModelConfig(Path modelDirectory, Configuration hadoopConf)
      throws IOException {
    Path file = new Path(modelDirectory, ModelConfig.FILE_NAME);
    FileSystem fileSystem = file.getFileSystem(hadoopConf);
    try (InputStream in = fileSystem.open(file)) {
      return ModelConfig.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static void publish(Path target, RunSummary summary, String html,
      List<ReportPlot> plots, Configuration hadoopConf) throws IOException {
    try (AtomicDirectory directory = AtomicDirectory.begin(target, hadoopConf)) {
      write(directory, SUMMARY_FILE, summary.toJson());
      write(directory, HTML_FILE, html.getBytes(StandardCharsets.UTF_8));
      for (ReportPlot plot : plots) {
        write(directory, plot.fileName(), plot.png());
      }
      directory.commit();
    }
  }

  private static void write(AtomicDirectory directory, String name, byte[] bytes)
      throws IOException {
    try (OutputStream out = directory.fileSystem().create(new Path(directory.staging(), name),
        false)) {
      out.write(bytes);
    }
  }
}
