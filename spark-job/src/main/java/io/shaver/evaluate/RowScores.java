package io.shaver.evaluate;

import io.shaver.data.InputDataException;
import io.shaver.model.CtrModel;
import io.shaver.model.ModelConfig;
import io.shaver.model.ModelStore;
import io.shaver.output.ParquetTables;
import io.shaver.output.Provenance;
import io.shaver.spark.ModelDirectories;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores every row of an encoded table with a stored model and writes one Parquet row per input
 * row: the work of the {@code score} command.
 *
 * <p>The model is any model directory that {@link ModelStore} loads, in particular one exported
 * from PyTorch. Columns of {@link #SCHEMA}: {@code row_key}, {@code label} (null when the input
 * has none), {@code logit} (the model's output before the sigmoid, computed in float32) and
 * {@code probability} (its sigmoid). Rows are sorted by {@code row_key}. The footer metadata
 * contains the model directory, its kind, the input table and the row count. The output directory
 * is replaced only on success, so a failed run leaves no output there.
 */
public final class RowScores {

  public static final String STAGE = "score";
  public static final int DEFAULT_BATCH_SIZE = 2048;

  public static final StructType SCHEMA = new StructType()
      .add("row_key", DataTypes.LongType, false)
      .add("label", DataTypes.IntegerType, true)
      .add("logit", DataTypes.DoubleType, false)
      .add("probability", DataTypes.DoubleType, false);

  private static final Logger LOG = LoggerFactory.getLogger(RowScores.class);

  private RowScores() {
  }

  /**
   * Scores {@code data} (a run directory or an encoded Parquet table, see {@link ScoreInput})
   * with the model in {@code modelDirectory} and writes the scores to {@code output}.
   *
   * @param split the prepared split to score when {@code data} is a run directory
   * @return the number of rows written
   * @throws io.shaver.model.InvalidModelException when the model directory is invalid
   * @throws InputDataException when the data does not fit the model, also when a Spark task
   *     found it (the task's message, without Spark's job-failure text)
   */
  public static long write(SparkSession spark, Path modelDirectory, Path data, String split,
      Path output, int batchSize) throws IOException {
    if (batchSize < 1) {
      throw new IllegalArgumentException("Invalid batch size " + batchSize
          + ": expected at least 1");
    }
    long start = System.nanoTime();
    ModelStore.StoredModel stored = ModelDirectories.load(modelDirectory,
        spark.sparkContext().hadoopConfiguration());
    ModelConfig config = stored.config();
    ScoreInput input = ScoreInput.open(spark, data, split, config, modelDirectory);
    LOG.info("Scoring {} with the {} model at {} ({} fields)", input.table(),
        config.kind().id(), modelDirectory, config.fieldCount());

    ModelSnapshot snapshot = ModelSnapshot.of(config, stored.stateDict());
    Broadcast<ModelSnapshot> broadcast = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .broadcast(snapshot);
    try {
      String modelName = modelDirectory.toString();
      String tableName = input.table().toString();
      MapPartitionsFunction<Row, Row> scorePartition = rows -> scorePartition(rows,
          broadcast.value().model(), batchSize, modelName, tableName);
      Dataset<Row> scored = input.rows()
          .mapPartitions(scorePartition, Encoders.row(SCHEMA))
          .orderBy("row_key");
      Provenance provenance = Provenance.of(STAGE, describe(modelDirectory, input, split))
          .with("model", modelDirectory)
          .with("model_kind", config.kind().id())
          .with("data", input.table())
          .with("rows", input.rows().count());
      long rows = writeScores(scored, output, provenance);
      LOG.info("Wrote {} scored rows to {} in {} s", rows, output,
          String.format("%.1f", (System.nanoTime() - start) / 1e9));
      return rows;
    } finally {
      broadcast.destroy();
      snapshot.release();
    }
  }

  private static long writeScores(Dataset<Row> scored, Path output, Provenance provenance) {
    try {
      return ParquetTables.write(scored, output, provenance);
    } catch (Exception e) {
      // Spark raises the checked SparkException from Scala code, so catch every exception.
      InputDataException badRow = InputDataException.findIn(e);
      if (badRow != null) {
        throw new InputDataException(badRow.getMessage(), e);
      }
      if (e instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private static String describe(Path modelDirectory, ScoreInput input, String split) {
    return "model: " + modelDirectory + "\ndata: " + input.table() + "\nsplit: " + split + "\n";
  }

  /** Scores one partition lazily, {@code batchSize} rows per model call. */
  private static Iterator<Row> scorePartition(Iterator<Row> rows, CtrModel model, int batchSize,
      String modelDirectory, String table) {
    return new Iterator<>() {
      private final ModelConfig config = model.config();
      private final int[] ids = new int[batchSize * config.fieldCount()];
      private final long[] keys = new long[batchSize];
      private final Integer[] labels = new Integer[batchSize];
      private final float[] logits = new float[batchSize];
      private int batch;
      private int cursor;

      @Override
      public boolean hasNext() {
        if (cursor == batch && rows.hasNext()) {
          scoreNextBatch();
        }
        return cursor < batch;
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        double logit = logits[cursor];
        Row scored = RowFactory.create(keys[cursor], labels[cursor], logit, sigmoid(logit));
        cursor++;
        return scored;
      }

      private void scoreNextBatch() {
        batch = 0;
        cursor = 0;
        while (batch < batchSize && rows.hasNext()) {
          Row row = rows.next();
          keys[batch] = row.getLong(0);
          labels[batch] = row.isNullAt(1) ? null : row.getInt(1);
          copyIds(row, config, ids, batch, modelDirectory, table);
          batch++;
        }
        model.predict(ids, batch, logits);
      }
    };
  }

  private static void copyIds(Row row, ModelConfig config, int[] ids, int batch,
      String modelDirectory, String table) {
    int m = config.fieldCount();
    List<Integer> rowIds = row.isNullAt(2) ? List.of() : row.getList(2);
    if (rowIds.size() != m) {
      throw new InputDataException(ScoreInput.fieldCountMessage(config, modelDirectory,
          table, row.getLong(0), rowIds.size()));
    }
    for (int f = 0; f < m; f++) {
      Integer id = rowIds.get(f);
      int first = config.offset(f);
      int end = first + config.fieldSize(f);
      if (id == null || id < first || id >= end) {
        throw new InputDataException("Invalid global id " + id + " for field " + f + " ('"
            + config.fieldNames().get(f) + "') in row_key " + row.getLong(0) + " of " + table
            + ": expected " + first + " <= id < " + end + " (model.json field_sizes); the data"
            + " and the model at " + modelDirectory + " disagree on the field layout");
      }
      ids[batch * m + f] = id;
    }
  }

  private static double sigmoid(double z) {
    return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
  }
}
