package io.shaver.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.resource.ExecutorResourceRequests;
import org.apache.spark.resource.ResourceInformation;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.resource.ResourceProfileBuilder;
import org.apache.spark.resource.TaskResourceRequests;
import org.apache.spark.sql.SparkSession;

/**
 * Spark application used by the standalone cluster tests: runs one stage under a GPU
 * ResourceProfile and writes, per task, "partition executor gpuAddresses" to the output file.
 */
public final class GpuProbeApp {

  private GpuProbeApp() {
  }

  public static void main(String[] args) throws Exception {
    Path output = Path.of(args[0]);
    int partitions = Integer.parseInt(args[1]);
    SparkSession spark = SparkSession.builder().appName("gpu-probe").getOrCreate();
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());

    ResourceProfile profile = new ResourceProfileBuilder()
        .require(new ExecutorResourceRequests().cores(1).resource("gpu", 1, "", ""))
        .require(new TaskResourceRequests().cpus(1).resource("gpu", 1.0))
        .build();
    List<Integer> numbers = new ArrayList<>();
    for (int i = 0; i < partitions; i++) {
      numbers.add(i);
    }
    JavaRDD<Integer> rdd = context.parallelize(numbers, partitions).withResources(profile);
    List<String> lines = rdd.mapPartitions(GpuProbeApp::describeTask).collect();
    Files.write(output, lines, StandardCharsets.UTF_8);
    spark.stop();
  }

  private static Iterator<String> describeTask(Iterator<Integer> ignored) {
    TaskContext task = TaskContext.get();
    ResourceInformation gpu = task.resourcesJMap().get("gpu");
    String addresses = gpu == null ? "" : String.join(",", gpu.addresses());
    String executor = org.apache.spark.SparkEnv.get().executorId();
    return List.of(task.partitionId() + " " + executor + " " + addresses).iterator();
  }
}
