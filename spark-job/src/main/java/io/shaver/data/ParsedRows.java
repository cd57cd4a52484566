package io.shaver.data;

import io.shaver.config.SplitRatios;
import java.io.Serializable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Schema and construction of parsed input rows, the common form of every source format.
 *
 * <p>Columns: {@code row_key} (see {@link RowKeys}), {@code status} (null for a valid row, else
 * a {@link RowStatus} code), {@code split} (0 train, 1 val, 2 test), {@code label},
 * {@code tokens} (raw sources) or {@code ids} (encoded sources, global ids), and for a rejected
 * row {@code text} (its raw line, cut to {@value #MAX_TEXT} characters) and {@code detail} (what
 * is wrong with it), for error messages.
 */
public final class ParsedRows implements Serializable {

  private static final long serialVersionUID = 1L;

  public static final int MAX_TEXT = 300;

  public static final StructType SCHEMA = new StructType()
      .add("row_key", DataTypes.LongType, false)
      .add("status", DataTypes.StringType, true)
      .add("split", DataTypes.IntegerType, false)
      .add("label", DataTypes.IntegerType, false)
      .add("tokens", DataTypes.createArrayType(DataTypes.StringType, false), true)
      .add("ids", DataTypes.createArrayType(DataTypes.IntegerType, false), true)
      .add("text", DataTypes.StringType, true)
      .add("detail", DataTypes.StringType, true);

  private final long seed;
  private final SplitRatios ratios;

  public ParsedRows(long seed, SplitRatios ratios) {
    this.seed = seed;
    this.ratios = ratios;
  }

  /** Builds the row of a valid decoded result. */
  Row valid(long rowKey, DecodedRow decoded) {
    return RowFactory.create(rowKey, null, DataSplit.assign(seed, rowKey, ratios),
        decoded.label, decoded.tokens, decoded.ids, null, null);
  }

  /** Builds the row of a rejected line, keeping its text and the explanation. */
  Row rejected(long rowKey, RowStatus status, String text, String detail) {
    return RowFactory.create(rowKey, status.code(), DataSplit.assign(seed, rowKey, ratios), 0,
        null, null, cut(text), detail);
  }

  /** Builds the row of a line that was skipped (empty line or header). */
  Row skipped(long rowKey, RowStatus status) {
    return RowFactory.create(rowKey, status.code(), DataSplit.assign(seed, rowKey, ratios), 0,
        null, null, null, null);
  }

  private static String cut(String text) {
    if (text == null || text.length() <= MAX_TEXT) {
      return text;
    }
    return text.substring(0, MAX_TEXT) + "...";
  }
}
