package io.shaver.spark;

import io.shaver.model.CtrModel;
import io.shaver.model.ModelStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The model a run stores under {@code model/}: {@code model.safetensors} (weights with PyTorch
 * names) and {@code model.json} (architecture). The driver reads both files from any Hadoop
 * file system into memory, and the broadcast carries the bytes, so executors need no access
 * to the run directory. Each file must be smaller than 2 GiB (one Java array).
 */
public final class StoredModelSource implements ModelSource {

  private static final long serialVersionUID = 1L;

  /** Weights file of a stored model. */
  public static final String WEIGHTS_FILE = ModelStore.WEIGHTS_FILE;

  /** Architecture file of a stored model. */
  public static final String CONFIG_FILE = ModelStore.CONFIG_FILE;

  private final String location;
  private final LinkedHashMap<String, byte[]> files;

  private StoredModelSource(String location, LinkedHashMap<String, byte[]> files) {
    this.location = location;
    this.files = files;
  }

  /**
   * Reads the model files of {@code directory}.
   *
   * @throws UncheckedIOException naming the missing or unreadable file
   */
  public static StoredModelSource read(Path directory, Configuration hadoopConf) {
    LinkedHashMap<String, byte[]> files = new LinkedHashMap<>();
    for (String name : List.of(WEIGHTS_FILE, CONFIG_FILE)) {
      Path file = new Path(directory, name);
      try {
        FileSystem fileSystem = file.getFileSystem(hadoopConf);
        if (!fileSystem.exists(file)) {
          throw new IOException("not found; run the train stage first or put a model saved by"
              + " PyTorch there");
        }
        try (InputStream in = fileSystem.open(file)) {
          ByteArrayOutputStream bytes = new ByteArrayOutputStream();
          in.transferTo(bytes);
          files.put(name, bytes.toByteArray());
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read model file " + file + ": " + e.getMessage(), e);
      }
    }
    return new StoredModelSource(directory.toString(), files);
  }

  /** Returns the stored files, name to bytes. */
  Map<String, byte[]> files() {
    return files;
  }

  @Override
  public CtrModel open() {
    java.nio.file.Path directory = null;
    try {
      directory = Files.createTempDirectory("shaver-model-");
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        Files.write(directory.resolve(file.getKey()), file.getValue());
      }
      return load(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot unpack model " + location + ": " + e.getMessage(), e);
    } finally {
      deleteQuietly(directory);
    }
  }

  /** Loads a model from a local directory holding the stored files. */
  private static CtrModel load(java.nio.file.Path directory) throws IOException {
    return ModelStore.load(directory).model();
  }

  private static void deleteQuietly(java.nio.file.Path directory) {
    if (directory == null) {
      return;
    }
    try (Stream<java.nio.file.Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary copy is harmless.
    }
  }

  /** Returns the SHA-256 of the stored files, each preceded by its name. */
  @Override
  public String fingerprint() {
    try {
      java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        digest.update(file.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        digest.update(file.getValue());
      }
      return java.util.HexFormat.of().formatHex(digest.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  @Override
  public String describe() {
    long bytes = files.values().stream().mapToLong(file -> file.length).sum();
    return location + " (" + bytes + " bytes)";
  }
}
