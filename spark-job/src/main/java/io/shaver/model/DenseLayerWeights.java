package io.shaver.model;

/**
 * Weights of one inference-time linear layer, batch norm already folded in: {@code y = x W^T
 * + b} with the weight kept transposed, {@code [in, out]} row-major. The arrays are the
 * model's own; callers must not modify them.
 */
public record DenseLayerWeights(int in, int out, float[] weightT, float[] bias) {
}
