package io.shaver.spark;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.storage.RDDInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the progress of one pass at a fixed interval while it runs: walk tasks done, samples
 * walked, samples per second and the estimated time left in the pass.
 *
 * <p>A {@link SparkListener} counts the successful tasks of the stages that compute the walk
 * RDD, by partition, so a retried task counts once. Samples done are exact when the samples
 * per partition are known (from an earlier pass), else estimated from the share of tasks done.
 */
final class PassProgress implements AutoCloseable {

  /** Interval between progress lines during a pass. */
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(20);

  private static final Logger LOG = LoggerFactory.getLogger(PassProgress.class);

  private final SparkContext context;
  private final int pass;
  private final int walkPartitions;
  private final long[] partitionSamples;
  private final long expectedSamples;
  private final long started = System.nanoTime();
  private final Set<Integer> walkStages = ConcurrentHashMap.newKeySet();
  private final Set<Integer> donePartitions = ConcurrentHashMap.newKeySet();
  private final Listener listener;
  private final ScheduledExecutorService reporter;

  /**
   * Starts reporting.
   *
   * @param pass one-based pass number, for the log lines
   * @param walkRddId id of the RDD whose partitions are the walk tasks
   * @param partitionSamples samples per walk partition, or null when not known yet
   * @param expectedSamples samples in the pass, exact or estimated
   */
  PassProgress(SparkContext context, int pass, int walkRddId, int walkPartitions,
      long[] partitionSamples, long expectedSamples, Duration interval) {
    this.context = context;
    this.pass = pass;
    this.walkPartitions = walkPartitions;
    this.partitionSamples = partitionSamples;
    this.expectedSamples = expectedSamples;
    this.listener = new Listener(walkRddId);
    context.addSparkListener(listener);
    this.reporter = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "shaver-pass-progress");
      thread.setDaemon(true);
      return thread;
    });
    long millis = interval.toMillis();
    reporter.scheduleAtFixedRate(this::report, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** Returns the walk tasks finished so far. */
  int doneTasks() {
    return donePartitions.size();
  }

  /** Returns the samples walked so far: exact when per-partition counts are known. */
  long doneSamples() {
    if (partitionSamples == null) {
      return Math.round((double) expectedSamples * donePartitions.size() / walkPartitions);
    }
    long samples = 0;
    for (int partition : donePartitions) {
      samples += partitionSamples[partition];
    }
    return samples;
  }

  private void report() {
    double seconds = (System.nanoTime() - started) / 1e9;
    long samples = doneSamples();
    double rate = samples / Math.max(seconds, 1e-9);
    String left = samples == 0 ? "unknown"
        : Durations.format((expectedSamples - samples) / rate);
    LOG.info("Pass {}: {}/{} walk tasks done, {}{} of {} samples, {} samples/s, about {} left"
        + " in this pass", pass, donePartitions.size(), walkPartitions,
        partitionSamples == null ? "about " : "", samples, expectedSamples,
        String.format("%.1f", rate), left);
  }

  @Override
  public void close() {
    reporter.shutdownNow();
    context.removeSparkListener(listener);
  }

  /** Counts successful walk tasks by partition. */
  private final class Listener extends SparkListener {
    private final int walkRddId;

    Listener(int walkRddId) {
      this.walkRddId = walkRddId;
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted event) {
      for (RDDInfo rdd : scala.jdk.javaapi.CollectionConverters.asJava(
          event.stageInfo().rddInfos())) {
        if (rdd.id() == walkRddId) {
          walkStages.add(event.stageInfo().stageId());
          return;
        }
      }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd event) {
      int partition = event.taskInfo().partitionId();
      if (walkStages.contains(event.stageId()) && event.taskInfo().successful()
          && partition >= 0 && partition < walkPartitions) {
        donePartitions.add(partition);
      }
    }
  }
}
