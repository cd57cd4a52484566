package io.shaver.compress;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Encoding of the kept values in the on-device artifact. */
public enum StorageFormat {
  /** IEEE 754 single precision, stored as is. */
  FLOAT32("float32", 4),
  /** IEEE 754 half precision, rounded to nearest even by {@link Half}. */
  FP16("fp16", 2),
  /** Asymmetric uniform 8-bit codes with one scale and zero point per table. */
  INT8("int8", 1);

  private final String configName;
  private final int valueBytes;

  StorageFormat(String configName, int valueBytes) {
    this.configName = configName;
    this.valueBytes = valueBytes;
  }

  /** Name used in configs, labels and artifact metadata. */
  public String configName() {
    return configName;
  }

  /** Bytes that one kept value takes. */
  public int valueBytes() {
    return valueBytes;
  }

  /** Parses {@code float32}, {@code fp16} or {@code int8}; the error lists the accepted names. */
  public static StorageFormat parse(String value) {
    String requested = value.trim().toLowerCase(Locale.ROOT);
    for (StorageFormat format : values()) {
      if (format.configName.equals(requested)) {
        return format;
      }
    }
    throw new IllegalArgumentException("unknown storage format '" + value + "', expected one of "
        + Arrays.stream(values()).map(StorageFormat::configName).collect(Collectors.joining(", ")));
  }
}
