package io.shaver.config;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of the prepare stage: where raw data is, how to read it and how to encode it.
 *
 * <p>Immutable; build with {@link #builder()}. Every setter validates its argument and names it
 * in the error; {@link Builder#build()} checks the rules that involve several keys, such as a
 * {@code csv} source needing at least one feature column. Keys that apply only to some formats
 * (for example {@code label} to csv, parquet and encoded) are rejected by
 * {@link #fromConfig(ConfigReader)} for the other formats.
 */
public final class DataSettings {

  public static final double DEFAULT_ERROR_BUDGET = 0.001;
  public static final String DEFAULT_LABEL = "label";
  public static final char DEFAULT_DELIMITER = ',';
  public static final boolean DEFAULT_HEADER = true;
  public static final IdKind DEFAULT_ID_KIND = IdKind.LOCAL;
  public static final FileType DEFAULT_FILE_TYPE = FileType.PARQUET;
  public static final VocabularySplits DEFAULT_VOCABULARY_SPLITS = VocabularySplits.ALL;
  /** Keep the input partitioning (one partition per Hadoop input split). */
  public static final int DEFAULT_PARTITIONS = 0;
  public static final int DEFAULT_ROWS_PER_FILE = 1_000_000;

  private static final Set<SourceFormat> GENERIC = EnumSet.of(SourceFormat.CSV,
      SourceFormat.PARQUET);
  private static final Set<SourceFormat> LABELLED = EnumSet.of(SourceFormat.CSV,
      SourceFormat.PARQUET, SourceFormat.ENCODED);
  private static final Set<SourceFormat> DELIMITED = EnumSet.of(SourceFormat.CSV,
      SourceFormat.ENCODED);
  private static final Set<SourceFormat> RAW = EnumSet.complementOf(
      EnumSet.of(SourceFormat.ENCODED));

  private final SourceFormat format;
  private final List<String> paths;
  private final int minCount;
  private final SplitRatios split;
  private final double errorBudget;
  private final String label;
  private final List<String> categorical;
  private final List<String> integer;
  private final List<String> columns;
  private final char delimiter;
  private final boolean header;
  private final List<String> fields;
  private final List<Integer> fieldSizes;
  private final IdKind idKind;
  private final String vocabulary;
  private final FileType fileType;
  private final int partitions;
  private final VocabularySplits vocabularySplits;
  private final int rowsPerFile;

  private DataSettings(Builder builder) {
    this.format = builder.format;
    this.paths = List.copyOf(builder.paths);
    this.minCount = builder.minCount == null ? builder.format.defaultMinCount() : builder.minCount;
    this.split = builder.split;
    this.errorBudget = builder.errorBudget;
    this.label = builder.label;
    this.categorical = List.copyOf(builder.categorical);
    this.integer = List.copyOf(builder.integer);
    this.columns = List.copyOf(builder.columns);
    this.delimiter = builder.delimiter;
    this.header = builder.header;
    this.fields = List.copyOf(builder.fields);
    this.fieldSizes = List.copyOf(builder.fieldSizes);
    this.idKind = builder.idKind;
    this.vocabulary = builder.vocabulary;
    this.fileType = builder.fileType;
    this.partitions = builder.partitions;
    this.vocabularySplits = builder.vocabularySplits;
    this.rowsPerFile = builder.rowsPerFile;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Binds the {@code data} section of a job config. */
  public static DataSettings fromConfig(ConfigReader data) {
    Builder builder = builder();
    data.apply("format", data.string("format"), value -> builder.format(SourceFormat.parse(value)));
    data.apply("path", data.strings("path"), builder::paths);
    data.apply("min_count", data.integer("min_count"), value -> builder.minCount(toInt(value)));
    data.apply("error_budget", data.number("error_budget"), builder::errorBudget);
    bindSplit(data, builder);
    data.apply("label", data.string("label"), builder::label);
    data.apply("categorical", data.strings("categorical"), builder::categorical);
    data.apply("integer", data.strings("integer"), builder::integer);
    data.apply("columns", data.strings("columns"), builder::columns);
    data.apply("delimiter", data.string("delimiter"), builder::delimiter);
    data.apply("header", data.bool("header"), builder::header);
    data.apply("fields", data.strings("fields"), builder::fields);
    data.apply("field_sizes", data.integers("field_sizes"),
        values -> builder.fieldSizes(values.stream().map(DataSettings::toInt).toList()));
    data.apply("id_kind", data.string("id_kind"), value -> builder.idKind(IdKind.parse(value)));
    data.apply("vocabulary", data.string("vocabulary"), builder::vocabulary);
    data.apply("file_type", data.string("file_type"),
        value -> builder.fileType(FileType.parse(value)));
    data.apply("partitions", data.integer("partitions"), value -> builder.partitions(toInt(value)));
    data.apply("vocabulary_splits", data.string("vocabulary_splits"),
        value -> builder.vocabularySplits(VocabularySplits.parse(value)));
    data.apply("rows_per_file", data.integer("rows_per_file"),
        value -> builder.rowsPerFile(toInt(value)));

    if (builder.paths.isEmpty()) {
      throw new ConfigException("Missing config key '" + data.keyOf("path")
          + "': set it to the raw input file or directory (or pass --set data.path=...).");
    }
    rejectKeysOfOtherFormats(data, builder.format, builder.fileType);
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      String marker = data.keyOf("-");
      String section = marker.substring(0, Math.max(0, marker.length() - 2));
      throw new ConfigException("Invalid config section '" + section + "' (format "
          + builder.format.configName() + "): " + e.getMessage());
    }
  }

  private static void bindSplit(ConfigReader data, Builder builder) {
    ConfigReader split = data.section("split");
    double train = split.number("train").orElse(SplitRatios.DEFAULT.train());
    double val = split.number("val").orElse(SplitRatios.DEFAULT.val());
    double test = split.number("test").orElse(SplitRatios.DEFAULT.test());
    try {
      builder.split(new SplitRatios(train, val, test));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("Invalid config section '" + data.keyOf("split") + "' (train "
          + train + ", val " + val + ", test " + test + "): " + e.getMessage());
    }
  }

  private static void rejectKeysOfOtherFormats(ConfigReader data, SourceFormat format,
      FileType fileType) {
    Map<String, Set<SourceFormat>> scopes = new LinkedHashMap<>();
    scopes.put("label", LABELLED);
    scopes.put("categorical", GENERIC);
    scopes.put("integer", GENERIC);
    scopes.put("min_count", RAW);
    scopes.put("vocabulary_splits", RAW);
    for (String key : List.of("fields", "field_sizes", "id_kind", "vocabulary", "file_type")) {
      scopes.put(key, EnumSet.of(SourceFormat.ENCODED));
    }
    for (String key : List.of("columns", "delimiter", "header")) {
      scopes.put(key, DELIMITED);
    }
    for (Map.Entry<String, Set<SourceFormat>> scope : scopes.entrySet()) {
      String key = scope.getKey();
      if (data.has(key) && !scope.getValue().contains(format)) {
        throw new ConfigException("Config key '" + data.keyOf(key) + "' does not apply to format "
            + format.configName() + " (it applies to " + names(scope.getValue())
            + "). Remove it or change '" + data.keyOf("format") + "'.");
      }
    }
    if (format == SourceFormat.ENCODED && fileType == FileType.PARQUET) {
      for (String key : List.of("columns", "delimiter", "header")) {
        if (data.has(key)) {
          throw new ConfigException("Config key '" + data.keyOf(key) + "' applies only to"
              + " encoded input with " + data.keyOf("file_type") + ": csv. Remove it or set"
              + " file_type: csv.");
        }
      }
    }
  }

  private static String names(Set<SourceFormat> formats) {
    List<String> names = new ArrayList<>();
    for (SourceFormat format : formats) {
      names.add(format.configName());
    }
    return String.join(", ", names);
  }

  static int toInt(long value) {
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("must fit in a 32-bit integer");
    }
    return (int) value;
  }

  public SourceFormat format() {
    return format;
  }

  /** Input files, directories or globs; local paths, {@code file:} or {@code hdfs://} URIs. */
  public List<String> paths() {
    return paths;
  }

  /** Tokens seen fewer times than this in the vocabulary splits map to the field's OOV slot. */
  public int minCount() {
    return minCount;
  }

  public SplitRatios split() {
    return split;
  }

  /** Largest fraction of malformed rows that are skipped before the stage fails. */
  public double errorBudget() {
    return errorBudget;
  }

  /** Label column of a csv, parquet or encoded source. */
  public String label() {
    return label;
  }

  /** Categorical columns of a csv or parquet source, in field order after the integer ones. */
  public List<String> categorical() {
    return categorical;
  }

  /**
   * Integer columns of a csv or parquet source, binned like Criteo's I1..I13; they come first in
   * field order.
   */
  public List<String> integer() {
    return integer;
  }

  /** Column names of delimited input without a header line; empty when the header names them. */
  public List<String> columns() {
    return columns;
  }

  /** Column separator of delimited input. */
  public char delimiter() {
    return delimiter;
  }

  /** Returns whether the first line of each delimited input file names the columns. */
  public boolean header() {
    return header;
  }

  /** Feature columns of an encoded source, in field order. */
  public List<String> fields() {
    return fields;
  }

  /** Size of each encoded field, OOV slot included, in the order of {@link #fields()}. */
  public List<Integer> fieldSizes() {
    return fieldSizes;
  }

  public IdKind idKind() {
    return idKind;
  }

  /** Optional vocabulary file of an encoded source (columns field, local_id, token); or null. */
  public String vocabulary() {
    return vocabulary;
  }

  public FileType fileType() {
    return fileType;
  }

  /** Number of partitions the parsed rows are redistributed into; 0 keeps the input splits. */
  public int partitions() {
    return partitions;
  }

  public VocabularySplits vocabularySplits() {
    return vocabularySplits;
  }

  /** Rows per output Parquet file of each encoded split (the last file may hold fewer). */
  public int rowsPerFile() {
    return rowsPerFile;
  }

  Map<String, Object> describe() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("format", format.configName());
    map.put("path", paths);
    if (RAW.contains(format)) {
      map.put("min_count", minCount);
      map.put("vocabulary_splits", vocabularySplits.configName());
    }
    map.put("split", split.describe());
    map.put("error_budget", errorBudget);
    map.put("partitions", partitions);
    map.put("rows_per_file", rowsPerFile);

    if (LABELLED.contains(format)) {
      map.put("label", label);
    }
    if (GENERIC.contains(format)) {
      map.put("integer", integer);
      map.put("categorical", categorical);
    }
    if (format == SourceFormat.ENCODED) {
      map.put("file_type", fileType.configName());
      map.put("fields", fields);
      map.put("field_sizes", fieldSizes);
      map.put("id_kind", idKind.configName());
      map.put("vocabulary", vocabulary);
    }

    if (format == SourceFormat.CSV
        || (format == SourceFormat.ENCODED && fileType == FileType.CSV)) {
      map.put("delimiter", String.valueOf(delimiter));
      map.put("header", header);
      map.put("columns", columns);
    }
    return map;
  }

  /** Builder of {@link DataSettings}. */
  public static final class Builder {
    private SourceFormat format = SourceFormat.CRITEO;
    private final List<String> paths = new ArrayList<>();
    private Integer minCount;
    private SplitRatios split = SplitRatios.DEFAULT;
    private double errorBudget = DEFAULT_ERROR_BUDGET;
    private String label = DEFAULT_LABEL;
    private final List<String> categorical = new ArrayList<>();
    private final List<String> integer = new ArrayList<>();
    private final List<String> columns = new ArrayList<>();
    private char delimiter = DEFAULT_DELIMITER;
    private boolean header = DEFAULT_HEADER;
    private final List<String> fields = new ArrayList<>();
    private final List<Integer> fieldSizes = new ArrayList<>();
    private IdKind idKind = DEFAULT_ID_KIND;
    private String vocabulary;
    private FileType fileType = DEFAULT_FILE_TYPE;
    private int partitions = DEFAULT_PARTITIONS;
    private VocabularySplits vocabularySplits = DEFAULT_VOCABULARY_SPLITS;
    private int rowsPerFile = DEFAULT_ROWS_PER_FILE;

    private Builder() {
    }

    public Builder format(SourceFormat format) {
      this.format = Objects.requireNonNull(format, "format");
      return this;
    }

    public Builder paths(List<String> paths) {
      for (String path : paths) {
        if (path == null || path.isBlank()) {
          throw new IllegalArgumentException("an input path must not be empty");
        }
      }
      this.paths.clear();
      this.paths.addAll(paths);
      return this;
    }

    public Builder minCount(int minCount) {
      if (minCount < 1) {
        throw new IllegalArgumentException("min_count must be at least 1, got " + minCount);
      }
      this.minCount = minCount;
      return this;
    }

    public Builder split(SplitRatios split) {
      this.split = Objects.requireNonNull(split, "split");
      return this;
    }

    public Builder errorBudget(double errorBudget) {
      if (!(errorBudget >= 0 && errorBudget < 1)) {
        throw new IllegalArgumentException("error_budget must be in [0, 1), got " + errorBudget);
      }
      this.errorBudget = errorBudget;
      return this;
    }

    public Builder label(String label) {
      this.label = columnName("label", label);
      return this;
    }

    public Builder categorical(List<String> categorical) {
      replace(this.categorical, columnNames("categorical", categorical));
      return this;
    }

    public Builder integer(List<String> integer) {
      replace(this.integer, columnNames("integer", integer));
      return this;
    }

    public Builder columns(List<String> columns) {
      replace(this.columns, columnNames("columns", columns));
      return this;
    }

    /** Sets the column separator: one character, for example {@code ","} or {@code "\t"}. */
    public Builder delimiter(String delimiter) {
      if (delimiter == null || delimiter.length() != 1) {
        throw new IllegalArgumentException("delimiter must be exactly one character, got '"
            + delimiter + "'");
      }
      if (delimiter.charAt(0) == '\n' || delimiter.charAt(0) == '\r') {
        throw new IllegalArgumentException("delimiter must not be a line break");
      }
      this.delimiter = delimiter.charAt(0);
      return this;
    }

    public Builder header(boolean header) {
      this.header = header;
      return this;
    }

    public Builder fields(List<String> fields) {
      replace(this.fields, columnNames("fields", fields));
      return this;
    }

    public Builder fieldSizes(List<Integer> fieldSizes) {
      for (Integer size : fieldSizes) {
        if (size == null || size < 1) {
          throw new IllegalArgumentException("field_sizes must be at least 1 each (the OOV slot"
              + " counts), got " + size);
        }
      }
      replace(this.fieldSizes, fieldSizes);
      return this;
    }

    public Builder idKind(IdKind idKind) {
      this.idKind = Objects.requireNonNull(idKind, "id_kind");
      return this;
    }

    public Builder vocabulary(String vocabulary) {
      if (vocabulary != null && vocabulary.isBlank()) {
        throw new IllegalArgumentException("vocabulary must be a path, got an empty string");
      }
      this.vocabulary = vocabulary;
      return this;
    }

    public Builder fileType(FileType fileType) {
      this.fileType = Objects.requireNonNull(fileType, "file_type");
      return this;
    }

    public Builder partitions(int partitions) {
      if (partitions < 0) {
        throw new IllegalArgumentException("partitions must be 0 (keep the input splits) or"
            + " positive, got " + partitions);
      }
      this.partitions = partitions;
      return this;
    }

    public Builder vocabularySplits(VocabularySplits vocabularySplits) {
      this.vocabularySplits = Objects.requireNonNull(vocabularySplits, "vocabulary_splits");
      return this;
    }

    public Builder rowsPerFile(int rowsPerFile) {
      if (rowsPerFile < 1) {
        throw new IllegalArgumentException("rows_per_file must be at least 1, got "
            + rowsPerFile);
      }
      this.rowsPerFile = rowsPerFile;
      return this;
    }

    /**
     * Builds the settings.
     *
     * @throws IllegalArgumentException if keys contradict each other, for example a csv source
     *     without feature columns or {@code fields} and {@code field_sizes} of different lengths
     */
    public DataSettings build() {
      if (GENERIC.contains(format)) {
        checkGenericColumns();
      }
      if (format == SourceFormat.ENCODED) {
        checkEncodedColumns();
      }
      boolean delimited = format == SourceFormat.CSV
          || (format == SourceFormat.ENCODED && fileType == FileType.CSV);
      if (delimited) {
        checkDelimitedColumns();
      }
      return new DataSettings(this);
    }

    private void checkGenericColumns() {
      if (categorical.isEmpty() && integer.isEmpty()) {
        throw new IllegalArgumentException("name at least one feature column in 'categorical'"
            + " or 'integer'");
      }
      List<String> features = new ArrayList<>(integer);
      features.addAll(categorical);
      checkFeatureColumns(features);
    }

    private void checkEncodedColumns() {
      if (fields.isEmpty()) {
        throw new IllegalArgumentException("'fields' must name the id columns of encoded input");
      }
      if (fields.size() != fieldSizes.size()) {
        throw new IllegalArgumentException("'fields' has " + fields.size() + " columns but"
            + " 'field_sizes' has " + fieldSizes.size() + " sizes; give one size per field");
      }
      long total = 0;
      for (int size : fieldSizes) {
        total += size;
      }
      if (total > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("the field sizes sum to " + total
            + ", more than the largest global id (2^31 - 1)");
      }
      checkFeatureColumns(fields);
    }

    private void checkFeatureColumns(List<String> features) {
      Set<String> seen = new HashSet<>();
      for (String feature : features) {
        if (!seen.add(feature)) {
          throw new IllegalArgumentException("column '" + feature + "' is listed twice");
        }
      }
      if (seen.contains(label)) {
        throw new IllegalArgumentException("the label column '" + label
            + "' is also listed as a feature");
      }
    }

    private void checkDelimitedColumns() {
      if (!header && columns.isEmpty()) {
        throw new IllegalArgumentException("input without a header line needs 'columns' to"
            + " name its columns");
      }
      if (header && !columns.isEmpty()) {
        throw new IllegalArgumentException("'columns' applies only with header: false; the"
            + " header line names the columns");
      }
      if (!columns.isEmpty()) {
        List<String> needed = new ArrayList<>(List.of(label));
        needed.addAll(format == SourceFormat.ENCODED ? fields : integer);
        if (format == SourceFormat.CSV) {
          needed.addAll(categorical);
        }
        for (String column : needed) {
          if (!columns.contains(column)) {
            throw new IllegalArgumentException("column '" + column + "' is not in 'columns' "
                + columns);
          }
        }
      }
    }

    private static String columnName(String key, String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException(key + " must name a column, got an empty name");
      }
      return name;
    }

    private static List<String> columnNames(String key, List<String> names) {
      for (String name : names) {
        columnName(key, name);
      }
      return names;
    }

    private static <T> void replace(List<T> target, List<T> values) {
      target.clear();
      target.addAll(values);
    }
  }
}
