package io.shaver.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {

  @TempDir
  Path directory;

  @Test
  void writeThenReadRoundTrips() throws IOException {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("a", Tensor.ofFloats(new float[] {1.5f, -2f, 3.25f, 0f, 1e-30f, -7f}, 2, 3));
    tensors.put("b", Tensor.ofLongs(new long[] {4, -5}, 1, 2));
    tensors.put("scalar", Tensor.ofLongs(new long[] {42}));
    Path file = directory.resolve("x.safetensors");

    Safetensors.write(file, tensors, Map.of("seed", "7"));
    Safetensors.Content content = Safetensors.read(file);

    assertEquals(List.of("a", "b", "scalar"), List.copyOf(content.tensors().keySet()));
    assertArrayEquals(tensors.get("a").floats(), content.tensors().get("a").floats());
    assertArrayEquals(new long[] {2, 3}, content.tensors().get("a").shape());
    assertArrayEquals(new long[] {4, -5}, content.tensors().get("b").longs());
    assertArrayEquals(new long[0], content.tensors().get("scalar").shape());
    assertEquals(42L, content.tensors().get("scalar").longs()[0]);
    assertEquals("7", content.metadata().get("seed"));
  }

  @Test
  void headerIsPaddedToEightBytes() throws IOException {
    Path file = directory.resolve("pad.safetensors");

    Safetensors.write(file, Map.of("t", Tensor.ofFloats(new float[] {1f}, 1)), Map.of());

    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    long headerLength = bytes.getLong();
    assertEquals(0, headerLength % 8);
    assertEquals(8 + headerLength + 4, Files.size(file));
  }

  @Test
  void halfPrecisionDecodesExactly() {
    assertEquals(1.0f, HalfFloats.halfToFloat((short) 0x3C00));
    assertEquals(-2.0f, HalfFloats.halfToFloat((short) 0xC000));
    assertEquals(65504f, HalfFloats.halfToFloat((short) 0x7BFF));
    assertEquals(0x1p-24f, HalfFloats.halfToFloat((short) 0x0001));
    assertEquals(0x1p-14f, HalfFloats.halfToFloat((short) 0x0400));
    assertEquals(Float.POSITIVE_INFINITY, HalfFloats.halfToFloat((short) 0x7C00));
    assertEquals(Float.NEGATIVE_INFINITY, HalfFloats.halfToFloat((short) 0xFC00));
    assertTrue(Float.isNaN(HalfFloats.halfToFloat((short) 0x7E00)));
    assertEquals(Float.floatToIntBits(-0f),
        Float.floatToIntBits(HalfFloats.halfToFloat((short) 0x8000)));
  }

  @Test
  void bfloat16DecodesExactly() {
    assertEquals(1.0f, HalfFloats.bfloat16ToFloat((short) 0x3F80));
    assertEquals(-3.140625f, HalfFloats.bfloat16ToFloat((short) 0xC049));
  }

  @Test
  void goldenHalfFilesDecodeToFloats() throws IOException {
    Safetensors.Content half = Safetensors.read(
        Golden.directory("deepfm_bn_f16").resolve(ModelStore.WEIGHTS_FILE));
    Safetensors.Content brain = Safetensors.read(
        Golden.directory("dcn_mix_bf16").resolve(ModelStore.WEIGHTS_FILE));

    assertEquals(DType.F16, half.tensors().get("embedding.weight").dtype());
    assertEquals(DType.I64, half.tensors().get("offsets").dtype());
    assertEquals(DType.BF16, brain.tensors().get("cross_head.U.0").dtype());
    assertEquals(100, half.tensors().get("embedding.weight").floats().length);
  }

  @Test
  void truncatedHeaderIsRejected() throws IOException {
    Path file = directory.resolve("bad.safetensors");
    ByteBuffer bytes = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    bytes.putLong(1000).put("{}      ".getBytes(StandardCharsets.UTF_8));
    Files.write(file, bytes.array());

    IOException error = assertThrows(IOException.class, () -> Safetensors.read(file));

    assertTrue(error.getMessage().contains("header length 1000"), error.getMessage());
  }

  @Test
  void offsetsBeyondDataNameTheTensor() throws IOException {
    Path file = directory.resolve("short.safetensors");
    byte[] header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}"
        .getBytes(StandardCharsets.UTF_8);
    ByteBuffer bytes = ByteBuffer.allocate(8 + header.length + 8).order(ByteOrder.LITTLE_ENDIAN);
    bytes.putLong(header.length).put(header);
    Files.write(file, bytes.array());

    IOException error = assertThrows(IOException.class, () -> Safetensors.read(file));

    assertTrue(error.getMessage().contains("tensor 'w'"), error.getMessage());
    assertTrue(error.getMessage().contains("data_offsets [0, 16]"), error.getMessage());
  }
}
