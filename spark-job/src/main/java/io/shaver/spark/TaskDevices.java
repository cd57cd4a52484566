package io.shaver.spark;

import io.shaver.backend.DeviceBinding;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the accelerator a task was scheduled with from its {@link TaskContext}. */
final class TaskDevices {

  /** Spark resource name that GPUs are scheduled under. */
  static final String GPU = "gpu";

  private static final Logger LOG = LoggerFactory.getLogger(TaskDevices.class);

  private TaskDevices() {
  }

  /**
   * Returns the task's GPU binding: its first {@code gpu} address, or none when the task has
   * no GPU (no resource profile, or a local master). A task given several addresses (a task
   * amount above 1) binds the first and logs that the others stay unused, because a walk
   * engine drives one device.
   */
  static DeviceBinding bind(TaskContext task) {
    if (task == null) {
      return DeviceBinding.none();
    }
    Map<String, ResourceInformation> resources = task.resourcesJMap();
    ResourceInformation gpu = resources == null ? null : resources.get(GPU);
    if (gpu == null || gpu.addresses().length == 0) {
      return DeviceBinding.none();
    }
    String[] addresses = gpu.addresses();
    if (addresses.length > 1) {
      LOG.warn("Task of partition {} was given GPUs {}; the walk uses {} only",
          task.partitionId(), String.join(",", addresses), addresses[0]);
    }
    return DeviceBinding.of(GPU, addresses[0]);
  }
}
