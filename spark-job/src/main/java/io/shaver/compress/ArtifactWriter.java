package io.shaver.compress;

import io.shaver.output.Provenance;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.ArrowBuf;
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
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes a {@link PrunedTable} as the on-device artifact described in {@link ArtifactSchema}.
 *
 * <p>Kept values are stored as float32, as IEEE half precision (rounded to nearest even), or
 * as int8 codes of a {@link UniformQuantizer} fitted to the kept values alone.
 */
public final class ArtifactWriter {

  private static final ArrowType FLOAT32 =
      new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
  private static final ArrowType FLOAT16 = new ArrowType.FloatingPoint(FloatingPointPrecision.HALF);
  private static final ArrowType INT8 = new ArrowType.Int(8, true);
  private static final ArrowType UINT8 = new ArrowType.Int(8, false);
  private static final ArrowType INT16 = new ArrowType.Int(16, true);
  private static final ArrowType INT32 = new ArrowType.Int(32, true);

  private ArtifactWriter() {
  }

  /**
   * Writes the artifact to {@code file} on a Hadoop file system, replacing any file there.
   *
   * @return the file's size in bytes
   * @throws IllegalArgumentException for fp16 when a kept value's magnitude rounds to infinity
   *     (65520 or more)
   */
  public static long write(PrunedTable table, StorageFormat format, Provenance provenance,
      Path file, Configuration hadoopConf) {
    try {
      FileSystem fileSystem = file.getFileSystem(hadoopConf);
      try (OutputStream out = fileSystem.create(file, true)) {
        write(table, format, provenance, Channels.newChannel(out));
      }
      return fileSystem.getFileStatus(file).getLen();
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to write artifact " + file + ": " + e.getMessage(), e);
    }
  }

  /** Writes the artifact to {@code channel}, which the caller closes. */
  public static void write(PrunedTable table, StorageFormat format, Provenance provenance,
      WritableByteChannel channel) throws IOException {
    TableShape shape = table.table().shape();
    Map<String, String> metadata = new LinkedHashMap<>(provenance.asMap());
    metadata.put(ArtifactSchema.KEY_VERSION, ArtifactSchema.VERSION);
    metadata.put(ArtifactSchema.KEY_VALUE_TYPE, format.configName());
    metadata.put(ArtifactSchema.KEY_ROWS, Integer.toString(shape.rows()));
    metadata.put(ArtifactSchema.KEY_DIMENSION, Integer.toString(shape.dimension()));
    metadata.put(ArtifactSchema.KEY_FIELDS, Integer.toString(shape.fields()));
    metadata.put(ArtifactSchema.KEY_KEPT, Integer.toString(table.keptCount()));
    metadata.put(ArtifactSchema.KEY_PLACEHOLDER, table.table().placeholderKind().configName());

    try (BufferAllocator allocator = new RootAllocator()) {
      List<FieldVector> vectors = new ArrayList<>();
      try {
        addColumns(table, format, allocator, vectors);
        List<Field> fields = vectors.stream().map(FieldVector::getField).toList();
        VectorSchemaRoot root = new VectorSchemaRoot(new Schema(fields, metadata), vectors, 1);
        try (CompactFileWriter writer = new CompactFileWriter(root, channel)) {
          writer.start();
          writer.writeWithoutValidity(vectors, 1, allocator);
          writer.end();
        }
      } finally {
        vectors.forEach(FieldVector::close);
      }
    }
  }

  private static void addColumns(PrunedTable table, StorageFormat format,
      BufferAllocator allocator, List<FieldVector> vectors) {
    EmbeddingTable source = table.table();
    TableShape shape = source.shape();
    float[] values = table.valuesArray();
    short[] columns = table.columnsArray();
    UniformQuantizer quantizer =
        format == StorageFormat.INT8 ? UniformQuantizer.fit(values, 8) : null;

    switch (format) {
      case FLOAT32 -> vectors.add(list(ArtifactSchema.VALUES, FLOAT32, values.length, allocator,
          child -> fillFloats((Float4Vector) child, values)));
      case FP16 -> vectors.add(list(ArtifactSchema.VALUES, FLOAT16, values.length, allocator,
          child -> fillHalves((Float2Vector) child, values)));
      case INT8 -> {
        byte[] codes = quantizer.quantizeToBytes(values);
        vectors.add(list(ArtifactSchema.VALUES, INT8, codes.length, allocator, child -> {
          TinyIntVector vector = (TinyIntVector) child;
          for (int i = 0; i < codes.length; i++) {
            vector.set(i, codes[i]);
          }
        }));
      }
    }
    if (shape.columnIndexBytes() == 1) {
      vectors.add(list(ArtifactSchema.COLUMNS, UINT8, columns.length, allocator, child -> {
        UInt1Vector vector = (UInt1Vector) child;
        for (int i = 0; i < columns.length; i++) {
          vector.set(i, columns[i]);
        }
      }));
    } else {
      vectors.add(list(ArtifactSchema.COLUMNS, INT16, columns.length, allocator, child -> {
        SmallIntVector vector = (SmallIntVector) child;
        for (int i = 0; i < columns.length; i++) {
          vector.set(i, columns[i]);
        }
      }));
    }
    int[] rowPointers = table.rowPointersArray();
    vectors.add(list(ArtifactSchema.ROW_POINTERS, INT32, rowPointers.length, allocator,
        child -> fillInts((IntVector) child, rowPointers)));
    float[] codebook = source.codebookArray();
    vectors.add(list(ArtifactSchema.CODEBOOK, FLOAT32, codebook.length, allocator,
        child -> fillFloats((Float4Vector) child, codebook)));
    int[] offsets = source.layout().offsets();
    vectors.add(list(ArtifactSchema.FIELD_OFFSETS, INT32, offsets.length, allocator,
        child -> fillInts((IntVector) child, offsets)));
    List<String> names = source.layout().names();
    vectors.add(list(ArtifactSchema.FIELD_NAMES, ArrowType.Utf8.INSTANCE, names.size(), allocator,
        child -> {
          VarCharVector vector = (VarCharVector) child;
          for (int i = 0; i < names.size(); i++) {
            vector.setSafe(i, names.get(i).getBytes(StandardCharsets.UTF_8));
          }
        }));
    if (quantizer != null) {
      Float4Vector scale = new Float4Vector(notNull(ArtifactSchema.SCALE, FLOAT32), allocator);
      scale.allocateNew(1);
      scale.set(0, quantizer.scale());
      scale.setValueCount(1);
      vectors.add(scale);
      IntVector zeroPoint = new IntVector(notNull(ArtifactSchema.ZERO_POINT, INT32), allocator);
      zeroPoint.allocateNew(1);
      zeroPoint.set(0, quantizer.zeroPoint());
      zeroPoint.setValueCount(1);
      vectors.add(zeroPoint);
    }
  }

  private static void fillFloats(Float4Vector vector, float[] values) {
    for (int i = 0; i < values.length; i++) {
      vector.set(i, values[i]);
    }
  }

  private static void fillHalves(Float2Vector vector, float[] values) {
    for (int i = 0; i < values.length; i++) {
      if (Math.abs(values[i]) > Half.MAX_VALUE) {
        short rounded = Half.fromFloat(values[i]);
        if (Float.isInfinite(Half.toFloat(rounded))) {
          throw new IllegalArgumentException("kept value " + values[i] + " (entry " + i
              + ") overflows fp16, whose largest finite value is 65504; use float32 or int8");
        }
      }
      vector.set(i, Half.fromFloat(values[i]));
    }
  }

  private static void fillInts(IntVector vector, int[] values) {
    for (int i = 0; i < values.length; i++) {
      vector.set(i, values[i]);
    }
  }

  @FunctionalInterface
  private interface ChildFiller {
    void fill(FieldVector child);
  }

  /** Builds a one-row list column whose single list contains {@code count} elements. */
  private static ListVector list(String name, ArrowType elementType, int count,
      BufferAllocator allocator, ChildFiller filler) {
    ListVector list = new ListVector(notNull(name, ArrowType.List.INSTANCE), allocator, null);
    try {
      list.initializeChildrenFromFields(List.of(notNull(ArtifactSchema.ITEM, elementType)));
      list.allocateNew();
      FieldVector child = (FieldVector) list.getDataVector();
      child.setInitialCapacity(count);
      child.allocateNew();
      filler.fill(child);
      child.setValueCount(count);
      list.startNewValue(0);
      list.endValue(0, count);
      list.setValueCount(1);
      return list;
    } catch (RuntimeException e) {
      list.close();
      throw e;
    }
  }

  /**
   * An Arrow file writer that omits the validity bitmaps of columns without nulls (none here has
   * nulls). The IPC format allows a zero-length validity buffer when the null count is 0, and
   * Arrow readers then treat every value as valid. The writer of arrow-vector 19.0.0 writes the
   * bitmaps anyway, which costs 1/8 byte per value per column, about 12.5% of an int8 payload.
   *
   * <p>NOTE: the tests read these files with Arrow Java 19.0.0 only; no non-Java reader
   * (pyarrow, Arrow C++) has been run on them yet.
   */
  private static final class CompactFileWriter extends ArrowFileWriter {

    CompactFileWriter(VectorSchemaRoot root, WritableByteChannel channel) {
      super(root, null, channel);
    }

    void writeWithoutValidity(List<FieldVector> vectors, int rowCount, BufferAllocator allocator)
        throws IOException {
      List<ArrowFieldNode> nodes = new ArrayList<>();
      List<ArrowBuf> buffers = new ArrayList<>();
      try (ArrowBuf empty = allocator.buffer(0)) {
        for (FieldVector vector : vectors) {
          append(vector, nodes, buffers, empty);
        }
        try (ArrowRecordBatch batch = new ArrowRecordBatch(rowCount, nodes, buffers)) {
          writeRecordBatch(batch);
        }
      }
    }

    private static void append(FieldVector vector, List<ArrowFieldNode> nodes,
        List<ArrowBuf> buffers, ArrowBuf empty) {
      if (vector.getNullCount() != 0) {
        throw new IllegalStateException("column " + vector.getName() + " has nulls");
      }
      nodes.add(new ArrowFieldNode(vector.getValueCount(), 0));
      List<ArrowBuf> fieldBuffers = vector.getFieldBuffers();
      // Every column type used here (fixed width, utf8, list) has its validity bitmap first.
      buffers.add(empty);
      buffers.addAll(fieldBuffers.subList(1, fieldBuffers.size()));
      for (FieldVector child : vector.getChildrenFromFields()) {
        append(child, nodes, buffers, empty);
      }
    }
  }

  private static Field notNull(String name, ArrowType type) {
    return new Field(name, FieldType.notNullable(type), null);
  }
}
