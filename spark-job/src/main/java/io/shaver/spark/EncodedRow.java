package io.shaver.spark;

import java.io.Serializable;

/** One prepared row on its way to a walk partition: its label and one global id per field. */
record EncodedRow(float label, int[] ids) implements Serializable {
}
