package io.shaver.evaluate;

import io.shaver.model.ModelStore;
import java.io.IOException;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/** Loads a model directory that may live on any Hadoop file system. */
final class ModelInput {

  private ModelInput() {
  }

  /**
   * Loads {@code model.json} and {@code model.safetensors} from {@code directory}. A directory
   * on a non-local file system is first copied to a temporary local directory, which is deleted
   * after loading.
   *
   * <p>NOTE: the copy path for non-local file systems (HDFS) has no test yet.
   */
  static ModelStore.StoredModel load(Path directory, Configuration hadoopConf)
      throws IOException {
    FileSystem fileSystem = directory.getFileSystem(hadoopConf);
    if (fileSystem instanceof LocalFileSystem || "file".equals(fileSystem.getScheme())) {
      Path local = fileSystem.makeQualified(directory);
      return ModelStore.load(java.nio.file.Path.of(local.toUri()));
    }
    java.nio.file.Path copy = Files.createTempDirectory("shaver-model-");
    try {
      for (String name : new String[] {ModelStore.CONFIG_FILE, ModelStore.WEIGHTS_FILE}) {
        fileSystem.copyToLocalFile(false, new Path(directory, name),
            new Path(copy.resolve(name).toUri()), true);
      }
      return ModelStore.load(copy);
    } finally {
      for (String name : new String[] {ModelStore.CONFIG_FILE, ModelStore.WEIGHTS_FILE}) {
        Files.deleteIfExists(copy.resolve(name));
      }
      Files.deleteIfExists(copy);
    }
  }
}
