package io.shaver.spark;

import io.shaver.output.Provenance;
import io.shaver.shapley.Convergence;
import io.shaver.shapley.EstimatorSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Runs whole passes of the distributed estimator.
 *
 * <p>A pass walks every cached sample partition once ({@link WalkTask}, under the GPU profile
 * when there is one), adds the previous pass's totals read back from its checkpoint, and
 * combines both by parameter block in one shuffle ({@link BlockPartitioner}). Then it checks
 * that every walk partition reported exactly once, computes the convergence summary over all
 * blocks, and writes checkpoint {@code pass-N}. Parameters no sample touched have no block
 * record; they count as phi 0 and standard error 0, as in the single-JVM estimator.
 */
final class EstimationPass {

  private static final Logger LOG = LoggerFactory.getLogger(EstimationPass.class);

  private final JavaSparkContext context;
  private final JavaRDD<SampleBlock> samples;
  private final WalkPlan plan;
  private final Broadcast<ModelSource> model;
  private final Optional<ResourceProfile> profile;
  private final Checkpoints checkpoints;
  private final EstimatorSettings settings;
  private final long parameters;
  private final String compatibility;
  private final Provenance provenance;
  private final long expectedRows;
  private final Duration progressInterval;
  private final List<List<TaskSummary>> reports = new ArrayList<>();

  EstimationPass(JavaSparkContext context, JavaRDD<SampleBlock> samples, WalkPlan plan,
      Broadcast<ModelSource> model, Optional<ResourceProfile> profile, Checkpoints checkpoints,
      EstimatorSettings settings, long parameters, String compatibility, Provenance provenance,
      long expectedRows, Duration progressInterval) {
    this.context = context;
    this.samples = samples;
    this.plan = plan;
    this.model = model;
    this.profile = profile;
    this.checkpoints = checkpoints;
    this.settings = settings;
    this.parameters = parameters;
    this.compatibility = compatibility;
    this.provenance = provenance;
    this.expectedRows = expectedRows;
    this.progressInterval = progressInterval;
  }

  /** Returns the task summaries of each pass this object ran, in pass order. */
  List<List<TaskSummary>> reports() {
    return List.copyOf(reports);
  }

  /** Runs the pass after {@code state} and returns the state after it. */
  PassState run(PassState state) {
    long started = System.nanoTime();
    int number = state.passes() + 1;
    int walkPartitions = samples.getNumPartitions();
    int blocks = ParameterBlock.blockCount(parameters, plan.blockSize());
    context.setJobGroup("shaver-estimate-pass-" + number,
        "estimate: pass " + number + " of at most " + settings.maxPasses(), false);

    JavaRDD<Tuple2<Integer, PassRecord>> walked =
        samples.mapPartitions(new WalkTask(plan, model, state.passes()));
    profile.ifPresent(walkProfile -> walked.rdd().withResources(walkProfile));
    JavaPairRDD<Integer, PassRecord> records = JavaPairRDD.fromJavaRDD(walked);
    if (state.passes() > 0) {
      records = records.union(
          checkpoints.readBlocks(state.passes(), parameters, plan.blockSize()));
    }
    JavaPairRDD<Integer, PassRecord> totals =
        aggregate(records, blocks, Math.max(1, Math.min(blocks, walkPartitions)))
            .persist(StorageLevel.MEMORY_AND_DISK_SER());
    try {
      TaskReport report = walk(totals, walked.id(), number, walkPartitions, state);
      long rows = report.samples();
      requireRows(rows, state, number);
      long totalSamples = state.samples() + rows;
      long totalEvaluations = state.evaluations() + report.evaluations();

      context.setJobDescription("estimate: pass " + number + " convergence");
      Convergence convergence = convergence(totals, totalSamples, blocks);
      context.setJobDescription("estimate: pass " + number + " checkpoint");
      CheckpointInfo info = new CheckpointInfo(number, totalSamples, totalEvaluations, rows,
          compatibility);
      checkpoints.write(info, totals, plan.blockSize(),
          provenance.with("convergence_ratio", convergence.ratio()));

      List<TaskSummary> tasks = report.tasks();
      reports.add(tasks);
      long[] partitionSamples = new long[walkPartitions];
      for (TaskSummary task : tasks) {
        partitionSamples[task.partition()] = task.samples();
      }
      PassState next = new PassState(number, totalSamples, totalEvaluations, rows,
          partitionSamples, convergence);
      logPass(next, report, (System.nanoTime() - started) / 1e9);
      return next;
    } finally {
      totals.unpersist(false);
      context.clearJobGroup();
    }
  }

  /** Runs the walks and the aggregation shuffle, logging progress, and returns the report. */
  private TaskReport walk(JavaPairRDD<Integer, PassRecord> totals, int walkRddId, int number,
      int walkPartitions, PassState state) {
    context.setJobDescription("estimate: pass " + number + " walks and aggregation");
    long expected = state.rowsPerPass() >= 0 ? state.rowsPerPass() : expectedRows;
    List<PassRecord> found;
    try (PassProgress progress = new PassProgress(context.sc(), number, walkRddId,
        walkPartitions, state.partitionSamples(), expected, progressInterval)) {
      found = totals.lookup(TaskReport.KEY);
    }
    if (found.size() != 1 || !(found.get(0) instanceof TaskReport report)) {
      throw new IllegalStateException("pass " + number + " produced " + found.size()
          + " task reports, expected one");
    }
    report.requireComplete(walkPartitions);
    return report;
  }

  private static void requireRows(long rows, PassState state, int number) {
    if (rows == 0) {
      throw new IllegalStateException("No rows to estimate on: the chosen prepared splits are"
          + " empty, or estimate.sample_fraction kept none of their rows");
    }
    if (state.rowsPerPass() >= 0 && rows != state.rowsPerPass()) {
      throw new IllegalStateException("Pass " + number + " walked " + rows + " samples but the"
          + " earlier passes walked " + state.rowsPerPass() + " each; the prepared data changed"
          + " since the checkpoint. Run without --resume to start over.");
    }
  }

  /**
   * Combines records by key into one record per parameter block plus one task report,
   * partitioned by block range and sorted by key within each partition. The records must not
   * come from a cache: they come from walk tasks, the checkpoint reader or a shuffle, so a
   * combiner takes ownership of the first record of its key and adds the others into it.
   */
  static JavaPairRDD<Integer, PassRecord> aggregate(JavaPairRDD<Integer, PassRecord> records,
      int blocks, int partitions) {
    return records
        .combineByKey(record -> record, PassRecord::absorb, PassRecord::absorb,
            new BlockPartitioner(blocks, partitions))
        .mapPartitionsToPair(EstimationPass::sortByBlock, true);
  }

  /**
   * Returns the convergence summary over all parameters. Blocks without a record have only
   * untouched parameters, whose phi 0 enters the range.
   */
  static Convergence convergence(JavaPairRDD<Integer, PassRecord> totals, long samples,
      int blocks) {
    Tuple2<Convergence, Long> summary = totals.values()
        .filter(record -> record instanceof ParameterBlock)
        .map(record -> new Tuple2<>(((ParameterBlock) record).convergence(samples), 1L))
        .treeAggregate(new Tuple2<>(Convergence.empty(), 0L),
            EstimationPass::combine, EstimationPass::combine);
    Convergence convergence = summary._1();
    if (summary._2() < blocks) {
      convergence = convergence.combine(ParameterBlock.empty(0, 1, true).convergence(samples));
    }
    return convergence;
  }

  private static Tuple2<Convergence, Long> combine(Tuple2<Convergence, Long> a,
      Tuple2<Convergence, Long> b) {
    return new Tuple2<>(a._1().combine(b._1()), a._2() + b._2());
  }

  private static java.util.Iterator<Tuple2<Integer, PassRecord>> sortByBlock(
      java.util.Iterator<Tuple2<Integer, PassRecord>> partition) {
    List<Tuple2<Integer, PassRecord>> records = new ArrayList<>();
    partition.forEachRemaining(records::add);
    records.sort(Comparator.comparing(Tuple2::_1));
    return records.iterator();
  }

  private void logPass(PassState state, TaskReport report, double seconds) {
    TreeSet<String> executors = new TreeSet<>();
    TreeSet<String> devices = new TreeSet<>();
    for (TaskSummary task : report.tasks()) {
      executors.add(task.executor());
      devices.add(task.device().toString());
    }
    boolean finished = state.finished(settings);
    int passesLeft = finished ? 0 : settings.maxPasses() - state.passes();
    LOG.info("Pass {} of at most {} done in {}: {} samples ({} in total), {} evaluations ({} in"
        + " total), {} samples/s, convergence ratio {} (threshold {}), {} walk tasks on"
        + " executors {} with devices {}; {}", state.passes(), settings.maxPasses(),
        Durations.format(seconds), state.rowsPerPass(), state.samples(), report.evaluations(),
        state.evaluations(), String.format("%.1f", state.rowsPerPass() / seconds),
        String.format("%.4g", state.convergence().ratio()), settings.convergenceThreshold(),
        report.tasks().size(), executors, devices,
        finished ? "no passes left"
            : "at most " + passesLeft + " passes left, about "
                + Durations.format(passesLeft * seconds) + " at this rate");
  }
}
