package io.shaver.output;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An output directory that appears complete or not at all.
 *
 * <p>Writers fill {@link #staging()}, a hidden sibling of the final path; {@link #commit()}
 * writes a {@code _SUCCESS} marker into it and renames it into place. A directory without the
 * marker is never treated as complete, and {@link #abort()} deletes the staging directory.
 * Works on any Hadoop file system with atomic directory rename (local, HDFS). On object stores
 * without atomic rename the final rename is a copy, so a crash during it can leave a partial
 * directory, but never one with a {@code _SUCCESS} marker written by this class.
 *
 * <p>A process killed while writing leaves its staging directory behind. The next
 * {@link #begin} for the same target deletes such leftovers. It keeps an old output that
 * {@link #commit()} had moved aside (a {@code .previous} suffix), since that can be the only
 * copy.
 */
public final class AtomicDirectory implements AutoCloseable {

  public static final String SUCCESS_MARKER = "_SUCCESS";

  private static final String PREVIOUS_SUFFIX = ".previous";

  private static final Logger LOG = LoggerFactory.getLogger(AtomicDirectory.class);

  private final FileSystem fileSystem;
  private final Path target;
  private final Path staging;
  private boolean finished;

  private AtomicDirectory(FileSystem fileSystem, Path target, Path staging) {
    this.fileSystem = fileSystem;
    this.target = target;
    this.staging = staging;
  }

  /**
   * Creates the staging directory for {@code target}.
   *
   * @throws UncheckedIOException if the parent cannot be created or is not writable; the
   *     message names the path
   */
  public static AtomicDirectory begin(Path target, Configuration hadoopConf) {
    try {
      FileSystem fileSystem = target.getFileSystem(hadoopConf);
      Path qualified = fileSystem.makeQualified(target);
      deleteLeftovers(fileSystem, qualified);
      Path staging = new Path(qualified.getParent(),
          stagingPrefix(qualified) + UUID.randomUUID());
      if (!fileSystem.mkdirs(staging)) {
        throw new IOException("mkdirs returned false");
      }
      return new AtomicDirectory(fileSystem, qualified, staging);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create output directory next to " + target
          + ": " + e.getMessage() + ". Check that the output path is writable.", e);
    }
  }

  private static String stagingPrefix(Path target) {
    return "." + target.getName() + ".staging-";
  }

  /** Deletes the staging directories of earlier writes of {@code target} that never finished. */
  private static void deleteLeftovers(FileSystem fileSystem, Path target) throws IOException {
    Path parent = target.getParent();
    if (!fileSystem.exists(parent)) {
      return;
    }
    String prefix = stagingPrefix(target);
    FileStatus[] leftovers = fileSystem.listStatus(parent, path ->
        path.getName().startsWith(prefix) && !path.getName().endsWith(PREVIOUS_SUFFIX));
    for (FileStatus leftover : leftovers) {
      LOG.info("Deleting {}, left by an interrupted write of {}", leftover.getPath(), target);
      fileSystem.delete(leftover.getPath(), true);
    }
  }

  /** Returns whether {@code directory} contains a complete output (a {@code _SUCCESS} marker). */
  public static boolean isComplete(Path directory, Configuration hadoopConf) {
    try {
      FileSystem fileSystem = directory.getFileSystem(hadoopConf);
      return fileSystem.exists(new Path(directory, SUCCESS_MARKER));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + directory + ": " + e.getMessage(), e);
    }
  }

  public Path staging() {
    return staging;
  }

  public Path target() {
    return target;
  }

  public FileSystem fileSystem() {
    return fileSystem;
  }

  /** Marks the staging directory complete and renames it to the target, replacing any old one. */
  public void commit() {
    try {
      fileSystem.create(new Path(staging, SUCCESS_MARKER), true).close();
      fileSystem.mkdirs(target.getParent());

      // The old output moves aside first, so a failed rename can put it back.
      Path previous = null;
      if (fileSystem.exists(target)) {
        previous = new Path(staging.getParent(), staging.getName() + PREVIOUS_SUFFIX);
        if (!fileSystem.rename(target, previous)) {
          throw new IOException("rename of the old output " + target + " returned false");
        }
      }
      if (!fileSystem.rename(staging, target)) {
        if (previous != null) {
          fileSystem.rename(previous, target);
        }
        throw new IOException("rename from " + staging + " returned false");
      }
      finished = true;
      if (previous != null) {
        fileSystem.delete(previous, true);
      }
    } catch (IOException e) {
      abort();
      throw new UncheckedIOException("Failed to publish " + target + ": " + e.getMessage(), e);
    }
  }

  /** Deletes the staging directory; the target, if it existed, is left as it was. */
  public void abort() {
    if (finished) {
      return;
    }
    finished = true;
    try {
      fileSystem.delete(staging, true);
    } catch (IOException e) {
      LOG.warn("Failed to delete staging directory {}: {}", staging, e.toString());
    }
  }

  /** Aborts unless {@link #commit()} succeeded. */
  @Override
  public void close() {
    abort();
  }
}
