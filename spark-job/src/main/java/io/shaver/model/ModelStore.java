package io.shaver.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes a model directory: {@code model.safetensors} (weights in reference PyTorch
 * naming, see {@link StateDictSchema}) and {@code model.json} ({@link ModelConfig}).
 *
 * <p>{@link #save} validates the weights first, writes both files into a temporary sibling
 * directory and renames it into place, so a failed save leaves no partial model directory and
 * an existing model directory is replaced only by a complete one. The safetensors
 * {@code __metadata__} records provenance: the format version, the shaver version, the creation
 * time, the model kind and counts, plus the caller's entries (seed, training settings, ...).
 */
public final class ModelStore {

  public static final String WEIGHTS_FILE = "model.safetensors";
  public static final String CONFIG_FILE = ModelConfig.FILE_NAME;
  /** Version of the model directory layout, stored as {@code format_version}. */
  public static final String FORMAT_VERSION = "1";

  private static final Logger LOG = LoggerFactory.getLogger(ModelStore.class);

  private ModelStore() {}

  /** A loaded model directory. */
  public record StoredModel(ModelConfig config, CtrModel model, Map<String, Tensor> stateDict,
      Map<String, String> metadata) {}

  /**
   * Loads a model directory.
   *
   * @throws NoSuchFileException if {@code model.json} or {@code model.safetensors} is missing
   * @throws InvalidModelException if the weights do not match {@code model.json}
   */
  public static StoredModel load(Path directory) throws IOException {
    long start = System.nanoTime();
    Path configFile = directory.resolve(CONFIG_FILE);
    Path weightsFile = directory.resolve(WEIGHTS_FILE);
    requireFile(configFile, "the model configuration; write it with ModelConfig.write");
    requireFile(weightsFile, "the weights in safetensors format");
    ModelConfig config = ModelConfig.read(configFile);
    Safetensors.Content content = Safetensors.read(weightsFile);
    Map<String, Tensor> stateDict = StateDictSchema.normalize(config, content.tensors());
    CtrModel model;
    try {
      model = CtrModels.fromStateDict(config, stateDict);
    } catch (InvalidModelException e) {
      LOG.error("Invalid model directory {}: {}", directory, e.getMessage());
      throw e;
    }
    LOG.info("Loaded {} model from {}: {} fields, {} embedding rows x {}, {} tensors in {} ms",
        config.kind(), directory, config.fieldCount(), config.rowCount(), config.embeddingDim(),
        stateDict.size(), (System.nanoTime() - start) / 1_000_000);
    return new StoredModel(config, model, stateDict, content.metadata());
  }

  private static void requireFile(Path file, String contents) throws NoSuchFileException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null,
          "missing " + file.getFileName() + " (" + contents + ")");
    }
  }

  /**
   * Writes a model directory atomically, replacing an existing model directory.
   *
   * @param provenance extra {@code __metadata__} entries; they cannot replace the entries this
   *     method writes ({@code format}, {@code format_version}, {@code shaver_version},
   *     {@code created}, {@code kind}, {@code fields}, {@code rows}, {@code embedding_dim})
   * @throws InvalidModelException if the weights do not match the configuration (nothing is
   *     written)
   * @throws FileAlreadyExistsException if {@code directory} exists and is not a directory
   * @throws IOException if writing or renaming fails; the temporary directory is removed and an
   *     existing model directory is left as it was
   */
  public static void save(Path directory, ModelConfig config, Map<String, Tensor> stateDict,
      Map<String, String> provenance) throws IOException {
    long start = System.nanoTime();
    Map<String, Tensor> tensors = StateDictSchema.normalize(config, stateDict);
    StateDictSchema.validate(config, tensors);
    Path target = directory.toAbsolutePath().normalize();
    if (Files.exists(target) && !Files.isDirectory(target)) {
      throw new FileAlreadyExistsException(target.toString(), null,
          "cannot save a model directory over a file");
    }
    Path parent = target.getParent();
    Files.createDirectories(parent);
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    Path temporary = parent.resolve("." + target.getFileName() + ".tmp-" + suffix);
    Path previous = parent.resolve("." + target.getFileName() + ".old-" + suffix);
    try {
      Files.createDirectory(temporary);
      Safetensors.write(temporary.resolve(WEIGHTS_FILE), tensors, metadata(config, provenance));
      config.write(temporary.resolve(CONFIG_FILE));
      replace(temporary, target, previous);
    } catch (IOException | RuntimeException e) {
      deleteRecursively(temporary);
      LOG.error("Failed to save model directory {}: {}", target, e.toString());
      throw e;
    }
    deleteRecursively(previous);
    LOG.info("Saved {} model to {}: {} tensors, {} embedding rows x {} in {} ms", config.kind(),
        target, tensors.size(), config.rowCount(), config.embeddingDim(),
        (System.nanoTime() - start) / 1_000_000);
  }

  private static void replace(Path temporary, Path target, Path previous) throws IOException {
    boolean movedAside = false;
    if (Files.exists(target)) {
      move(target, previous);
      movedAside = true;
    }
    try {
      move(temporary, target);
    } catch (IOException | RuntimeException e) {
      if (movedAside) {
        move(previous, target);
      }
      throw e;
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  private static Map<String, String> metadata(ModelConfig config, Map<String, String> provenance) {
    Map<String, String> metadata = new LinkedHashMap<>();
    if (provenance != null) {
      metadata.putAll(provenance);
    }
    metadata.put("format", "shaver-model");
    metadata.put("format_version", FORMAT_VERSION);
    metadata.put("shaver_version", shaverVersion());
    metadata.put("created", Instant.now().toString());
    metadata.put("kind", config.kind().id());
    metadata.put("fields", Integer.toString(config.fieldCount()));
    metadata.put("rows", Integer.toString(config.rowCount()));
    metadata.put("embedding_dim", Integer.toString(config.embeddingDim()));
    return metadata;
  }

  /** Returns the project version from the build, or {@code unknown} outside a build. */
  static String shaverVersion() {
    try (InputStream in = ModelStore.class.getResourceAsStream("/io/shaver/version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to read io/shaver/version.properties", e);
    }
  }

  private static void deleteRecursively(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          LOG.warn("Failed to delete {}: {}", p, e.toString());
        }
      });
    } catch (IOException e) {
      LOG.warn("Failed to delete {}: {}", path, e.toString());
    }
  }
}
