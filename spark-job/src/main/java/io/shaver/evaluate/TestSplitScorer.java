package io.shaver.evaluate;

import io.shaver.model.CtrModel;
import io.shaver.model.ModelConfig;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Scores the test split under every variant of a {@link ServingPlan}, on Spark.
 *
 * <p>Each task reads its samples in batches, looks up the unpruned embeddings once per batch to
 * compute the reference logits, then for each variant gathers the variant's embeddings and calls
 * {@link CtrModel#logits}. The output has one row per sample and variant, with the columns of
 * {@link ScoredSamples#SCHEMA}.
 */
final class TestSplitScorer {

  /** Column of the 0/1 label in the prepared test split. */
  static final String LABEL = "label";
  /** Column of the global row ids (one per field) in the prepared test split. */
  static final String IDS = "ids";

  private TestSplitScorer() {
  }

  /**
   * Returns the lazily computed scores of {@code plan}'s variants on {@code test}.
   *
   * @param test rows with an int {@code label} (0 or 1) and an int array {@code ids}
   * @throws IllegalArgumentException from the tasks when a label is not 0 or 1, a row has the
   *     wrong number of ids, or an id lies outside its field's rows
   */
  static Dataset<Row> score(Dataset<Row> test, Broadcast<ModelSnapshot> model, ServingPlan plan,
      int batchSize) {
    MapPartitionsFunction<Row, Row> scorePartition = rows -> {
      CtrModel ctrModel = model.value().model();
      return new ScoringIterator(rows, ctrModel, plan.open(ctrModel), plan.variants(), batchSize);
    };
    return test.select(LABEL, IDS)
        .mapPartitions(scorePartition, Encoders.row(ScoredSamples.SCHEMA));
  }

  /** Turns input rows into scored rows, one batch at a time. */
  private static final class ScoringIterator implements Iterator<Row> {
    private final Iterator<Row> input;
    private final CtrModel model;
    private final ServingPlan.ServedTables tables;
    private final int variants;
    private final int batchSize;
    private final ModelConfig config;
    private final int[] ids;
    private final double[] labels;
    private final float[] x0;
    private final float[] reference;
    private final float[] logits;
    private final List<Row> pending = new ArrayList<>();
    private int cursor;

    ScoringIterator(Iterator<Row> input, CtrModel model, ServingPlan.ServedTables tables,
        int variants, int batchSize) {
      this.input = input;
      this.model = model;
      this.tables = tables;
      this.variants = variants;
      this.batchSize = batchSize;
      this.config = model.config();
      this.ids = new int[batchSize * config.fieldCount()];
      this.labels = new double[batchSize];
      this.x0 = new float[batchSize * config.inputSize()];
      this.reference = new float[batchSize];
      this.logits = new float[batchSize];
    }

    @Override
    public boolean hasNext() {
      while (cursor == pending.size() && input.hasNext()) {
        scoreNextBatch();
      }
      return cursor < pending.size();
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return pending.get(cursor++);
    }

    private void scoreNextBatch() {
      pending.clear();
      cursor = 0;
      int batch = readBatch();
      model.embed(ids, batch, x0);
      model.logits(ids, x0, batch, reference);
      for (int variant = 0; variant < variants; variant++) {
        tables.lookup(variant, ids, batch, x0);
        model.logits(ids, x0, batch, logits);
        for (int b = 0; b < batch; b++) {
          double score = logits[b];
          pending.add(RowFactory.create(variant, labels[b], score,
              BinaryMetrics.logLoss(score, labels[b]),
              BinaryMetrics.bernoulliKl(reference[b], score)));
        }
      }
    }

    private int readBatch() {
      int m = config.fieldCount();
      int batch = 0;
      while (batch < batchSize && input.hasNext()) {
        Row row = input.next();
        labels[batch] = label(row);
        List<Integer> rowIds = row.getList(1);
        if (rowIds == null || rowIds.size() != m) {
          throw new IllegalArgumentException("Invalid test row: expected " + m
              + " ids (one per field), got " + (rowIds == null ? "null" : rowIds.size())
              + "; the test split must be encoded for this model's fields");
        }
        for (int f = 0; f < m; f++) {
          int id = rowIds.get(f);
          checkId(id, f);
          ids[batch * m + f] = id;
        }
        batch++;
      }
      return batch;
    }

    private static double label(Row row) {
      int label = row.getInt(0);
      if (label != 0 && label != 1) {
        throw new IllegalArgumentException("Invalid test label " + label
            + ": expected 0 or 1");
      }
      return label;
    }

    private void checkId(int id, int field) {
      int first = config.offset(field);
      int end = first + config.fieldSize(field);
      if (id < first || id >= end) {
        throw new IllegalArgumentException("Invalid global id " + id + " for field " + field
            + " ('" + config.fieldNames().get(field) + "'): expected " + first + " <= id < "
            + end + "; the test split and the model disagree on the field layout");
      }
    }
  }
}
