package io.shaver.evaluate;

import io.shaver.compress.UniformQuantizer;
import io.shaver.model.CtrModel;
import io.shaver.model.ModelConfig;

/**
 * Variants that serve the whole table after b-bit post-training quantization (no pruning), one
 * variant per bit width.
 *
 * <p>The quantizers are fitted to the whole table on the driver; tasks quantize and dequantize
 * each looked-up value on the fly, which gives the same values as
 * {@link UniformQuantizer#simulate} without a copy of the table per bit width.
 */
final class QuantizedPlan implements ServingPlan {

  private static final long serialVersionUID = 1L;

  private final int[] bits;
  private final float[] scales;
  private final int[] zeroPoints;

  /** Fits one quantizer per bit width to the range of {@code table}. */
  static QuantizedPlan fit(float[] table, int[] bits) {
    float[] scales = new float[bits.length];
    int[] zeroPoints = new int[bits.length];
    for (int v = 0; v < bits.length; v++) {
      UniformQuantizer quantizer = UniformQuantizer.fit(table, bits[v]);
      scales[v] = quantizer.scale();
      zeroPoints[v] = quantizer.zeroPoint();
    }
    return new QuantizedPlan(bits.clone(), scales, zeroPoints);
  }

  private QuantizedPlan(int[] bits, float[] scales, int[] zeroPoints) {
    this.bits = bits;
    this.scales = scales;
    this.zeroPoints = zeroPoints;
  }

  @Override
  public int variants() {
    return bits.length;
  }

  @Override
  public ServedTables open(CtrModel model) {
    ModelConfig config = model.config();
    int m = config.fieldCount();
    int d = config.embeddingDim();
    float[] table = model.embeddingTable();
    UniformQuantizer[] quantizers = new UniformQuantizer[bits.length];
    for (int v = 0; v < bits.length; v++) {
      quantizers[v] = new UniformQuantizer(bits[v], scales[v], zeroPoints[v]);
    }
    return (variant, ids, batch, x0) -> {
      UniformQuantizer quantizer = quantizers[variant];
      for (int i = 0; i < batch * m; i++) {
        int rowStart = ids[i] * d;
        int out = i * d;
        for (int j = 0; j < d; j++) {
          x0[out + j] = quantizer.dequantize(quantizer.quantize(table[rowStart + j]));
        }
      }
    };
  }
}
