package io.shaver.spark;

import java.io.Serializable;

/**
 * One prepared row on its way to a walk partition: its row key, label and one global id per
 * field.
 */
record EncodedRow(long key, float label, int[] ids) implements Serializable {
}
