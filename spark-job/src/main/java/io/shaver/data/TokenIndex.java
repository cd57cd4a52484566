package io.shaver.data;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Maps (field, token) to the token's local id, compactly enough to broadcast vocabularies of
 * millions of tokens.
 *
 * <p>Tokens are stored as UTF-8 bytes in one array, in field order and within a field in local
 * id order, so an entry's local id is its position in its field. Lookup is open addressing
 * (linear probing) over a table of at least twice as many slots as entries. Memory is about
 * the UTF-8 bytes plus 20 to 28 bytes per token.
 */
public final class TokenIndex implements Serializable {

  private static final long serialVersionUID = 1L;

  private final int[] fieldStart;
  private final byte[] bytes;
  private final int[] entryStart;
  private final int[] entryField;
  private final int[] entryHash;
  private final int[] table;
  private final int mask;

  /**
   * Builds the index.
   *
   * @param tokensByField per field, its tokens in local id order (no duplicates within a field)
   */
  public TokenIndex(List<String[]> tokensByField) {
    int fields = tokensByField.size();
    fieldStart = new int[fields + 1];
    long totalBytes = 0;
    int entries = 0;
    for (int f = 0; f < fields; f++) {
      fieldStart[f] = entries;
      for (String token : tokensByField.get(f)) {
        totalBytes += token.getBytes(StandardCharsets.UTF_8).length;
      }
      entries += tokensByField.get(f).length;
    }
    fieldStart[fields] = entries;
    if (totalBytes > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("The vocabulary has " + totalBytes
          + " bytes of tokens, more than the index limit of 2 GiB; raise data.min_count");
    }
    bytes = new byte[(int) totalBytes];
    entryStart = new int[entries + 1];
    entryField = new int[entries];
    entryHash = new int[entries];
    int capacity = Integer.highestOneBit(Math.max(2, entries * 2 - 1)) << 1;
    table = new int[capacity];
    mask = capacity - 1;
    fill(tokensByField);
  }

  private void fill(List<String[]> tokensByField) {
    int entry = 0;
    int position = 0;
    for (int f = 0; f < tokensByField.size(); f++) {
      for (String token : tokensByField.get(f)) {
        byte[] encoded = token.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(encoded, 0, bytes, position, encoded.length);
        entryStart[entry] = position;
        entryField[entry] = f;
        position += encoded.length;
        int hash = hash(f, encoded);
        entryHash[entry] = hash;
        int slot = hash & mask;
        while (table[slot] != 0) {
          if (matches(table[slot] - 1, f, hash, encoded)) {
            throw new IllegalArgumentException("Token '" + token + "' appears twice in field "
                + f);
          }
          slot = (slot + 1) & mask;
        }
        table[slot] = entry + 1;
        entry++;
      }
    }
    entryStart[entry] = position;
  }

  /** Returns the local id of {@code token} in {@code field}, or -1 when it has none (OOV). */
  public int localId(int field, String token) {
    byte[] encoded = token.getBytes(StandardCharsets.UTF_8);
    int hash = hash(field, encoded);
    int slot = hash & mask;
    while (true) {
      int entry = table[slot] - 1;
      if (entry < 0) {
        return -1;
      }
      if (matches(entry, field, hash, encoded)) {
        return entry - fieldStart[field];
      }
      slot = (slot + 1) & mask;
    }
  }

  /** Returns the number of tokens of {@code field}. */
  public int size(int field) {
    return fieldStart[field + 1] - fieldStart[field];
  }

  private boolean matches(int entry, int field, int hash, byte[] encoded) {
    if (entryHash[entry] != hash || entryField[entry] != field) {
      return false;
    }
    int start = entryStart[entry];
    int length = entryStart[entry + 1] - start;
    if (length != encoded.length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (bytes[start + i] != encoded[i]) {
        return false;
      }
    }
    return true;
  }

  private static int hash(int field, byte[] encoded) {
    int h = 0x9E3779B9 * (field + 1);
    for (byte b : encoded) {
      h = 31 * h + b;
    }
    h ^= h >>> 16;
    h *= 0x85EBCA6B;
    h ^= h >>> 13;
    h *= 0xC2B2AE35;
    return h ^ (h >>> 16);
  }
}
