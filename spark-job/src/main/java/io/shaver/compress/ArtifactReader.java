package io.shaver.compress;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float2Vector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.util.ByteArrayReadableSeekableByteChannel;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.IOUtils;

/**
 * Reads a {@code table.arrow} artifact (see {@link ArtifactSchema}) into memory and rebuilds
 * embeddings by global row id, as an on-device server would.
 *
 * <p>A row is its field's codebook row, overwritten at each kept column by the kept value
 * (dequantized for int8, widened for fp16). A kept value of exactly 0.0 is served as 0.0, not as
 * the codebook value. Immutable after {@link #open}.
 */
public final class ArtifactReader {

  private final Map<String, String> metadata;
  private final StorageFormat format;
  private final int rows;
  private final int dimension;
  private final int[] fieldOffsets;
  private final List<String> fieldNames;
  private final float[] codebook;
  private final int[] rowPointers;
  private final int[] columns;
  private final float[] values;

  private ArtifactReader(Map<String, String> metadata, StorageFormat format, int dimension,
      int[] fieldOffsets, List<String> fieldNames, float[] codebook, int[] rowPointers,
      int[] columns, float[] values) {
    this.metadata = Map.copyOf(metadata);
    this.format = format;
    this.rows = rowPointers.length - 1;
    this.dimension = dimension;
    this.fieldOffsets = fieldOffsets;
    this.fieldNames = List.copyOf(fieldNames);
    this.codebook = codebook;
    this.rowPointers = rowPointers;
    this.columns = columns;
    this.values = values;
  }

  /**
   * Reads a local artifact file.
   *
   * @throws UncheckedIOException naming the file when it cannot be read or is not a valid
   *     artifact
   */
  public static ArtifactReader open(java.nio.file.Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return read(channel, file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to read artifact " + file + ": " + e.getMessage(), e);
    }
  }

  /** Reads an artifact from a Hadoop file system, loading the whole file into memory. */
  public static ArtifactReader open(Path file, Configuration hadoopConf) {
    try {
      FileSystem fileSystem = file.getFileSystem(hadoopConf);
      long length = fileSystem.getFileStatus(file).getLen();
      if (length > Integer.MAX_VALUE - 8) {
        throw new IOException("the file has " + length + " bytes, more than one array can hold");
      }
      byte[] bytes = new byte[(int) length];
      try (InputStream in = fileSystem.open(file)) {
        IOUtils.readFully(in, bytes, 0, bytes.length);
      }
      return read(new ByteArrayReadableSeekableByteChannel(bytes), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to read artifact " + file + ": " + e.getMessage(), e);
    }
  }

  private static ArtifactReader read(SeekableByteChannel channel, String name) throws IOException {
    try (BufferAllocator allocator = new RootAllocator();
        ArrowFileReader reader = new ArrowFileReader(channel, allocator)) {
      VectorSchemaRoot root = reader.getVectorSchemaRoot();
      Map<String, String> metadata = root.getSchema().getCustomMetadata();
      String version = metadata.get(ArtifactSchema.KEY_VERSION);
      if (!ArtifactSchema.VERSION.equals(version)) {
        throw new IOException("unsupported artifact version " + version + ", expected "
            + ArtifactSchema.VERSION);
      }
      if (!reader.loadNextBatch() || root.getRowCount() != 1) {
        throw new IOException("expected one record batch of one row");
      }
      StorageFormat format = StorageFormat.parse(metadata.get(ArtifactSchema.KEY_VALUE_TYPE));
      int dimension = Integer.parseInt(metadata.get(ArtifactSchema.KEY_DIMENSION));

      float[] values = readValues(root, format);
      int[] columns = readInts(list(root, ArtifactSchema.COLUMNS));
      int[] rowPointers = readInts(list(root, ArtifactSchema.ROW_POINTERS));
      float[] codebook = readFloats(list(root, ArtifactSchema.CODEBOOK));
      int[] fieldOffsets = readInts(list(root, ArtifactSchema.FIELD_OFFSETS));
      List<String> fieldNames = readStrings(list(root, ArtifactSchema.FIELD_NAMES));
      ArtifactReader artifact = new ArtifactReader(metadata, format, dimension, fieldOffsets,
          fieldNames, codebook, rowPointers, columns, values);
      artifact.validate();
      return artifact;
    } catch (RuntimeException e) {
      throw new IOException("invalid artifact " + name + ": " + e.getMessage(), e);
    }
  }

  private static float[] readValues(VectorSchemaRoot root, StorageFormat format) {
    ListVector list = list(root, ArtifactSchema.VALUES);
    if (format != StorageFormat.INT8) {
      return readFloats(list);
    }
    UniformQuantizer quantizer = new UniformQuantizer(8,
        ((Float4Vector) root.getVector(ArtifactSchema.SCALE)).get(0),
        ((IntVector) root.getVector(ArtifactSchema.ZERO_POINT)).get(0));
    int[] codes = readInts(list);
    float[] values = new float[codes.length];
    for (int i = 0; i < codes.length; i++) {
      values[i] = quantizer.dequantize(codes[i]);
    }
    return values;
  }

  private static ListVector list(VectorSchemaRoot root, String name) {
    FieldVector vector = root.getVector(name);
    if (!(vector instanceof ListVector list)) {
      throw new IllegalStateException("column '" + name + "' is missing or not a list");
    }
    return list;
  }

  private static float[] readFloats(ListVector list) {
    int start = list.getElementStartIndex(0);
    float[] out = new float[list.getElementEndIndex(0) - start];
    FieldVector child = (FieldVector) list.getDataVector();
    for (int i = 0; i < out.length; i++) {
      if (child instanceof Float4Vector floats) {
        out[i] = floats.get(start + i);
      } else if (child instanceof Float2Vector halves) {
        out[i] = Half.toFloat(halves.get(start + i));
      } else {
        throw new IllegalStateException("column '" + list.getName() + "' contains "
            + child.getField().getType() + ", expected float32 or float16");
      }
    }
    return out;
  }

  private static int[] readInts(ListVector list) {
    int start = list.getElementStartIndex(0);
    int[] out = new int[list.getElementEndIndex(0) - start];
    FieldVector child = (FieldVector) list.getDataVector();
    for (int i = 0; i < out.length; i++) {
      if (child instanceof IntVector ints) {
        out[i] = ints.get(start + i);
      } else if (child instanceof SmallIntVector shorts) {
        out[i] = shorts.get(start + i);
      } else if (child instanceof UInt1Vector bytes) {
        out[i] = bytes.get(start + i) & 0xFF;
      } else if (child instanceof TinyIntVector bytes) {
        out[i] = bytes.get(start + i);
      } else {
        throw new IllegalStateException("column '" + list.getName() + "' contains "
            + child.getField().getType() + ", expected an integer type");
      }
    }
    return out;
  }

  private static List<String> readStrings(ListVector list) {
    int start = list.getElementStartIndex(0);
    int end = list.getElementEndIndex(0);
    VarCharVector child = (VarCharVector) list.getDataVector();
    List<String> out = new ArrayList<>();
    for (int i = start; i < end; i++) {
      out.add(new String(child.get(i), StandardCharsets.UTF_8));
    }
    return out;
  }

  private void validate() {
    int fields = fieldNames.size();
    require(Integer.toString(rows).equals(metadata.get(ArtifactSchema.KEY_ROWS)), "row_pointers"
        + " describe " + rows + " rows, the metadata " + metadata.get(ArtifactSchema.KEY_ROWS));
    require(dimension >= 1, "dimension " + dimension + " must be positive");
    require(fieldOffsets.length == fields + 1, "field_offsets has " + fieldOffsets.length
        + " entries for " + fields + " fields");
    require(fieldOffsets[0] == 0 && fieldOffsets[fields] == rows, "field_offsets must run from 0"
        + " to the row count " + rows);
    require(codebook.length == (long) fields * dimension, "codebook has " + codebook.length
        + " values, expected m·d = " + (long) fields * dimension);
    require(columns.length == values.length, "columns and values differ in length");
    require(rowPointers[0] == 0 && rowPointers[rows] == values.length,
        "row_pointers must run from 0 to the kept count " + values.length);
    for (int row = 0; row < rows; row++) {
      require(rowPointers[row] <= rowPointers[row + 1], "row_pointers decrease at row " + row);
    }
    for (int column : columns) {
      require(column >= 0 && column < dimension, "column index " + column + " is outside [0, "
          + dimension + ")");
    }
  }

  private static void require(boolean condition, String problem) {
    if (!condition) {
      throw new IllegalStateException(problem);
    }
  }

  /** Returns the schema's key-value metadata: provenance and {@code shaver.artifact.*} keys. */
  public Map<String, String> metadata() {
    return metadata;
  }

  public StorageFormat format() {
    return format;
  }

  public int rows() {
    return rows;
  }

  public int dimension() {
    return dimension;
  }

  public int keptCount() {
    return values.length;
  }

  public List<String> fieldNames() {
    return fieldNames;
  }

  /**
   * Returns the embedding of global row {@code globalId} as served.
   *
   * @throws IndexOutOfBoundsException when the id is outside [0, n)
   */
  public float[] lookup(long globalId) {
    float[] out = new float[dimension];
    lookupInto(globalId, out, 0);
    return out;
  }

  /** Returns the embeddings of {@code globalIds}, row-major: ids.length × d. */
  public float[] lookup(long[] globalIds) {
    float[] out = new float[globalIds.length * dimension];
    for (int i = 0; i < globalIds.length; i++) {
      lookupInto(globalIds[i], out, i * dimension);
    }
    return out;
  }

  private void lookupInto(long globalId, float[] out, int at) {
    if (globalId < 0 || globalId >= rows) {
      throw new IndexOutOfBoundsException("global id " + globalId + " is outside [0, " + rows
          + ")");
    }
    int row = (int) globalId;
    int field = fieldOf(row);
    System.arraycopy(codebook, field * dimension, out, at, dimension);
    for (int entry = rowPointers[row]; entry < rowPointers[row + 1]; entry++) {
      out[at + columns[entry]] = values[entry];
    }
  }

  private int fieldOf(int row) {
    int low = 0;
    int high = fieldOffsets.length - 2;
    while (low < high) {
      int middle = (low + high + 1) >>> 1;
      if (fieldOffsets[middle] <= row) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return low;
  }
}
