package io.shaver.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaver.testing.AppJar;
import io.shaver.testing.StandaloneCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real standalone cluster schedules a GPU ResourceProfile: one gpu address per task. */
class StandaloneClusterGpuTest {

  @Test
  void everyTaskSeesOneGpu(@TempDir Path directory) throws Exception {
    Path jar = AppJar.ofTestClasses(directory);
    Path output = directory.resolve("tasks.txt");

    try (StandaloneCluster cluster = StandaloneCluster.start(directory, 2, 1, 1)) {
      StandaloneCluster.SubmitResult result = cluster.submit(List.of(
          "--deploy-mode", "client",
          "--class", "io.shaver.testing.GpuProbeApp",
          "--conf", "spark.driver.host=127.0.0.1",
          "--conf", "spark.driver.bindAddress=127.0.0.1",
          "--conf", "spark.ui.enabled=false",
          "--conf", "spark.executor.cores=1",
          "--conf", "spark.executor.memory=512m",
          "--conf", "spark.cores.max=2",
          "--conf", "spark.dynamicAllocation.enabled=true",
          "--conf", "spark.dynamicAllocation.shuffleTracking.enabled=true",
          "--conf", "spark.dynamicAllocation.maxExecutors=2",
          jar.toString(), output.toString(), "6"),
          directory.resolve("submit.log"), Duration.ofMinutes(3));

      assertFalse(result.timedOut(), "submission timed out:\n" + result.output());
      assertEquals(0, result.exitCode(), result.output());
    }

    List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
    assertEquals(6, lines.size());
    Set<String> executors = new HashSet<>();
    for (String line : lines) {
      String[] parts = line.split(" ", -1);
      assertEquals(3, parts.length, line);
      assertEquals("0", parts[2], "each worker advertises one gpu, address 0: " + line);
      executors.add(parts[1]);
    }
    assertTrue(executors.size() >= 1, "tasks ran on " + executors);
  }
}
