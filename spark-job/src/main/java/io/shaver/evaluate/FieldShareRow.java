package io.shaver.evaluate;

/**
 * One row of {@code pruned-by-field/}: how many parameters of one field a method prunes at one
 * budget.
 *
 * @param parameters the field's parameters, rows × d
 * @param pruned of those, the pruned ones
 */
public record FieldShareRow(String method, String budget, int fieldIndex, String field,
    long parameters, long pruned) {

  /** Returns pruned / parameters. */
  public double share() {
    return parameters == 0 ? 0 : (double) pruned / parameters;
  }
}
