package io.shaver.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaver.output.Provenance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactTest {

  private static final Provenance PROVENANCE = Provenance.of("compress", "output: x\n", 7);

  private static PrunedTable prunedTable(EmbeddingTable table, long seed, int pruned) {
    double[] phi = SyntheticTables.tiedPhi(table.shape().parameters(), new Random(seed));
    return PrunedTable.build(table,
        PruneMask.prefix(Ranking.rank(table, phi, RankingKey.ABSOLUTE), pruned));
  }

  private static ArtifactReader writeAndRead(PrunedTable table, StorageFormat format, Path file) {
    long bytes = ArtifactWriter.write(table, format, PROVENANCE,
        new org.apache.hadoop.fs.Path(file.toString()), new Configuration());
    assertEquals(bytes, file.toFile().length());
    return ArtifactReader.open(file);
  }

  @Test
  void float32RebuildsServedTableExactly(@TempDir Path directory) {
    EmbeddingTable table = SyntheticTables.codebookTable(SyntheticTables.layout(40, 17, 3), 16,
        new Random(51));
    PrunedTable pruned = prunedTable(table, 52, 600);

    ArtifactReader artifact = writeAndRead(pruned, StorageFormat.FLOAT32,
        directory.resolve("table.arrow"));

    assertEquals(table.shape().rows(), artifact.rows());
    assertEquals(16, artifact.dimension());
    assertEquals(pruned.keptCount(), artifact.keptCount());
    float[] expected = new float[16];
    for (int row = 0; row < table.shape().rows(); row++) {
      pruned.servedRow(row, expected);
      float[] actual = artifact.lookup(row);
      for (int j = 0; j < 16; j++) {
        assertEquals(Float.floatToRawIntBits(expected[j]), Float.floatToRawIntBits(actual[j]),
            "row " + row + " dim " + j);
      }
    }
  }

  @Test
  void fp16AndInt8WithinTheirBounds(@TempDir Path directory) {
    EmbeddingTable table = SyntheticTables.codebookTable(SyntheticTables.layout(50, 30), 8,
        new Random(53));
    PrunedTable pruned = prunedTable(table, 54, 320);
    UniformQuantizer quantizer = UniformQuantizer.fit(pruned.valuesArray(), 8);

    ArtifactReader half = writeAndRead(pruned, StorageFormat.FP16, directory.resolve("h.arrow"));
    ArtifactReader int8 = writeAndRead(pruned, StorageFormat.INT8, directory.resolve("q.arrow"));

    for (int row = 0; row < table.shape().rows(); row++) {
      float[] halfRow = half.lookup(row);
      float[] int8Row = int8.lookup(row);
      for (int entry = pruned.keptStart(row); entry < pruned.keptEnd(row); entry++) {
        float value = pruned.keptValue(entry);
        int j = pruned.column(entry);
        double halfBound = Math.max(Math.abs(value) * 0x1p-11, 0x1p-25);
        assertTrue(Math.abs(halfRow[j] - value) <= halfBound, "fp16 at row " + row);
        double int8Bound = quantizer.scale() / 2.0 + Math.ulp(value);
        assertTrue(Math.abs(int8Row[j] - value) <= int8Bound, "int8 at row " + row);
      }
      int field = table.layout().fieldOf(row);
      for (int j = 0; j < 8; j++) {
        if (!isKept(pruned, row, j)) {
          assertEquals(table.codebookValue(field, j), halfRow[j], 0f, "codebook stays float32");
          assertEquals(table.codebookValue(field, j), int8Row[j], 0f, "codebook stays float32");
        }
      }
    }
    assertEquals("int8", int8.metadata().get(ArtifactSchema.KEY_VALUE_TYPE));
    assertEquals(StorageFormat.FP16, half.format());
  }

  private static boolean isKept(PrunedTable pruned, int row, int dim) {
    for (int entry = pruned.keptStart(row); entry < pruned.keptEnd(row); entry++) {
      if (pruned.column(entry) == dim) {
        return true;
      }
    }
    return false;
  }

  @Test
  void keptZeroServedAsZeroInEveryFormat(@TempDir Path directory) {
    FieldLayout layout = SyntheticTables.layout(2);
    float[] values = {0f, 0.5f, -1f, 0f};
    EmbeddingTable table = EmbeddingTable.withCodebook(layout, 2, values,
        new float[] {0.75f, -0.5f}, null);
    double[] phi = {9, 0, 9, 9};
    PrunedTable pruned = PrunedTable.build(table,
        PruneMask.prefix(Ranking.rank(table, phi, RankingKey.ABSOLUTE), 1));

    for (StorageFormat format : StorageFormat.values()) {
      ArtifactReader artifact = writeAndRead(pruned, format,
          directory.resolve(format.configName() + ".arrow"));
      float[] rows = artifact.lookup(new long[] {0, 1});

      assertEquals(0f, rows[0], 0f, format.configName());
      assertEquals(-0.5f, rows[1], 0f, format.configName());
      assertEquals(-1f, rows[2], 1f / 255, format.configName());
      assertEquals(0f, rows[3], 0f, format.configName());
    }
  }

  @Test
  void wideTableUsesInt16Columns(@TempDir Path directory) {
    EmbeddingTable table = SyntheticTables.codebookTable(SyntheticTables.layout(3, 2), 300,
        new Random(55));
    PrunedTable pruned = prunedTable(table, 56, 1000);

    ArtifactReader artifact = writeAndRead(pruned, StorageFormat.FLOAT32,
        directory.resolve("wide.arrow"));

    float[] expected = new float[300];
    for (int row = 0; row < 5; row++) {
      pruned.servedRow(row, expected);
      float[] actual = artifact.lookup(row);
      for (int j = 0; j < 300; j++) {
        assertEquals(expected[j], actual[j], 0f, "row " + row + " dim " + j);
      }
    }
  }

  @Test
  void sizeOnDiskTracksPayload(@TempDir Path directory) throws Exception {
    EmbeddingTable table = SyntheticTables.codebookTable(SyntheticTables.layout(2000, 1000), 16,
        new Random(57));
    PrunedTable pruned = prunedTable(table, 58, 24000);

    for (StorageFormat format : StorageFormat.values()) {
      Path file = directory.resolve(format.configName() + ".arrow");
      writeAndRead(pruned, format, file);
      long payload = new StorageCost(table.shape(), format).payloadBytes(pruned.keptCount());
      long onDisk = Files.size(file);

      assertTrue(onDisk >= payload, format + ": " + onDisk + " < payload " + payload);
      assertTrue(onDisk <= payload + 4096, format + ": " + onDisk + " vs payload " + payload);
      assertTrue(onDisk < table.shape().denseBytes(), format.configName());
    }
  }

  @Test
  void metadataCarriesProvenanceAndLayout(@TempDir Path directory) {
    EmbeddingTable table = SyntheticTables.codebookTable(SyntheticTables.layout(4, 5), 4,
        new Random(59));
    ArtifactReader artifact = writeAndRead(prunedTable(table, 60, 10), StorageFormat.FLOAT32,
        directory.resolve("t.arrow"));

    assertEquals("compress", artifact.metadata().get("shaver.stage"));
    assertEquals("7", artifact.metadata().get("shaver.seed"));
    assertEquals("9", artifact.metadata().get(ArtifactSchema.KEY_ROWS));
    assertEquals("26", artifact.metadata().get(ArtifactSchema.KEY_KEPT));
    assertEquals("codebook", artifact.metadata().get(ArtifactSchema.KEY_PLACEHOLDER));
    assertEquals(java.util.List.of("f0", "f1"), artifact.fieldNames());
    assertThrows(IndexOutOfBoundsException.class, () -> artifact.lookup(9));

    ArtifactReader throughHadoop = ArtifactReader.open(
        new org.apache.hadoop.fs.Path(directory.resolve("t.arrow").toString()), new Configuration());
    for (int row = 0; row < 9; row++) {
      assertEquals(java.util.Arrays.toString(artifact.lookup(row)),
          java.util.Arrays.toString(throughHadoop.lookup(row)), "row " + row);
    }
  }

  @Test
  void fp16OverflowRejected(@TempDir Path directory) {
    EmbeddingTable table = EmbeddingTable.withZeroPlaceholder(SyntheticTables.layout(1), 2,
        new float[] {1f, 70000f}, null);
    PrunedTable pruned = PrunedTable.build(table,
        PruneMask.prefix(Ranking.rank(table, new double[] {1, 1}, RankingKey.ABSOLUTE), 0));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> writeAndRead(pruned, StorageFormat.FP16, directory.resolve("o.arrow")));
    assertTrue(e.getMessage().contains("70000"), e.getMessage());
  }
}
