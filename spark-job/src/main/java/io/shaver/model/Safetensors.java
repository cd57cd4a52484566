package io.shaver.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reader and writer of the safetensors format.
 *
 * <p>Layout: an unsigned 64-bit little-endian header length {@code N}, then {@code N} bytes of
 * UTF-8 JSON (padded with spaces), then the data buffer. The header maps each tensor name to
 * {@code {"dtype", "shape", "data_offsets": [begin, end]}}, offsets relative to the start of
 * the data buffer, and may carry a {@code "__metadata__"} object of string values. Data is
 * little-endian and row-major.
 *
 * <p>The reader decodes F64, F32, F16 and BF16 to {@code float} and I64, I32, I16, I8 to
 * {@code long}. It keeps other types as undecoded tensors so that a loader can name them. The
 * writer stores floating tensors as F32 and integer tensors as I64, in the map's order, and
 * pads the header to a multiple of 8 bytes.
 */
public final class Safetensors {

  /** Header key of the string-to-string metadata map. */
  public static final String METADATA_KEY = "__metadata__";

  private static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
  private static final int CHUNK_BYTES = 1 << 22;
  private static final ObjectMapper JSON = new ObjectMapper();

  private Safetensors() {}

  /** Tensors in header order, and the metadata map (empty if the header has none). */
  public record Content(Map<String, Tensor> tensors, Map<String, String> metadata) {}

  /**
   * Reads a whole safetensors file.
   *
   * @throws IOException if the file cannot be read or is not valid safetensors. The message
   *     names the file, and the tensor where one is at fault.
   */
  public static Content read(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long fileSize = channel.size();
      if (fileSize < 8) {
        throw new IOException(file + ": invalid safetensors file: " + fileSize
            + " bytes is shorter than the 8-byte header length");
      }
      ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(channel, lengthBytes, 0);
      long headerLength = lengthBytes.flip().getLong();
      if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || 8 + headerLength > fileSize) {
        throw new IOException(file + ": invalid safetensors header length " + headerLength
            + " for a file of " + fileSize + " bytes");
      }
      ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
      readFully(channel, headerBytes, 8);
      JsonNode header;
      try {
        header = JSON.readTree(new String(headerBytes.array(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new IOException(file + ": invalid safetensors header JSON: " + e.getMessage(), e);
      }
      if (header == null || !header.isObject()) {
        throw new IOException(file + ": invalid safetensors header: expected a JSON object");
      }
      long dataStart = 8 + headerLength;
      return parse(file, channel, header, dataStart, fileSize - dataStart);
    }
  }

  private static Content parse(Path file, FileChannel channel, JsonNode header, long dataStart,
      long dataSize) throws IOException {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String name = entry.getKey();
      if (METADATA_KEY.equals(name)) {
        readMetadata(file, entry.getValue(), metadata);
        continue;
      }
      TensorEntry parsed = TensorEntry.parse(file, name, entry.getValue(), dataSize);
      tensors.put(name, readTensor(channel, parsed, dataStart));
    }
    return new Content(tensors, metadata);
  }

  private static void readMetadata(Path file, JsonNode node, Map<String, String> out)
      throws IOException {
    if (!node.isObject()) {
      throw new IOException(file + ": invalid " + METADATA_KEY + ": expected a JSON object");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> item = it.next();
      if (!item.getValue().isTextual()) {
        throw new IOException(file + ": invalid " + METADATA_KEY + " value for key '"
            + item.getKey() + "': expected a string, found " + item.getValue());
      }
      out.put(item.getKey(), item.getValue().textValue());
    }
  }

  /** Parsed header entry of one tensor. */
  private record TensorEntry(String name, DType dtype, long[] shape, long begin, long end) {

    static TensorEntry parse(Path file, String name, JsonNode node, long dataSize)
        throws IOException {
      String where = file + ": tensor '" + name + "': ";
      if (!node.isObject()) {
        throw new IOException(where + "invalid header entry " + node);
      }
      JsonNode dtypeNode = node.get("dtype");
      JsonNode shapeNode = node.get("shape");
      JsonNode offsetsNode = node.get("data_offsets");
      if (dtypeNode == null || shapeNode == null || offsetsNode == null) {
        throw new IOException(where + "header entry needs dtype, shape and data_offsets: " + node);
      }
      DType dtype;
      try {
        dtype = DType.fromName(dtypeNode.asText());
      } catch (IllegalArgumentException e) {
        throw new IOException(where + e.getMessage(), e);
      }
      if (!shapeNode.isArray() || !offsetsNode.isArray() || offsetsNode.size() != 2) {
        throw new IOException(where + "invalid shape or data_offsets in " + node);
      }
      long[] shape = new long[shapeNode.size()];
      for (int i = 0; i < shape.length; i++) {
        JsonNode size = shapeNode.get(i);
        if (!size.canConvertToLong() || !size.isIntegralNumber() || size.longValue() < 0) {
          throw new IOException(where + "invalid shape " + shapeNode);
        }
        shape[i] = size.longValue();
      }
      long begin = offsetsNode.get(0).asLong(-1);
      long end = offsetsNode.get(1).asLong(-1);
      long bytes = Math.multiplyExact(Tensor.elementCount(shape), (long) dtype.byteSize());
      if (begin < 0 || end < begin || end > dataSize || end - begin != bytes) {
        throw new IOException(where + "invalid data_offsets [" + begin + ", " + end + "] for "
            + dtype + " " + shapeNode + " (" + bytes + " bytes) in a data buffer of "
            + dataSize + " bytes");
      }
      if (dtype.category() != DType.Category.OTHER && bytes / dtype.byteSize() > Integer.MAX_VALUE - 8) {
        throw new IOException(where + "too many elements for one Java array: " + bytes / dtype.byteSize());
      }
      return new TensorEntry(name, dtype, shape, begin, end);
    }
  }

  private static Tensor readTensor(FileChannel channel, TensorEntry entry, long dataStart)
      throws IOException {
    DType dtype = entry.dtype();
    int count = (int) Tensor.elementCount(entry.shape());
    if (dtype.category() == DType.Category.OTHER) {
      return Tensor.undecoded(dtype, entry.shape());
    }
    float[] floats = dtype.isFloating() ? new float[count] : null;
    long[] longs = dtype.isInteger() ? new long[count] : null;
    int elementsPerChunk = CHUNK_BYTES / dtype.byteSize();
    ByteBuffer chunk = ByteBuffer.allocate(Math.min(CHUNK_BYTES, Math.max(8, count * dtype.byteSize())))
        .order(ByteOrder.LITTLE_ENDIAN);
    long position = dataStart + entry.begin();
    for (int done = 0; done < count; ) {
      int n = Math.min(elementsPerChunk, count - done);
      chunk.clear().limit(n * dtype.byteSize());
      readFully(channel, chunk, position);
      chunk.flip();
      if (floats != null) {
        decodeFloats(dtype, chunk, floats, done, n);
      } else {
        decodeLongs(dtype, chunk, longs, done, n);
      }
      position += (long) n * dtype.byteSize();
      done += n;
    }
    return floats != null ? Tensor.ofFloats(dtype, floats, entry.shape())
        : Tensor.ofLongs(dtype, longs, entry.shape());
  }

  private static void decodeFloats(DType dtype, ByteBuffer in, float[] out, int offset, int n) {
    switch (dtype) {
      case F32 -> in.asFloatBuffer().get(out, offset, n);
      case F64 -> {
        for (int i = 0; i < n; i++) {
          out[offset + i] = (float) in.getDouble();
        }
      }
      case F16 -> {
        for (int i = 0; i < n; i++) {
          out[offset + i] = HalfFloats.halfToFloat(in.getShort());
        }
      }
      case BF16 -> {
        for (int i = 0; i < n; i++) {
          out[offset + i] = HalfFloats.bfloat16ToFloat(in.getShort());
        }
      }
      default -> throw new IllegalStateException("Not a floating dtype: " + dtype);
    }
  }

  private static void decodeLongs(DType dtype, ByteBuffer in, long[] out, int offset, int n) {
    for (int i = 0; i < n; i++) {
      out[offset + i] = switch (dtype) {
        case I64 -> in.getLong();
        case I32 -> in.getInt();
        case I16 -> in.getShort();
        case I8 -> in.get();
        default -> throw new IllegalStateException("Not an integer dtype: " + dtype);
      };
    }
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position)
      throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      int read = channel.read(buffer, at);
      if (read < 0) {
        throw new EOFException("Unexpected end of safetensors file at byte " + at);
      }
      at += read;
    }
  }

  /**
   * Writes tensors and metadata to {@code file}, replacing it.
   *
   * <p>Floating tensors are stored as F32 and integer tensors as I64. A tensor of another type
   * (which has no decoded values) is rejected.
   *
   * @throws IllegalArgumentException if a tensor has no decoded values or a name is the
   *     metadata key
   */
  public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata)
      throws IOException {
    ObjectNode header = JSON.createObjectNode();
    if (metadata != null && !metadata.isEmpty()) {
      ObjectNode meta = header.putObject(METADATA_KEY);
      metadata.forEach(meta::put);
    }
    List<Map.Entry<String, Tensor>> entries = new ArrayList<>(tensors.entrySet());
    long offset = 0;
    for (Map.Entry<String, Tensor> entry : entries) {
      Tensor tensor = entry.getValue();
      if (METADATA_KEY.equals(entry.getKey())) {
        throw new IllegalArgumentException("Invalid tensor name " + METADATA_KEY);
      }
      if (tensor.dtype().category() == DType.Category.OTHER) {
        throw new IllegalArgumentException("Cannot write tensor '" + entry.getKey()
            + "' of dtype " + tensor.dtype() + ": only floating and integer tensors are supported");
      }
      DType stored = tensor.dtype().isFloating() ? DType.F32 : DType.I64;
      long bytes = tensor.elementCount() * stored.byteSize();
      ObjectNode node = header.putObject(entry.getKey());
      node.put("dtype", stored.name());
      ArrayNode shape = node.putArray("shape");
      for (long size : tensor.shape()) {
        shape.add(size);
      }
      node.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    byte[] headerJson = JSON.writeValueAsBytes(header);
    int padded = (headerJson.length + 7) / 8 * 8;
    ByteBuffer prefix = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
    prefix.putLong(padded).put(headerJson);
    while (prefix.hasRemaining()) {
      prefix.put((byte) ' ');
    }
    prefix.flip();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      writeFully(channel, prefix);
      ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      for (Map.Entry<String, Tensor> entry : entries) {
        writeData(channel, entry.getValue(), chunk);
      }
      channel.force(true);
    }
  }

  private static void writeData(FileChannel channel, Tensor tensor, ByteBuffer chunk)
      throws IOException {
    if (tensor.dtype().isFloating()) {
      float[] values = tensor.floats();
      int perChunk = chunk.capacity() / 4;
      for (int done = 0; done < values.length; done += perChunk) {
        int n = Math.min(perChunk, values.length - done);
        chunk.clear();
        chunk.asFloatBuffer().put(values, done, n);
        chunk.limit(n * 4);
        writeFully(channel, chunk);
      }
    } else {
      long[] values = tensor.longs();
      int perChunk = chunk.capacity() / 8;
      for (int done = 0; done < values.length; done += perChunk) {
        int n = Math.min(perChunk, values.length - done);
        chunk.clear();
        chunk.asLongBuffer().put(values, done, n);
        chunk.limit(n * 8);
        writeFully(channel, chunk);
      }
    }
  }

  private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }
}
