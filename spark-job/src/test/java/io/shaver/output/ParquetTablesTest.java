package io.shaver.output;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaver.testing.SharedSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetTablesTest {

  private static final StructType SCHEMA = new StructType()
      .add("label", DataTypes.IntegerType, false)
      .add("ids", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
      .add("token", DataTypes.StringType, true)
      .add("phi", DataTypes.DoubleType, false);

  private static List<Row> rows(int count) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rows.add(RowFactory.create(i % 2, List.of(i, i + 1, i + 2),
          i % 3 == 0 ? null : "t" + i, i * 0.5));
    }
    return rows;
  }

  @Test
  void writeReadsBackWithProvenance(@TempDir Path directory) {
    SparkSession spark = SharedSpark.get();
    Dataset<Row> input = spark.createDataFrame(rows(100), SCHEMA).repartition(3);
    Path target = directory.resolve("table");
    Provenance provenance = Provenance.of("test", "output: x\n", 42).with("rows", 100);

    long written = ParquetTables.write(input, new org.apache.hadoop.fs.Path(target.toString()),
        provenance);

    assertEquals(100, written);
    Dataset<Row> read = spark.read().parquet(target.toString());
    assertEquals(100, read.count());
    assertEquals(SCHEMA.fieldNames().length, read.schema().fields().length);
    Row first = read.where("label = 0 AND phi = 0.0").first();
    assertEquals(List.of(0, 1, 2), first.getList(first.fieldIndex("ids")));
    assertTrue(first.isNullAt(first.fieldIndex("token")));
    assertTrue(Files.exists(target.resolve(AtomicDirectory.SUCCESS_MARKER)));

    Map<String, String> metadata = ParquetTables.readMetadata(
        new org.apache.hadoop.fs.Path(target.toString()), new Configuration());
    assertEquals("42", metadata.get("shaver.seed"));
    assertEquals("test", metadata.get("shaver.stage"));
    assertEquals("100", metadata.get("shaver.rows"));
    assertEquals("output: x\n", metadata.get("shaver.config"));
  }

  @Test
  void sameRowsGiveIdenticalBytes(@TempDir Path directory) throws Exception {
    SparkSession spark = SharedSpark.get();
    Provenance provenance = Provenance.of("test", "", 1);
    Path first = directory.resolve("first");
    Path second = directory.resolve("second");

    ParquetTables.write(spark.createDataFrame(rows(50), SCHEMA).coalesce(1),
        new org.apache.hadoop.fs.Path(first.toString()), provenance);
    ParquetTables.write(spark.createDataFrame(rows(50), SCHEMA).coalesce(1),
        new org.apache.hadoop.fs.Path(second.toString()), provenance);

    assertArrayEquals(Files.readAllBytes(first.resolve("part-00000.parquet")),
        Files.readAllBytes(second.resolve("part-00000.parquet")));
  }

  @Test
  void failedWriteKeepsPreviousOutput(@TempDir Path directory) throws Exception {
    SparkSession spark = SharedSpark.get();
    Path target = directory.resolve("table");
    org.apache.hadoop.fs.Path hadoopTarget = new org.apache.hadoop.fs.Path(target.toString());
    ParquetTables.write(spark.createDataFrame(rows(10), SCHEMA), hadoopTarget,
        Provenance.of("test", "", 1));
    StructType unsupported = new StructType().add("when", DataTypes.DateType, true);
    Dataset<Row> bad = spark.createDataFrame(List.of(RowFactory.create((Object) null)),
        unsupported);

    assertThrows(Exception.class,
        () -> ParquetTables.write(bad, hadoopTarget, Provenance.of("test", "", 2)));

    assertEquals(10, spark.read().parquet(target.toString()).count());
    try (Stream<Path> siblings = Files.list(directory)) {
      assertFalse(siblings.anyMatch(p -> p.getFileName().toString().contains("staging")),
          "a staging directory was left behind");
    }
  }

  @Test
  void writeLocalSingleFile(@TempDir Path directory) {
    Path target = directory.resolve("local");

    long written = ParquetTables.writeLocal(rows(7), SCHEMA,
        new org.apache.hadoop.fs.Path(target.toString()), Provenance.of("test", "", 3),
        new Configuration());

    assertEquals(7, written);
    assertEquals(7, SharedSpark.get().read().parquet(target.toString()).count());
    assertEquals(1, ParquetTables.partFiles(new org.apache.hadoop.fs.Path(target.toString()),
        new Configuration()).size());
  }
}
