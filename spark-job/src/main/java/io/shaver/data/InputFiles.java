package io.shaver.data;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * The input files of a source, resolved from configured paths through Hadoop's FileSystem, so
 * local paths, {@code file:} and {@code hdfs://} URIs all work.
 *
 * <p>A path may name a file, a directory (all files below it, recursively) or a glob. Hidden
 * files, whose name starts with '_' or '.' (such as {@code _SUCCESS}), are skipped, as Hadoop's
 * input formats skip them. The files come sorted by their qualified path; a file's position in
 * this list is its index in {@link RowKeys}.
 */
public final class InputFiles {

  private final List<FileStatus> files;

  private InputFiles(List<FileStatus> files) {
    this.files = List.copyOf(files);
  }

  /**
   * Resolves the configured paths.
   *
   * @throws InputDataException if a path matches nothing, no file remains, or a path cannot be
   *     listed; the message names the path
   */
  public static InputFiles resolve(List<String> paths, Configuration hadoopConf) {
    TreeMap<String, FileStatus> found = new TreeMap<>();
    for (String configured : paths) {
      Path path = new Path(configured);
      try {
        FileSystem fileSystem = path.getFileSystem(hadoopConf);
        FileStatus[] matches = fileSystem.globStatus(path);
        if (matches == null || matches.length == 0) {
          throw new InputDataException("Input path not found: " + configured
              + ". Check data.path (a file, a directory or a glob).");
        }
        for (FileStatus match : matches) {
          addFiles(fileSystem, match, found);
        }
      } catch (IOException e) {
        throw new InputDataException("Cannot list input path " + configured + ": "
            + e.getMessage(), e);
      }
    }
    if (found.isEmpty()) {
      throw new InputDataException("No input files under " + String.join(", ", paths)
          + " (hidden files starting with '_' or '.' are skipped). Check data.path.");
    }
    if (found.size() > RowKeys.MAX_FILES) {
      throw new InputDataException("Too many input files: " + found.size() + ", at most "
          + RowKeys.MAX_FILES + ". Merge files before preparing.");
    }
    return new InputFiles(new ArrayList<>(found.values()));
  }

  private static void addFiles(FileSystem fileSystem, FileStatus match,
      TreeMap<String, FileStatus> found) throws IOException {
    if (match.isFile()) {
      if (!isHidden(match.getPath())) {
        found.put(match.getPath().toString(), match);
      }
      return;
    }
    RemoteIterator<LocatedFileStatus> listing = fileSystem.listFiles(match.getPath(), true);
    String root = match.getPath().toUri().getPath();
    while (listing.hasNext()) {
      LocatedFileStatus status = listing.next();
      if (!hasHiddenPart(status.getPath(), root)) {
        found.put(status.getPath().toString(), status);
      }
    }
  }

  private static boolean isHidden(Path path) {
    String name = path.getName();
    return name.startsWith("_") || name.startsWith(".");
  }

  /** Returns whether the file or any directory between {@code root} and it is hidden. */
  private static boolean hasHiddenPart(Path file, String root) {
    String relative = file.toUri().getPath().substring(root.length());
    for (String part : relative.split("/")) {
      if (part.startsWith("_") || part.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  public List<Path> paths() {
    List<Path> paths = new ArrayList<>();
    for (FileStatus status : files) {
      paths.add(status.getPath());
    }
    return paths;
  }

  public int size() {
    return files.size();
  }

  /** Total size in bytes (compressed size for compressed files). */
  public long totalBytes() {
    long total = 0;
    for (FileStatus status : files) {
      total += status.getLen();
    }
    return total;
  }

  /** Returns the file with index {@code index}. */
  public Path path(int index) {
    return files.get(index).getPath();
  }

  /** Returns whether every file is empty (zero bytes). */
  public boolean allEmpty() {
    return totalBytes() == 0;
  }
}
