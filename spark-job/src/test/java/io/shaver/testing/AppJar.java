package io.shaver.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** Packs compiled class directories into a jar that spark-submit can ship to executors. */
public final class AppJar {

  private AppJar() {
  }

  /** Writes {@code jar} with every file under each of {@code directories}; the first wins. */
  public static Path build(Path jar, List<Path> directories) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
    java.util.Set<String> written = new java.util.HashSet<>();
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest)) {
      for (Path directory : directories) {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
          files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path path : files) {
          String name = directory.relativize(path).toString().replace('\\', '/');
          if (!written.add(name)) {
            continue;
          }
          out.putNextEntry(new JarEntry(name));
          Files.copy(path, out);
          out.closeEntry();
        }
      }
    }
    return jar;
  }

  /** Returns a jar of the module's main and test classes, built under {@code directory}. */
  public static Path ofTestClasses(Path directory) throws IOException {
    Path target = Path.of("target").toAbsolutePath();
    return build(directory.resolve("app.jar"),
        List.of(target.resolve("test-classes"), target.resolve("classes")));
  }
}
