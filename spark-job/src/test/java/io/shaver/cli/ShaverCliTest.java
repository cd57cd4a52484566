package io.shaver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShaverCliTest {

  private record Result(int exitCode, String out, String err) {
  }

  private static Result run(String... args) {
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = ShaverCli.execute(args);
      return new Result(code, out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
  }

  @Test
  void helpListsEveryCommand() {
    Result result = run("--help");

    assertEquals(0, result.exitCode());
    for (String command : new String[] {"generate", "prepare", "train", "estimate", "compress",
        "evaluate", "report", "run"}) {
      assertTrue(result.out().contains(command), "missing " + command + " in\n" + result.out());
    }
  }

  @Test
  void versionPrintsSparkVersion() {
    Result result = run("--version");

    assertEquals(0, result.exitCode());
    assertTrue(result.out().contains("Spark 4.2.0"), result.out());
  }

  @Test
  void unknownCommandIsUsageError() {
    Result result = run("shrink");

    assertEquals(ShaverCli.EXIT_USAGE, result.exitCode());
    assertTrue(result.err().contains("shrink"), result.err());
  }

  @Test
  void missingConfigIsUsageError() {
    Result result = run("estimate");

    assertEquals(ShaverCli.EXIT_USAGE, result.exitCode());
    assertTrue(result.err().contains("--config"), result.err());
  }

  @Test
  void configErrorExitsTwoNamingKey(@TempDir Path directory) throws Exception {
    Path file = directory.resolve("job.yaml");
    Files.writeString(file, "output: x\ndata:\n  path: a\n  min_count: -1\n");

    Result result = run("estimate", "--config", file.toString());

    assertEquals(ShaverCli.EXIT_USAGE, result.exitCode());
    assertTrue(result.err().contains("data.min_count"), result.err());
  }
}
