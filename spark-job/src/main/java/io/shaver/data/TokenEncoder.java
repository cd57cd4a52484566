package io.shaver.data;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Encodes valid parsed rows into {@link EncodedRow}s: each token becomes its field's offset
 * plus its local id, or plus the OOV slot's local id when the vocabulary does not hold it.
 */
public final class TokenEncoder {

  private TokenEncoder() {
  }

  /** Encodes rows with a {@code tokens} column through a broadcast of the vocabulary index. */
  public static JavaRDD<EncodedRow> encodeTokens(Dataset<Row> valid, Vocabulary vocabulary) {
    JavaSparkContext context = JavaSparkContext.fromSparkContext(
        valid.sparkSession().sparkContext());
    Broadcast<TokenIndex> index = context.broadcast(vocabulary.index());
    int m = vocabulary.fieldCount();
    int[] offsets = new int[m];
    int[] oovIds = new int[m];
    for (int f = 0; f < m; f++) {
      offsets[f] = vocabulary.offset(f);
      oovIds[f] = vocabulary.offset(f) + vocabulary.oovLocalId(f);
    }
    return valid.select("row_key", "split", "label", "tokens").javaRDD().map(row -> {
      TokenIndex tokens = index.value();
      List<String> values = row.getList(3);
      int[] ids = new int[m];
      for (int f = 0; f < m; f++) {
        int local = tokens.localId(f, values.get(f));
        ids[f] = local < 0 ? oovIds[f] : offsets[f] + local;
      }
      return new EncodedRow(row.getLong(0), row.getInt(1), row.getInt(2), ids);
    });
  }

  /** Wraps rows that an encoded source already decoded to global ids. */
  public static JavaRDD<EncodedRow> fromIds(Dataset<Row> valid) {
    return valid.select("row_key", "split", "label", "ids").javaRDD().map(row -> {
      List<Integer> values = row.getList(3);
      int[] ids = new int[values.size()];
      for (int f = 0; f < ids.length; f++) {
        ids[f] = values.get(f);
      }
      return new EncodedRow(row.getLong(0), row.getInt(1), row.getInt(2), ids);
    });
  }
}
