package io.shaver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shaver.model.CtrModels;
import io.shaver.model.ModelConfig;
import io.shaver.model.ModelKind;
import io.shaver.model.ModelStore;
import io.shaver.testing.SharedSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code shaver estimate} on prepared data and a stored model, in the test JVM's session. */
class EstimateCommandTest {

  private record Result(int exitCode, String out, String err) {
  }

  @Test
  void estimatesAndResumes(@TempDir Path run) throws Exception {
    SparkSession spark = SharedSpark.get();
    writePrepared(spark, run);
    ModelConfig architecture = ModelConfig.builder().kind(ModelKind.DEEPFM).embeddingDim(2)
        .hiddenSizes(List.of(4)).addField("a", 3).addField("b", 2).build();
    ModelStore.save(run.resolve("model"), architecture,
        CtrModels.randomStateDict(architecture, 9, 0.3), Map.of());
    Path config = run.resolve("job.yaml");
    Files.writeString(config, "output: " + run + "\ndata: {path: raw.txt}\n"
        + "estimate: {max_passes: 2, threshold: 1e-9, batch_size: 4, partitions: 2}\n");

    Result first = run("estimate", "--config", config.toString(), "--set",
        "estimate.max_passes=1");
    Result resumed = run("estimate", "--config", config.toString(), "--resume");

    assertEquals(0, first.exitCode(), first.err());
    assertTrue(first.out().contains("1 passes, 12 samples"), first.out());
    assertEquals(0, resumed.exitCode(), resumed.err());
    assertTrue(resumed.out().contains("2 passes, 24 samples"), resumed.out());
    assertEquals(5 * 2, spark.read().parquet(run.resolve("shapley").toString()).count(),
        "shapley rows: n * d");
    assertFalse(spark.sparkContext().isStopped(), "the shared session stays open");
  }

  @Test
  void missingModelFailsWithPath(@TempDir Path run) throws Exception {
    writePrepared(SharedSpark.get(), run);
    Path config = run.resolve("job.yaml");
    Files.writeString(config, "output: " + run + "\ndata: {path: raw.txt}\n");

    Result result = run("estimate", "--config", config.toString());

    assertEquals(ShaverCli.EXIT_FAILED, result.exitCode(), result.err());
    assertTrue(result.err().contains("model.safetensors"), result.err());
    assertTrue(result.err().contains("not found"), result.err());
  }

  /** Writes two fields of 3 and 2 rows and 12 training rows, keyed 0 .. 11. */
  private static void writePrepared(SparkSession spark, Path run) {
    Path prepared = run.resolve("prepared");
    StructType fields = new StructType().add("field", DataTypes.StringType)
        .add("size", DataTypes.IntegerType).add("offset", DataTypes.LongType)
        .add("kind", DataTypes.StringType);
    spark.createDataFrame(List.of(RowFactory.create("a", 3, 0L, "categorical"),
            RowFactory.create("b", 2, 3L, "categorical")), fields)
        .write().mode("overwrite").parquet(prepared.resolve("fields").toString());
    StructType vocabulary = new StructType().add("field", DataTypes.StringType)
        .add("token", DataTypes.StringType).add("local_id", DataTypes.IntegerType)
        .add("global_id", DataTypes.IntegerType).add("train_val_count", DataTypes.LongType);
    spark.createDataFrame(List.of(RowFactory.create("a", "x", 0, 0, 4L),
            RowFactory.create("a", "y", 1, 1, 4L), RowFactory.create("a", "z", 2, 2, 4L),
            RowFactory.create("b", "u", 0, 3, 6L), RowFactory.create("b", "v", 1, 4, 6L)),
            vocabulary)
        .write().mode("overwrite").parquet(prepared.resolve("vocabulary").toString());
    StructType rows = new StructType().add("label", DataTypes.IntegerType)
        .add("ids", DataTypes.createArrayType(DataTypes.IntegerType))
        .add("row_key", DataTypes.LongType);
    List<org.apache.spark.sql.Row> train = new java.util.ArrayList<>();
    for (int r = 0; r < 12; r++) {
      train.add(RowFactory.create(r % 3 == 0 ? 1 : 0, List.of(r % 3, 3 + r % 2), (long) r));
    }
    for (String split : new String[] {"train", "val"}) {
      spark.createDataFrame(split.equals("train") ? train : List.of(), rows)
          .write().mode("overwrite").parquet(prepared.resolve(split).toString());
    }
  }

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = ShaverCli.execute(args);
      return new Result(code, out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
  }
}
