package io.shaver.model;

import java.util.List;

/**
 * The dense layers that read the model input {@code x0} directly, concatenated column-wise so
 * that one GEMM computes all of them and one input coordinate maps to one contiguous row.
 *
 * <p>This is what makes single-coordinate edits cheap: changing input {@code c} by
 * {@code delta} changes every pre-activation of these layers by {@code delta * row c} of the
 * concatenated transposed weight, {@code O(width)} work instead of {@code O(D * width)}.
 * Segment {@code s} contains the outputs of {@code parts.get(s)}. Immutable and shared.
 */
final class FirstLayer {

  final DenseLayer combined;
  private final int[] segmentStart;
  private final int[] segmentWidth;

  FirstLayer(List<DenseLayer> parts) {
    int in = parts.get(0).in;
    int width = 0;
    segmentStart = new int[parts.size()];
    segmentWidth = new int[parts.size()];
    for (int s = 0; s < parts.size(); s++) {
      DenseLayer part = parts.get(s);
      if (part.in != in) {
        throw new IllegalArgumentException("First-layer parts read " + in + " and " + part.in
            + " inputs; all must read the model input");
      }
      segmentStart[s] = width;
      segmentWidth[s] = part.out;
      width += part.out;
    }
    float[] weightT = new float[in * width];
    float[] bias = new float[width];
    for (int s = 0; s < parts.size(); s++) {
      DenseLayer part = parts.get(s);
      for (int c = 0; c < in; c++) {
        System.arraycopy(part.weightT, c * part.out, weightT, c * width + segmentStart[s],
            part.out);
      }
      System.arraycopy(part.bias, 0, bias, segmentStart[s], part.out);
    }
    this.combined = new DenseLayer(in, width, weightT, bias);
  }

  int width() {
    return combined.out;
  }

  int segmentStart(int segment) {
    return segmentStart[segment];
  }

  int segmentWidth(int segment) {
    return segmentWidth[segment];
  }
}
