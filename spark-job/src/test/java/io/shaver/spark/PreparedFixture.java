package io.shaver.spark;

import io.shaver.config.EstimationData;
import io.shaver.shapley.EncodedSamples;
import io.shaver.shapley.TableLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Writes a small {@code prepared/} directory in the prepare stage's layout (fields, vocabulary,
 * train, val and test splits) from random rows, and keeps the same rows in memory for the
 * single-JVM estimator.
 *
 * <p>The last row of field 0 never occurs in train or validation and is missing from the
 * vocabulary, so its parameters must come out with phi 0 and a null token.
 */
final class PreparedFixture {

  static final String[] SPLITS = {"train", "val", "test"};

  private static final StructType FIELDS = new StructType()
      .add("field", DataTypes.StringType, false)
      .add("size", DataTypes.IntegerType, false)
      .add("offset", DataTypes.LongType, false)
      .add("kind", DataTypes.StringType, false);

  private static final StructType VOCABULARY = new StructType()
      .add("field", DataTypes.StringType, false)
      .add("token", DataTypes.StringType, false)
      .add("local_id", DataTypes.IntegerType, false)
      .add("global_id", DataTypes.IntegerType, false)
      .add("train_val_count", DataTypes.LongType, false);

  private static final StructType ROWS = new StructType()
      .add("label", DataTypes.IntegerType, false)
      .add("ids", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
      .add("row_key", DataTypes.LongType, false);

  final TableLayout layout;
  final int[][] ids;
  final int[] labels;
  final long[] keys;
  final int[] split;

  private PreparedFixture(TableLayout layout, int[][] ids, int[] labels, long[] keys,
      int[] split) {
    this.layout = layout;
    this.ids = ids;
    this.labels = labels;
    this.keys = keys;
    this.split = split;
  }

  /** Draws {@code rows} random rows; about 70% train, 20% validation, 10% test. */
  static PreparedFixture random(TableLayout layout, int rows, long seed) {
    Random random = new Random(seed);
    int fields = layout.fields();
    int[][] ids = new int[rows][fields];
    int[] labels = new int[rows];
    long[] keys = new long[rows];
    int[] split = new int[rows];
    long offset = 0;
    for (int r = 0; r < rows; r++) {
      double u = random.nextDouble();
      split[r] = u < 0.7 ? 0 : u < 0.9 ? 1 : 2;
      for (int f = 0; f < fields; f++) {
        // Field 0's last row is reserved for the test split.
        int size = f == 0 && split[r] != 2 ? layout.fieldSize(0) - 1 : layout.fieldSize(f);
        ids[r][f] = (int) layout.offset(f) + skewed(random, size);
      }
      labels[r] = random.nextDouble() < 0.3 ? 1 : 0;
      offset += 20 + random.nextInt(80);
      keys[r] = (1L << 40) | offset;
    }
    return new PreparedFixture(layout, ids, labels, keys, split);
  }

  /** Returns a local id in [0, size) that favours small ids, like real feature counts. */
  private static int skewed(Random random, int size) {
    return Math.min(size - 1, (int) (size * Math.pow(random.nextDouble(), 2)));
  }

  /** Returns the global id that is in no train or validation row and not in the vocabulary. */
  int unseenRow() {
    return layout.fieldSize(0) - 1;
  }

  /** Writes {@code prepared/} under {@code run}. */
  void write(SparkSession spark, Path run) {
    Path prepared = run.resolve(PreparedData.DIRECTORY);
    List<Row> fields = new ArrayList<>();
    for (int f = 0; f < layout.fields(); f++) {
      fields.add(RowFactory.create(fieldName(f), layout.fieldSize(f), layout.offset(f),
          "categorical"));
    }
    save(spark, fields, FIELDS, prepared.resolve("fields"));

    long[] counts = trainValCounts();
    List<Row> vocabulary = new ArrayList<>();
    for (int f = 0; f < layout.fields(); f++) {
      for (int local = 0; local < layout.fieldSize(f); local++) {
        int global = (int) layout.offset(f) + local;
        if (global != unseenRow()) {
          vocabulary.add(RowFactory.create(fieldName(f), "token-" + global, local, global,
              counts[global]));
        }
      }
    }
    save(spark, vocabulary, VOCABULARY, prepared.resolve("vocabulary"));

    for (int s = 0; s < SPLITS.length; s++) {
      List<Row> rows = new ArrayList<>();
      for (int r = 0; r < labels.length; r++) {
        if (split[r] == s) {
          rows.add(RowFactory.create(labels[r], Arrays.stream(ids[r]).boxed().toList(), keys[r]));
        }
      }
      save(spark, rows, ROWS, prepared.resolve(SPLITS[s]));
    }
  }

  static String fieldName(int f) {
    return "field_" + f;
  }

  /** Returns how often each global row id occurs in the train and validation splits. */
  long[] trainValCounts() {
    long[] counts = new long[(int) layout.rows()];
    for (int r = 0; r < labels.length; r++) {
      if (split[r] != 2) {
        for (int id : ids[r]) {
          counts[id]++;
        }
      }
    }
    return counts;
  }

  /** Returns the rows of {@code data}'s splits whose key {@code sampler} keeps. */
  EncodedSamples samples(EstimationData data, RowSampler sampler) {
    List<Integer> chosen = new ArrayList<>();
    for (int r = 0; r < labels.length; r++) {
      if (data.splits().contains(SPLITS[split[r]]) && sampler.keeps(keys[r])) {
        chosen.add(r);
      }
    }
    int fields = layout.fields();
    int[] flat = new int[chosen.size() * fields];
    float[] chosenLabels = new float[chosen.size()];
    long[] chosenKeys = new long[chosen.size()];
    for (int i = 0; i < chosen.size(); i++) {
      int r = chosen.get(i);
      System.arraycopy(ids[r], 0, flat, i * fields, fields);
      chosenLabels[i] = labels[r];
      chosenKeys[i] = keys[r];
    }
    return EncodedSamples.of(fields, flat, chosenLabels, chosenKeys);
  }

  private static void save(SparkSession spark, List<Row> rows, StructType schema, Path path) {
    spark.createDataFrame(rows, schema).coalesce(2).write().mode("overwrite")
        .parquet(path.toString());
  }
}
