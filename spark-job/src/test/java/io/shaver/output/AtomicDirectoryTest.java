package io.shaver.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicDirectoryTest {

  private static org.apache.hadoop.fs.Path hadoopPath(Path path) {
    return new org.apache.hadoop.fs.Path(path.toUri());
  }

  private static List<String> names(Path directory) throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.map(path -> path.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void commitPublishesWithMarker(@TempDir Path directory) throws IOException {
    Path target = directory.resolve("shapley");

    try (AtomicDirectory output = AtomicDirectory.begin(hadoopPath(target), new Configuration())) {
      Files.writeString(Path.of(output.staging().toUri()).resolve("part-0"), "phi");
      assertFalse(AtomicDirectory.isComplete(hadoopPath(target), new Configuration()));
      output.commit();
    }

    assertTrue(AtomicDirectory.isComplete(hadoopPath(target), new Configuration()));
    assertEquals("phi", Files.readString(target.resolve("part-0")));
    assertEquals(List.of("shapley"), names(directory));
  }

  @Test
  void abortKeepsOldOutput(@TempDir Path directory) throws IOException {
    Path target = directory.resolve("shapley");
    Files.createDirectories(target);
    Files.writeString(target.resolve("part-0"), "old");

    try (AtomicDirectory output = AtomicDirectory.begin(hadoopPath(target), new Configuration())) {
      Files.writeString(Path.of(output.staging().toUri()).resolve("part-0"), "new");
    }

    assertEquals("old", Files.readString(target.resolve("part-0")));
    assertEquals(List.of("shapley"), names(directory));
  }

  @Test
  void beginDeletesKilledWriteLeftovers(@TempDir Path directory) throws IOException {
    Path target = directory.resolve("shapley");
    Path killed = directory.resolve(".shapley.staging-1b2c");
    Path movedAside = directory.resolve(".shapley.staging-3d4e.previous");
    Path otherOutput = directory.resolve(".codebook.staging-5f6a");
    for (Path leftover : List.of(killed, movedAside, otherOutput)) {
      Files.createDirectories(leftover);
      Files.writeString(leftover.resolve("part-0"), "partial");
    }

    try (AtomicDirectory output = AtomicDirectory.begin(hadoopPath(target), new Configuration())) {
      output.commit();
    }

    assertFalse(Files.exists(killed), "an unfinished staging directory of the same output");
    assertTrue(Files.exists(movedAside), "an old output moved aside can be the only copy");
    assertTrue(Files.exists(otherOutput), "another output's staging directory");
    assertTrue(Files.exists(target.resolve(AtomicDirectory.SUCCESS_MARKER)));
  }
}
