package io.shaver.data;

import io.shaver.config.DataSettings;
import io.shaver.config.FileType;
import io.shaver.config.SourceFormat;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads the configured source into {@link ParsedRows} rows: one reader per source format.
 *
 * <ul>
 *   <li>criteo: tab-separated, 40 columns: label (0/1), I1..I13 (integers), C1..C26.
 *   <li>avazu: comma-separated, 24 columns; label {@code click}; {@code id} dropped (it is never
 *       parsed, as some ids exceed the long range); the 22 other columns, {@code hour} included,
 *       are categorical. A first line equal to the Avazu header is skipped.
 *   <li>kdd2012: tab-separated, 12 columns: Click, Impression, DisplayURL, AdID, AdvertiserID,
 *       Depth, Position, QueryID, KeywordID, TitleID, DescriptionID, UserID; label = Click
 *       &gt;= 1; the 11 others, the impression count included, are categorical.
 *   <li>csv, parquet: the configured label, integer and categorical columns.
 *   <li>encoded: the configured label and id columns (Parquet or delimited text).
 * </ul>
 */
public final class SourceReader {

  /** Criteo column names: label, I1..I13, C1..C26. */
  public static final List<String> CRITEO_COLUMNS = criteoColumns();
  public static final List<String> AVAZU_COLUMNS = List.of("id", "click", "hour", "C1",
      "banner_pos", "site_id", "site_domain", "site_category", "app_id", "app_domain",
      "app_category", "device_id", "device_ip", "device_model", "device_type",
      "device_conn_type", "C14", "C15", "C16", "C17", "C18", "C19", "C20", "C21");
  public static final List<String> KDD2012_COLUMNS = List.of("Click", "Impression",
      "DisplayURL", "AdID", "AdvertiserID", "Depth", "Position", "QueryID", "KeywordID",
      "TitleID", "DescriptionID", "UserID");

  private SourceReader() {
  }

  /** Parsed rows and the feature fields they encode, in field order. */
  public record ParsedInput(Dataset<Row> rows, List<FieldSpec> fields, boolean text) {
  }

  /**
   * Reads and parses the input; nothing runs on Spark until the rows are used.
   *
   * @throws InputDataException if a configured column is missing from the input
   */
  public static ParsedInput read(SparkSession spark, DataSettings settings, long seed,
      InputFiles files) {
    ParsedRows rows = new ParsedRows(seed, settings.split());
    JavaSparkContext context = JavaSparkContext.fromSparkContext(spark.sparkContext());
    SourceFormat format = settings.format();
    boolean parquet = format == SourceFormat.PARQUET
        || (format == SourceFormat.ENCODED && settings.fileType() == FileType.PARQUET);
    JavaRDD<Row> parsed;
    List<FieldSpec> fields;
    if (parquet) {
      List<String> columns = parquetColumns(settings);
      ColumnDecoder decoder = format == SourceFormat.ENCODED
          ? encodedDecoder(settings, columns, false)
          : genericTokenizer(settings, columns, false);
      parsed = ParquetInput.read(spark, files, columns, decoder, rows);
      fields = decoder.fields();
    } else {
      TextLineParser parser = textParser(settings, files, context.hadoopConfiguration(), rows);
      parsed = TextInput.read(context, files, parser);
      fields = parser.decoder().fields();
    }
    if (settings.partitions() > 0) {
      parsed = parsed.repartition(settings.partitions());
    }
    return new ParsedInput(spark.createDataFrame(parsed, ParsedRows.SCHEMA), fields, !parquet);
  }

  private static TextLineParser textParser(DataSettings settings, InputFiles files,
      Configuration hadoopConf, ParsedRows rows) {
    switch (settings.format()) {
      case CRITEO: {
        ColumnTokenizer tokenizer = new ColumnTokenizer(CRITEO_COLUMNS.toArray(new String[0]),
            true, 0, ColumnTokenizer.LabelRule.BINARY, range(1, 40), criteoKinds());
        return new TextLineParser('\t', TextLineParser.HeaderMode.NONE, null, tokenizer, rows);
      }
      case AVAZU: {
        ColumnTokenizer tokenizer = new ColumnTokenizer(AVAZU_COLUMNS.toArray(new String[0]),
            true, 1, ColumnTokenizer.LabelRule.BINARY, range(2, 24),
            kinds(22, FieldKind.CATEGORICAL));
        return new TextLineParser(',', TextLineParser.HeaderMode.DETECT,
            String.join(",", AVAZU_COLUMNS), tokenizer, rows);
      }
      case KDD2012: {
        ColumnTokenizer tokenizer = new ColumnTokenizer(KDD2012_COLUMNS.toArray(new String[0]),
            true, 0, ColumnTokenizer.LabelRule.COUNT, range(1, 12),
            kinds(11, FieldKind.CATEGORICAL));
        return new TextLineParser('\t', TextLineParser.HeaderMode.NONE, null, tokenizer, rows);
      }
      default:
        return delimitedParser(settings, files, hadoopConf, rows);
    }
  }

  private static TextLineParser delimitedParser(DataSettings settings, InputFiles files,
      Configuration hadoopConf, ParsedRows rows) {
    List<String> columns;
    String header = null;
    if (settings.header()) {
      header = firstHeader(files, hadoopConf);
      columns = TextLineParser.headerColumns(header, settings.delimiter());
    } else {
      columns = settings.columns();
    }
    ColumnDecoder decoder = settings.format() == SourceFormat.ENCODED
        ? encodedDecoder(settings, columns, true)
        : genericTokenizer(settings, columns, true);
    TextLineParser.HeaderMode mode = settings.header()
        ? TextLineParser.HeaderMode.REQUIRED : TextLineParser.HeaderMode.NONE;
    return new TextLineParser(settings.delimiter(), mode, header, decoder, rows);
  }

  /** Returns the header of the first non-empty file. */
  private static String firstHeader(InputFiles files, Configuration hadoopConf) {
    for (int i = 0; i < files.size(); i++) {
      String line = TextInput.firstLine(files.path(i), hadoopConf);
      if (line != null && !line.isEmpty()) {
        return line;
      }
    }
    throw new InputDataException("The input is empty: no header line in "
        + files.paths() + ". Check data.path.");
  }

  private static List<String> parquetColumns(DataSettings settings) {
    List<String> columns = new ArrayList<>();
    columns.add(settings.label());
    if (settings.format() == SourceFormat.ENCODED) {
      columns.addAll(settings.fields());
    } else {
      columns.addAll(settings.integer());
      columns.addAll(settings.categorical());
    }
    return columns;
  }

  private static ColumnTokenizer genericTokenizer(DataSettings settings, List<String> columns,
      boolean checkColumnCount) {
    int features = settings.integer().size() + settings.categorical().size();
    int[] featureColumns = new int[features];
    FieldKind[] kinds = new FieldKind[features];
    int i = 0;
    for (String name : settings.integer()) {
      featureColumns[i] = indexOf(columns, name, "integer");
      kinds[i++] = FieldKind.INTEGER;
    }
    for (String name : settings.categorical()) {
      featureColumns[i] = indexOf(columns, name, "categorical");
      kinds[i++] = FieldKind.CATEGORICAL;
    }
    return new ColumnTokenizer(columns.toArray(new String[0]), checkColumnCount,
        indexOf(columns, settings.label(), "label"), ColumnTokenizer.LabelRule.BINARY,
        featureColumns, kinds);
  }

  private static EncodedIdColumns encodedDecoder(DataSettings settings, List<String> columns,
      boolean checkColumnCount) {
    int[] idColumns = new int[settings.fields().size()];
    for (int f = 0; f < idColumns.length; f++) {
      idColumns[f] = indexOf(columns, settings.fields().get(f), "fields");
    }
    int[] sizes = settings.fieldSizes().stream().mapToInt(Integer::intValue).toArray();
    return new EncodedIdColumns(columns.toArray(new String[0]), checkColumnCount,
        indexOf(columns, settings.label(), "label"), idColumns, sizes, settings.idKind());
  }

  private static int indexOf(List<String> columns, String name, String key) {
    int index = columns.indexOf(name);
    if (index < 0) {
      throw new InputDataException("Column '" + name + "' (data." + key + ") not found in the"
          + " input columns " + columns + ". Check the config and the input's header.");
    }
    return index;
  }

  private static int[] range(int from, int to) {
    int[] indexes = new int[to - from];
    for (int i = from; i < to; i++) {
      indexes[i - from] = i;
    }
    return indexes;
  }

  private static FieldKind[] kinds(int count, FieldKind kind) {
    FieldKind[] kinds = new FieldKind[count];
    java.util.Arrays.fill(kinds, kind);
    return kinds;
  }

  private static FieldKind[] criteoKinds() {
    FieldKind[] kinds = kinds(39, FieldKind.CATEGORICAL);
    java.util.Arrays.fill(kinds, 0, 13, FieldKind.INTEGER);
    return kinds;
  }

  private static List<String> criteoColumns() {
    List<String> names = new ArrayList<>();
    names.add("label");
    for (int i = 1; i <= 13; i++) {
      names.add("I" + i);
    }
    for (int i = 1; i <= 26; i++) {
      names.add("C" + i);
    }
    return List.copyOf(names);
  }
}
