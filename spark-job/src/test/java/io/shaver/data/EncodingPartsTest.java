package io.shaver.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.shaver.config.SplitRatios;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Spark-free parts of encoding: binning, number parsing, splitting, keys, lookup. */
class EncodingPartsTest {

  @Test
  void integerBinningTable() {
    long[] values = {-5, -1, 0, 1, 2, 3, 7, 8, 100, 1_618_112};
    // v > 2: floor(ln(v)^2): ln 3 = 1.0986, ln 7 = 1.9459, ln 8 = 2.0794, ln 100 = 4.6052,
    // ln 1618112 = 14.2968.
    String[] tokens = {"-7", "-3", "-2", "-1", "0", "1", "3", "4", "21", "204"};
    for (int i = 0; i < values.length; i++) {
      assertEquals(tokens[i], IntegerBinning.token(values[i]), "token of " + values[i]);
    }
  }

  @Test
  void wholeNumberParsing() {
    assertEquals(260L, NumberParsing.parseWholeNumber("260.0"));
    assertEquals(-3L, NumberParsing.parseWholeNumber(" -3 "));
    assertEquals(42L, NumberParsing.parseWholeNumber("4.2e1"));
    assertNull(NumberParsing.parseWholeNumber("2.5"));
    assertNull(NumberParsing.parseWholeNumber("12abc"));
    assertNull(NumberParsing.parseWholeNumber("1f"));
    assertNull(NumberParsing.parseWholeNumber("NaN"));
    assertNull(NumberParsing.parseWholeNumber("99999999999999999999"));
    assertNull(NumberParsing.parseWholeNumber(""));
  }

  @Test
  void labelParsing() {
    assertEquals(1, NumberParsing.parseLabel("1", false));
    assertEquals(0, NumberParsing.parseLabel("0.0", false));
    assertEquals(-1, NumberParsing.parseLabel("2", false));
    assertEquals(-1, NumberParsing.parseLabel("yes", false));
    assertEquals(1, NumberParsing.parseLabel("3", true));
    assertEquals(0, NumberParsing.parseLabel("0", true));
    assertEquals(-1, NumberParsing.parseLabel("-1", true));
    assertEquals(-1, NumberParsing.parseLabel(null, true));
  }

  @Test
  void splitKeepsTrailingEmptyColumns() {
    assertArrayEquals(new String[] {"a", "", "b", "", ""},
        TextLineParser.split("a\t\tb\t\t", '\t'));
    assertArrayEquals(new String[] {""}, TextLineParser.split("", ','));
  }

  @Test
  void cleanStripsBomOnlyAtFileStart() {
    assertEquals("a,b", TextLineParser.clean("\uFEFFa,b\r", 0));
    assertEquals("\uFEFFa,b", TextLineParser.clean("\uFEFFa,b", 10));
  }

  @Test
  void rowKeysRoundTrip() {
    long key = RowKeys.of(12_345, RowKeys.MAX_POSITION);
    assertEquals(12_345, RowKeys.fileIndex(key));
    assertEquals(RowKeys.MAX_POSITION, RowKeys.position(key));
    assertThrows(IllegalArgumentException.class, () -> RowKeys.of(0, RowKeys.MAX_POSITION + 1));
    assertThrows(IllegalArgumentException.class, () -> RowKeys.of(RowKeys.MAX_FILES, 0));
  }

  @Test
  void splitSharesFollowRatios() {
    SplitRatios ratios = new SplitRatios(0.7, 0.2, 0.1);
    int[] counts = new int[3];
    int n = 200_000;
    for (int i = 0; i < n; i++) {
      counts[DataSplit.assign(99, RowKeys.of(i % 7, i * 131L), ratios)]++;
    }
    // Binomial standard deviations: about 205, 179 and 134 rows; allow 5 of them.
    assertEquals(0.7 * n, counts[0], 5 * 205);
    assertEquals(0.2 * n, counts[1], 5 * 179);
    assertEquals(0.1 * n, counts[2], 5 * 134);
  }

  @Test
  void splitDependsOnSeed() {
    int same = 0;
    for (int i = 0; i < 10_000; i++) {
      long key = RowKeys.of(0, i * 97L);
      if (DataSplit.assign(1, key, SplitRatios.DEFAULT)
          == DataSplit.assign(2, key, SplitRatios.DEFAULT)) {
        same++;
      }
    }
    // Independent assignments agree with probability 0.8^2 + 0.1^2 + 0.1^2 = 0.66.
    assertEquals(6_600, same, 300);
  }

  @Test
  void tokenIndexMatchesHashMap() {
    SplittableRandom random = new SplittableRandom(5);
    List<String[]> fields = new ArrayList<>();
    List<Map<String, Integer>> expected = new ArrayList<>();
    for (int f = 0; f < 4; f++) {
      LinkedHashSet<String> tokens = new LinkedHashSet<>();
      int size = f == 2 ? 0 : 1 + random.nextInt(3_000);
      while (tokens.size() < size) {
        tokens.add(Integer.toHexString(random.nextInt(50_000)) + (f % 2 == 0 ? "" : "é"));
      }
      String[] ordered = tokens.toArray(new String[0]);
      fields.add(ordered);
      Map<String, Integer> ids = new HashMap<>();
      for (int i = 0; i < ordered.length; i++) {
        ids.put(ordered[i], i);
      }
      expected.add(ids);
    }

    TokenIndex index = new TokenIndex(fields);

    for (int f = 0; f < 4; f++) {
      assertEquals(fields.get(f).length, index.size(f));
      for (int probe = 0; probe < 5_000; probe++) {
        String token = Integer.toHexString(random.nextInt(50_000)) + (f % 2 == 0 ? "" : "é");
        int want = expected.get(f).getOrDefault(token, -1);
        assertEquals(want, index.localId(f, token), "field " + f + " token " + token);
      }
    }
    assertEquals(-1, index.localId(0, fields.get(1).length > 0 ? fields.get(1)[0] : "x"),
        "a token of field 1 is not in field 0");
  }

  @Test
  void tokenIndexRejectsDuplicates() {
    assertThrows(IllegalArgumentException.class,
        () -> new TokenIndex(List.<String[]>of(new String[] {"a", "b", "a"})));
  }
}
