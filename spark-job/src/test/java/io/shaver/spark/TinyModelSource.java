package io.shaver.spark;

import io.shaver.model.CtrModel;
import io.shaver.model.IncrementalForward;
import io.shaver.model.ModelConfig;
import io.shaver.shapley.TableLayout;
import io.shaver.shapley.TinyMlpModel;
import java.util.Arrays;

/**
 * Test model source: a {@link TinyMlpModel} rebuilt from its seed on every executor, so that
 * driver and executors hold identical weights without a stored model. An optional delay per
 * forward evaluation makes walk tasks slow enough to be interrupted.
 */
final class TinyModelSource implements ModelSource {

  private static final long serialVersionUID = 1L;

  private final int[] fieldSizes;
  private final int dimension;
  private final int hidden;
  private final long seed;
  private final long delayMicros;

  TinyModelSource(int[] fieldSizes, int dimension, int hidden, long seed, long delayMicros) {
    this.fieldSizes = fieldSizes.clone();
    this.dimension = dimension;
    this.hidden = hidden;
    this.seed = seed;
    this.delayMicros = delayMicros;
  }

  /** Returns the same model without the delay. */
  TinyModelSource withoutDelay() {
    return new TinyModelSource(fieldSizes, dimension, hidden, seed, 0);
  }

  /** Returns the same model with {@code micros} of sleep per forward evaluation. */
  TinyModelSource withDelay(long micros) {
    return new TinyModelSource(fieldSizes, dimension, hidden, seed, micros);
  }

  /** Returns the model itself, without the delay. */
  TinyMlpModel model() {
    return new TinyMlpModel(TableLayout.of(fieldSizes, dimension), hidden, true, seed);
  }

  @Override
  public CtrModel open() {
    TinyMlpModel model = model();
    return delayMicros == 0 ? model : new Delayed(model, delayMicros);
  }

  @Override
  public String describe() {
    return "tiny MLP " + Arrays.toString(fieldSizes) + " x " + dimension + ", seed " + seed;
  }

  /** The delay is not part of the fingerprint: it does not change any result. */
  @Override
  public String fingerprint() {
    return "tiny:" + Arrays.toString(fieldSizes) + ":" + dimension + ":" + hidden + ":" + seed;
  }

  /** Sleeps before every logits computation of the wrapped model. */
  private static final class Delayed implements CtrModel {
    private final CtrModel model;
    private final long micros;

    Delayed(CtrModel model, long micros) {
      this.model = model;
      this.micros = micros;
    }

    @Override
    public ModelConfig config() {
      return model.config();
    }

    @Override
    public float[] embeddingTable() {
      return model.embeddingTable();
    }

    @Override
    public void logits(int[] ids, float[] x0, int batch, float[] out) {
      pause(micros);
      model.logits(ids, x0, batch, out);
    }

    @Override
    public IncrementalForward openIncremental(int maxBatch) {
      IncrementalForward forward = model.openIncremental(maxBatch);
      return new IncrementalForward() {
        @Override
        public void reset(int[] ids, float[] x0, int batch) {
          forward.reset(ids, x0, batch);
        }

        @Override
        public void replace(int[] coordinate, float[] value) {
          forward.replace(coordinate, value);
        }

        @Override
        public void logits(float[] out) {
          pause(micros);
          forward.logits(out);
        }

        @Override
        public float[] input() {
          return forward.input();
        }

        @Override
        public void close() {
          forward.close();
        }
      };
    }

    private static void pause(long micros) {
      try {
        Thread.sleep(micros / 1000, (int) (micros % 1000) * 1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while delaying a forward pass", e);
      }
    }
  }
}
