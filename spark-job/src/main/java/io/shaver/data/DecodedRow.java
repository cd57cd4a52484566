package io.shaver.data;

/**
 * Mutable result of decoding one row's columns: a status (null when the row is valid), an
 * optional explanation, the label, and either one token or one global id per field.
 */
final class DecodedRow {
  RowStatus status;
  String detail;
  int label;
  String[] tokens;
  int[] ids;

  void reject(RowStatus rejection, boolean explain, String explanation) {
    status = rejection;
    detail = explain ? explanation : null;
  }
}
