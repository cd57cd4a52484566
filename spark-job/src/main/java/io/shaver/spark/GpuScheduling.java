package io.shaver.spark;

import io.shaver.config.GpuSettings;
import io.shaver.config.LocalMasterPolicy;
import java.util.Optional;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.resource.ExecutorResourceRequests;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.resource.ResourceProfileBuilder;
import org.apache.spark.resource.TaskResourceRequests;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stage-level resource profile of the walk stage when {@code estimate.gpu.enabled}: each
 * executor requests {@code executor_amount} GPUs besides its cores, each walk task
 * {@code task_amount}. Stages that read, aggregate and write request no GPU.
 *
 * <p>Spark 4.2 schedules a profile only on YARN, Kubernetes and standalone masters with dynamic
 * allocation enabled. With a local master a GPU request is never granted and the stage waits
 * forever, so that case is caught before any work: it fails or runs on the CPU, as
 * {@code estimate.gpu.on_local_master} sets.
 */
final class GpuScheduling {

  private static final Logger LOG = LoggerFactory.getLogger(GpuScheduling.class);

  private GpuScheduling() {
  }

  /**
   * Returns the walk stage's profile, or empty when the walks need no GPU request.
   *
   * @throws IllegalStateException with a local master and on_local_master fail, or on a
   *     cluster without dynamic allocation
   */
  static Optional<ResourceProfile> walkProfile(SparkContext context, GpuSettings gpu) {
    if (!gpu.enabled()) {
      return Optional.empty();
    }
    String master = context.master();
    if (master.startsWith("local")) {
      if (gpu.onLocalMaster() == LocalMasterPolicy.FAIL) {
        throw new IllegalStateException("estimate.gpu.enabled is true but Spark runs with master '"
            + master + "', which cannot schedule GPUs, so the walk stage would wait forever."
            + " Submit to a cluster whose workers advertise GPUs, or set"
            + " estimate.gpu.on_local_master: cpu to walk on the CPU instead.");
      }
      LOG.warn("estimate.gpu.enabled is true but Spark runs with master '{}', which cannot"
          + " schedule GPUs; walking on the CPU without a GPU request"
          + " (estimate.gpu.on_local_master: cpu)", master);
      return Optional.empty();
    }
    SparkConf conf = context.getConf();
    if (!conf.getBoolean("spark.dynamicAllocation.enabled", false)) {
      throw new IllegalStateException("estimate.gpu.enabled is true, but stage-level GPU"
          + " scheduling needs spark.dynamicAllocation.enabled=true (plus"
          + " spark.dynamicAllocation.shuffleTracking.enabled=true without an external shuffle"
          + " service). Set them with --conf or in conf/spark-defaults.conf.");
    }
    int executorCores = conf.getInt("spark.executor.cores", 1);
    int taskCpus = conf.getInt("spark.task.cpus", 1);
    ResourceProfile profile = new ResourceProfileBuilder()
        .require(new ExecutorResourceRequests().cores(executorCores)
            .resource(TaskDevices.GPU, gpu.executorAmount(), "", ""))
        .require(new TaskResourceRequests().cpus(taskCpus)
            .resource(TaskDevices.GPU, gpu.taskAmount()))
        .build();
    LOG.info("Walk stage requests {} GPU(s) and {} core(s) per executor, {} GPU(s) and {}"
        + " core(s) per task (resource profile {})", gpu.executorAmount(), executorCores,
        gpu.taskAmount(), taskCpus, profile.id());
    return Optional.of(profile);
  }
}
