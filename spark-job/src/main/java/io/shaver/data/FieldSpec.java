package io.shaver.data;

import java.io.Serializable;

/** Name and kind of one feature field, in field order. */
public record FieldSpec(String name, FieldKind kind) implements Serializable {
}
