package io.shaver.spark;

import io.shaver.config.EstimateSettings;
import io.shaver.config.JobConfig;
import io.shaver.model.CtrModel;
import io.shaver.model.ModelConfig;
import io.shaver.output.Provenance;
import io.shaver.shapley.Codebook;
import io.shaver.shapley.EstimatorSettings;
import io.shaver.shapley.Placeholder;
import io.shaver.shapley.PlaceholderKind;
import io.shaver.shapley.TableLayout;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The estimate stage of Shaver (Tran et al., "On-device Content-based Recommendation with
 * Single-shot Embedding Pruning: A Cooperative Game Perspective", WWW 2025) on Spark: Shapley
 * values of every embedding parameter by permutation sampling, with the walks of each pass
 * spread over the executors.
 *
 * <p>Reads {@code prepared/} and the model, computes the field-aware codebook from the
 * vocabulary counts (train and validation), and runs whole passes ({@link EstimationPass})
 * until the convergence rule is met after at least {@code min_passes}, or {@code max_passes}.
 * Writes {@code checkpoints/pass-N/} after each pass, then {@code codebook/} and
 * {@code shapley/}. The data is partitioned across executors; the model and the placeholder
 * travel by broadcast.
 *
 * <p>Guarantees: phi depends on the seed, the data, the model and the number of passes only.
 * Each sample's permutation is keyed by (seed, pass, row key), walk batches are cut from the
 * rows in row-key order ({@link EstimationSamples}) and sums are compensated, so the same seed
 * and batch size give the same phi up to the order of double additions (the tests check 1e-9
 * relative) for any partition count, executor count and task retry, and a run resumed from
 * checkpoint pass-N ends with the same phi as an uninterrupted one.
 *
 * <p>Memory at the scale of KDD Cup 2012 (about 6 million table rows, d = 16, so n * d = 96
 * million parameters): a dense accumulator for the whole table would take 32 bytes per
 * parameter, about 3.1 GB, which no task of a 4 GB executor can hold. Here a walk task
 * accumulates only the parameters its partition touches, at about 80 bytes each: a partition
 * of 50,000 samples with 11 fields touches at most 50,000 * 11 * 16 = 8.8 million parameters,
 * about 0.7 GB, and roughly twice that while it is cut into blocks at the end of the task.
 * Smaller partitions (estimate.partitions) lower that bound linearly. The aggregated totals
 * are spread over the aggregation partitions in blocks of {@code block_size} parameters
 * (at most 32 bytes per parameter each, 3.1 GB over the whole cluster for the full table), and
 * the driver keeps only the vocabulary counts (8 bytes per row, 48 MB) and the model.
 */
public final class EstimateStage {

  private static final Logger LOG = LoggerFactory.getLogger(EstimateStage.class);

  private final SparkSession spark;
  private final JobConfig config;
  private final ModelSource modelSource;
  private final boolean resume;
  private final Duration progressInterval;
  private boolean restartIncompatible;
  private boolean zeroBaseline;

  /**
   * Creates the stage.
   *
   * @param resume continue from the latest complete checkpoint instead of starting over
   * @param progressInterval time between progress lines during a pass
   */
  public EstimateStage(SparkSession spark, JobConfig config, ModelSource modelSource,
      boolean resume, Duration progressInterval) {
    this.spark = Objects.requireNonNull(spark, "spark");
    this.config = Objects.requireNonNull(config, "config");
    this.modelSource = Objects.requireNonNull(modelSource, "modelSource");
    this.resume = resume;
    this.progressInterval = Objects.requireNonNull(progressInterval, "progressInterval");
  }

  /** Creates the stage with the default progress interval. */
  public EstimateStage(SparkSession spark, JobConfig config, ModelSource modelSource,
      boolean resume) {
    this(spark, config, modelSource, resume, PassProgress.DEFAULT_INTERVAL);
  }

  /**
   * Makes a resumed run start over, with a warning, when the latest checkpoint was written with
   * other settings, instead of failing. {@code run} uses this: it resumes what it can and
   * recomputes what a changed setting made stale.
   */
  public EstimateStage restartingIncompatibleCheckpoints() {
    this.restartIncompatible = true;
    return this;
  }

  /**
   * Makes this run the zero-placeholder baseline: phi estimated with zero placeholders,
   * whatever {@code estimate.placeholder} sets, written to {@code shapley-zero/} with its own
   * checkpoints under {@code checkpoints-zero/}; no codebook is written.
   */
  public EstimateStage zeroBaseline() {
    this.zeroBaseline = true;
    return this;
  }

  /** Returns the model directory of a run, {@code model/}. */
  public static Path modelDirectory(String run) {
    return new Path(run, "model");
  }

  /**
   * Runs the stage.
   *
   * @throws IllegalStateException on missing or inconsistent inputs, a checkpoint that does
   *     not match the settings, or a GPU request that cannot be scheduled
   */
  public EstimateResult run() {
    long started = System.nanoTime();
    EstimateSettings settings = config.estimate();
    long seed = config.seed();
    EstimatorSettings rule = settings.toEstimatorSettings(seed);
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Path run = new Path(config.output());

    context.setJobDescription("estimate: read prepared fields and vocabulary");
    PreparedData prepared = PreparedData.open(spark, run);
    CtrModel model = modelSource.open();
    TableLayout layout = prepared.layout(dimensionOf(model, prepared));
    Codebook codebook = Codebook.compute(layout, model.embeddingTable(), prepared.counts());
    PlaceholderKind placeholderKind = zeroBaseline ? PlaceholderKind.ZERO : settings.placeholder();
    Placeholder placeholder = Placeholder.of(placeholderKind, layout, codebook);
    Optional<ResourceProfile> profile =
        GpuScheduling.walkProfile(spark.sparkContext(), settings.gpu());
    LOG.info("Estimating Shapley values of {} parameters ({} rows x {} dimensions, {} fields)"
        + " with model {}, placeholder {}, seed {}, {}", layout.parameters(), layout.rows(),
        layout.dimension(), layout.fields(), modelSource.describe(), placeholder.kind(), seed,
        settings);

    String compatibility = compatibility(settings, seed, layout)
        + ", placeholder_used=" + placeholderKind;
    Checkpoints checkpoints = zeroBaseline
        ? new Checkpoints(spark, run, "checkpoints-zero")
        : new Checkpoints(spark, run);
    PassState state = startState(checkpoints, compatibility, layout, settings);
    Provenance provenance = Provenance.of("estimate", config.effectiveYaml(), seed)
        .with("settings", settings)
        .with("placeholder", placeholder.kind().name().toLowerCase(java.util.Locale.ROOT))
        .with("model", modelSource.fingerprint());

    if (state.finished(rule)) {
      LOG.info("Checkpoint pass-{} already meets the stopping rule; writing the outputs",
          state.passes());
      return writeOutputs(state, rule, layout, prepared, codebook, checkpoints, provenance,
          List.of(), started);
    }
    Broadcast<ModelSource> broadcast = context.broadcast(modelSource);
    context.setJobDescription("estimate: sort the estimation rows by row key into batches");
    JavaRDD<SampleBlock> samples = EstimationSamples.build(prepared.splits(settings.data()),
        layout, new RowSampler(seed, settings.sampleFraction()), settings.partitions(),
        settings.batchSize());
    try {
      context.setJobDescription("estimate: count the estimation rows");
      long expectedRows = Math.round(prepared.splits(settings.data()).count()
          * settings.sampleFraction());
      EstimationPass pass = new EstimationPass(context, samples,
          WalkPlan.of(layout, placeholder, seed, settings), broadcast, profile, checkpoints,
          rule, layout.parameters(), compatibility, provenance, expectedRows, progressInterval);
      while (!state.finished(rule)) {
        state = pass.run(state);
      }
      return writeOutputs(state, rule, layout, prepared, codebook, checkpoints, provenance,
          pass.reports(), started);
    } finally {
      samples.unpersist(false);
      broadcast.destroy();
      context.clearJobGroup();
    }
  }

  private PassState startState(Checkpoints checkpoints, String compatibility, TableLayout layout,
      EstimateSettings settings) {
    if (!resume) {
      checkpoints.reset();
      return PassState.initial();
    }
    Optional<CheckpointInfo> latest = checkpoints.latest();
    if (latest.isEmpty()) {
      LOG.info("No complete checkpoint under {}; starting from pass 1", checkpoints.path(0)
          .getParent());
      return PassState.initial();
    }
    CheckpointInfo info = latest.get();
    if (!info.compatibility().equals(compatibility) && restartIncompatible) {
      LOG.warn("Checkpoint {} was written with other settings ({}); starting over from pass 1",
          checkpoints.path(info.pass()), info.compatibility());
      checkpoints.reset();
      return PassState.initial();
    }
    if (!info.compatibility().equals(compatibility)) {
      throw new IllegalStateException("Checkpoint " + checkpoints.path(info.pass())
          + " was written with other settings and cannot be resumed: it has {"
          + info.compatibility() + "}, this run has {" + compatibility + "}. Run without"
          + " --resume to start over.");
    }
    spark.sparkContext().setJobDescription("estimate: read checkpoint pass-" + info.pass());
    var totals = checkpoints.readBlocks(info.pass(), layout.parameters(), settings.blockSize())
        .reduceByKey(PassRecord::absorb);
    int blocks = ParameterBlock.blockCount(layout.parameters(), settings.blockSize());
    PassState state = new PassState(info.pass(), info.samples(), info.evaluations(),
        info.rowsPerPass(), null, EstimationPass.convergence(totals, info.samples(), blocks));
    LOG.info("Resuming from checkpoint {}: {} passes, {} samples, {} evaluations, convergence"
        + " ratio {}", checkpoints.path(info.pass()), info.pass(), info.samples(),
        info.evaluations(), String.format("%.4g", state.convergence().ratio()));
    return state;
  }

  private EstimateResult writeOutputs(PassState state, EstimatorSettings rule,
      TableLayout layout, PreparedData prepared, Codebook codebook, Checkpoints checkpoints,
      Provenance provenance, List<List<TaskSummary>> reports, long started) {
    boolean converged = state.converged(rule);
    Provenance results = provenance
        .with("passes", state.passes())
        .with("samples", state.samples())
        .with("evaluations", state.evaluations())
        .with("convergence_ratio", state.convergence().ratio())
        .with("converged", converged)
        .with("parameters", layout.parameters())
        .with("dimension", layout.dimension());
    Path run = new Path(config.output());
    Path codebookPath = new Path(run, ShapleyOutputs.CODEBOOK);
    if (!zeroBaseline) {
      spark.sparkContext().setJobDescription("estimate: write codebook");
      codebookPath = ShapleyOutputs.writeCodebook(spark, run, codebook,
          prepared.fieldNames(), results);
    }
    spark.sparkContext().setJobDescription("estimate: write shapley");
    Path shapley = ShapleyOutputs.writeShapleyTo(spark,
        new Path(run, zeroBaseline ? "shapley-zero" : ShapleyOutputs.SHAPLEY),
        checkpoints.path(state.passes()), state.samples(), layout, prepared.fieldNames(),
        prepared.tokens(), results);
    if (!converged) {
      LOG.warn("The estimate did not converge: convergence ratio {} after {} passes is above"
          + " estimate.threshold {}. For steadier phi, raise estimate.max_passes and run"
          + " estimate --resume, which continues from the last pass.",
          String.format("%.4g", state.convergence().ratio()), state.passes(),
          config.estimate().threshold());
    }
    LOG.info("Estimation {} after {} passes in {}: {} samples, {} evaluations, convergence"
        + " ratio {}", converged ? "converged" : "stopped at the pass limit", state.passes(),
        Durations.format((System.nanoTime() - started) / 1e9), state.samples(),
        state.evaluations(), String.format("%.4g", state.convergence().ratio()));
    return new EstimateResult(state.passes(), state.samples(), state.evaluations(),
        state.convergence().ratio(), converged, reports, shapley.toString(),
        codebookPath.toString());
  }

  /**
   * Returns the settings a checkpoint must share with a run that resumes it: everything that
   * changes which walks are made or what they credit, including the batch size, which changes
   * the float rounding of the model's forward passes. Thresholds, pass limits, partitions,
   * block size and GPU use do not change phi and may differ.
   */
  private String compatibility(EstimateSettings settings, long seed, TableLayout layout) {
    return "seed=" + seed
        + ", placeholder=" + settings.placeholder()
        + ", data=" + settings.data().configName()
        + ", sample_fraction=" + settings.sampleFraction()
        + ", antithetic=" + settings.antithetic()
        + ", batch_size=" + settings.batchSize()
        + ", parameters=" + layout.parameters()
        + ", dimension=" + layout.dimension()
        + ", model=" + modelSource.fingerprint();
  }

  /**
   * Returns the model's embedding dimension d after checking that the model has the prepared
   * fields, with the same sizes in the same order. Differing field names only log a warning,
   * since a user's own model may name its fields otherwise.
   *
   * @throws IllegalStateException if the field sizes differ
   */
  private static int dimensionOf(CtrModel model, PreparedData prepared) {
    ModelConfig architecture = model.config();
    if (!Arrays.equals(architecture.fieldSizes(), prepared.fieldSizes())) {
      throw new IllegalStateException("The model's field sizes "
          + Arrays.toString(architecture.fieldSizes()) + " differ from prepared/fields "
          + Arrays.toString(prepared.fieldSizes()) + "; the model was trained on other"
          + " prepared data");
    }
    if (!architecture.fieldNames().equals(prepared.fieldNames())) {
      LOG.warn("The model names its fields {} but prepared/fields names them {}; the outputs"
          + " use the prepared names", architecture.fieldNames(), prepared.fieldNames());
    }
    return architecture.embeddingDim();
  }
}
