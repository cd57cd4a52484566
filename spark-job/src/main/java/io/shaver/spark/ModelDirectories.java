package io.shaver.spark;

import io.shaver.model.ModelConfig;
import io.shaver.model.ModelStore;
import io.shaver.model.Tensor;
import io.shaver.output.AtomicDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reads and writes model directories ({@code model.json} + {@code model.safetensors}) on any
 * Hadoop file system, local or HDFS, through a local temporary copy.
 *
 * <p>Saving publishes the directory atomically with a {@code _SUCCESS} marker, like every
 * other stage output. Loading accepts a directory without the marker, because a user may
 * bring a model directory written by PyTorch.
 */
public final class ModelDirectories {

  private ModelDirectories() {
  }

  /** Loads the model directory at {@code directory}. */
  public static ModelStore.StoredModel load(Path directory, Configuration hadoopConf)
      throws IOException {
    FileSystem fileSystem = directory.getFileSystem(hadoopConf);
    if (fileSystem instanceof LocalFileSystem || "file".equals(fileSystem.getScheme())) {
      return ModelStore.load(java.nio.file.Path.of(fileSystem.makeQualified(directory).toUri()));
    }
    java.nio.file.Path local = Files.createTempDirectory("shaver-model-");
    try {
      for (String name : new String[] {ModelStore.CONFIG_FILE, ModelStore.WEIGHTS_FILE}) {
        Path source = new Path(directory, name);
        if (fileSystem.exists(source)) {
          fileSystem.copyToLocalFile(false, source, new Path(local.resolve(name).toUri()), true);
        }
      }
      return ModelStore.load(local);
    } finally {
      deleteLocal(local);
    }
  }

  /** Saves a model to {@code directory}, replacing an existing one only on success. */
  public static void save(Path directory, ModelConfig config, Map<String, Tensor> stateDict,
      Map<String, String> provenance, Configuration hadoopConf) throws IOException {
    java.nio.file.Path local = Files.createTempDirectory("shaver-model-");
    try (AtomicDirectory target = AtomicDirectory.begin(directory, hadoopConf)) {
      java.nio.file.Path written = local.resolve("model");
      ModelStore.save(written, config, stateDict, provenance);
      for (String name : new String[] {ModelStore.CONFIG_FILE, ModelStore.WEIGHTS_FILE}) {
        target.fileSystem().copyFromLocalFile(false, true,
            new Path(written.resolve(name).toUri()), new Path(target.staging(), name));
      }
      target.commit();
    } finally {
      deleteLocal(local);
    }
  }

  private static void deleteLocal(java.nio.file.Path directory) throws IOException {
    try (Stream<java.nio.file.Path> paths = Files.walk(directory)) {
      for (java.nio.file.Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
