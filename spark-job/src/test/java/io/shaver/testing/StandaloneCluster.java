package io.shaver.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Spark standalone cluster for tests: one Master and several Workers as child JVMs on
 * 127.0.0.1, started from the jars of the test classpath (no Spark distribution needed).
 *
 * <p>Each Worker advertises a custom {@code gpu} resource through a discovery script that prints
 * fake addresses, so stage-level GPU scheduling can be tested without GPUs. Spark needs
 * {@code SPARK_SCALA_VERSION} and a {@code SPARK_HOME} with every runtime jar under
 * {@code jars/}; this class builds one of symbolic links under the given directory.
 */
public final class StandaloneCluster implements AutoCloseable {

  /** JVM flags that Spark 4.2 adds to its own JVMs on Java 17. */
  public static final List<String> SPARK_JVM_FLAGS = List.of(
      "-XX:+IgnoreUnrecognizedVMOptions",
      "--add-opens=java.base/java.lang=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
      "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens=java.base/java.io=ALL-UNNAMED",
      "--add-opens=java.base/java.net=ALL-UNNAMED",
      "--add-opens=java.base/java.nio=ALL-UNNAMED",
      "--add-opens=java.base/java.util=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
      "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
      "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
      "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
      "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
      "--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
      "-Dio.netty.tryReflectionSetAccessible=true");

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final Path home;
  private final Path logs;
  private final int masterPort;
  private final int masterUiPort;
  private final List<Process> processes = new ArrayList<>();
  private final List<Process> workers = new ArrayList<>();

  private StandaloneCluster(Path home, Path logs, int masterPort, int masterUiPort) {
    this.home = home;
    this.logs = logs;
    this.masterPort = masterPort;
    this.masterUiPort = masterUiPort;
  }

  /**
   * Starts a Master and {@code workerCount} Workers and waits until every Worker registered.
   *
   * @param directory scratch directory for SPARK_HOME, work dirs and logs
   * @param coresPerWorker cores each Worker offers
   * @param gpusPerWorker fake GPU addresses each Worker advertises (0 for none)
   */
  public static StandaloneCluster start(Path directory, int workerCount, int coresPerWorker,
      int gpusPerWorker) throws IOException, InterruptedException {
    Path home = directory.resolve("spark-home");
    Path logs = directory.resolve("logs");
    Files.createDirectories(logs);
    linkClasspathJars(home.resolve("jars"));
    Files.createDirectories(home.resolve("conf"));

    StandaloneCluster cluster = new StandaloneCluster(home, logs, freePort(), freePort());
    try {
      cluster.startMaster();
      for (int i = 0; i < workerCount; i++) {
        cluster.startWorker(directory, i, coresPerWorker, gpusPerWorker);
      }
      cluster.awaitWorkers(workerCount);
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** Returns the master URL, {@code spark://127.0.0.1:PORT}. */
  public String masterUrl() {
    return "spark://127.0.0.1:" + masterPort;
  }

  /** Returns the SPARK_HOME built for this cluster. */
  public Path sparkHome() {
    return home;
  }

  /** Returns the environment that Spark JVMs of this cluster need. */
  public Map<String, String> environment() {
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("SPARK_HOME", home.toString());
    environment.put("SPARK_LOCAL_IP", "127.0.0.1");
    environment.put("SPARK_SCALA_VERSION", "2.13");
    return environment;
  }

  /** Returns the Worker processes, in start order; their children are the executors. */
  public List<Process> workers() {
    return List.copyOf(workers);
  }

  /** Writes a discovery script that prints {@code count} GPU addresses and returns its path. */
  public static Path writeGpuScript(Path directory, String name, int count) throws IOException {
    StringBuilder addresses = new StringBuilder();
    for (int i = 0; i < count; i++) {
      addresses.append(i == 0 ? "" : ",").append('"').append(i).append('"');
    }
    Path script = directory.resolve(name);
    Files.writeString(script, "#!/usr/bin/env bash\necho '{\"name\":\"gpu\",\"addresses\":["
        + addresses + "]}'\n");
    if (!script.toFile().setExecutable(true)) {
      throw new IOException("Cannot make " + script + " executable");
    }
    return script;
  }

  /**
   * Runs {@code org.apache.spark.deploy.SparkSubmit} in a child JVM against this cluster, as the
   * {@code spark-submit} script would, and waits for it.
   *
   * @param arguments spark-submit arguments after {@code --master}
   * @return the exit code and the combined output
   */
  public SubmitResult submit(List<String> arguments, Path log, Duration timeout)
      throws IOException, InterruptedException {
    List<String> command = javaCommand("-Xmx1g");
    command.add("org.apache.spark.deploy.SparkSubmit");
    command.add("--master");
    command.add(masterUrl());
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().putAll(environment());
    Process process = builder.start();
    if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor();
      return new SubmitResult(-1, Files.readString(log, StandardCharsets.UTF_8), true);
    }
    return new SubmitResult(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8),
        false);
  }

  /** Exit code, output and whether the timeout killed it, of one submission. */
  public record SubmitResult(int exitCode, String output, boolean timedOut) {
  }

  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process process = processes.get(i);
      process.descendants().forEach(ProcessHandle::destroy);
      process.destroy();
    }
    for (Process process : processes) {
      try {
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void startMaster() throws IOException {
    Path properties = home.resolve("conf/master.conf");
    Files.writeString(properties, "spark.master.rest.enabled false\n");
    List<String> command = javaCommand("-Xmx512m");
    command.addAll(List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
        "--port", Integer.toString(masterPort), "--webui-port", Integer.toString(masterUiPort),
        "--properties-file", properties.toString()));
    processes.add(launch(command, logs.resolve("master.log")));
  }

  private void startWorker(Path directory, int index, int cores, int gpus) throws IOException {
    Path workDirectory = Files.createDirectories(directory.resolve("work-" + index));
    Path properties = home.resolve("conf/worker-" + index + ".conf");
    StringBuilder conf = new StringBuilder();
    if (gpus > 0) {
      Path script = writeGpuScript(home.resolve("conf"), "gpu-" + index + ".sh", gpus);
      conf.append("spark.worker.resource.gpu.amount ").append(gpus).append('\n')
          .append("spark.worker.resource.gpu.discoveryScript ").append(script).append('\n');
    }
    Files.writeString(properties, conf.toString());
    List<String> command = javaCommand("-Xmx512m");
    command.addAll(List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
        "--port", "0", "--webui-port", Integer.toString(freePort()),
        "--cores", Integer.toString(cores), "--memory", "2g",
        "--work-dir", workDirectory.toString(), "--properties-file", properties.toString(),
        masterUrl()));
    Process worker = launch(command, logs.resolve("worker-" + index + ".log"));
    processes.add(worker);
    workers.add(worker);
  }

  private void awaitWorkers(int expected) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request = HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + masterUiPort + "/json/")).build();
    Pattern alive = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      for (Process process : processes) {
        if (!process.isAlive()) {
          throw new IOException("A Spark daemon exited with code " + process.exitValue()
              + " during start; see the logs in " + logs);
        }
      }
      try {
        String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        Matcher matcher = alive.matcher(body);
        if (matcher.find() && Integer.parseInt(matcher.group(1)) >= expected) {
          return;
        }
      } catch (IOException e) {
        // The master UI is not up yet.
      }
      Thread.sleep(500);
    }
    throw new IOException("Timed out after " + START_TIMEOUT.toSeconds() + " s waiting for "
        + expected + " workers to register; see the logs in " + logs);
  }

  private Process launch(List<String> command, Path log) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().putAll(environment());
    return builder.start();
  }

  private List<String> javaCommand(String heap) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add(heap);
    command.addAll(SPARK_JVM_FLAGS);
    command.add("-cp");
    command.add(home.resolve("conf") + File.pathSeparator + home.resolve("jars") + "/*");
    return command;
  }

  private static void linkClasspathJars(Path jars) throws IOException {
    Files.createDirectories(jars);
    // Surefire passes the classpath through a manifest-only jar and names the real one here.
    String classpath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    for (String entry : classpath.split(File.pathSeparator)) {
      Path jar = Path.of(entry);
      if (!entry.endsWith(".jar") || !Files.isRegularFile(jar)) {
        continue;
      }
      Path link = jars.resolve(jar.getFileName());
      if (Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      Files.createSymbolicLink(link, jar.toAbsolutePath());
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free port on 127.0.0.1", e);
    }
  }
}
