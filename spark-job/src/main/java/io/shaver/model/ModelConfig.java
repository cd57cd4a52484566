package io.shaver.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Architecture of a {@link CtrModel}: kind, fields, embedding dimension and head sizes.
 *
 * <p>Every field size includes the field's out-of-vocabulary slot. The shared embedding table
 * has {@code n = sum(fieldSizes)} rows. Field {@code f} owns rows {@code offset(f) ..
 * offset(f) + fieldSize(f) - 1}, where the offsets are the exclusive prefix sum of the field
 * sizes, so a global row id is {@code offset(f) + local id}.
 *
 * <p>Settings that a kind does not use are kept but ignored: cross layers, experts, rank and
 * structure for DeepFM, experts and rank for DCNv2, structure for DCN-Mix. The batch-norm flag
 * applies to the MLP of every kind; the reference DCN-Mix and DCNv2 always use batch norm.
 *
 * <p>Immutable. {@link #toJson()} and {@link #fromJson(String)} round-trip every setting.
 */
public final class ModelConfig {

  public static final int DEFAULT_EMBEDDING_DIM = 16;
  public static final List<Integer> DEFAULT_HIDDEN_SIZES = List.of(400, 400, 400);
  public static final boolean DEFAULT_BATCH_NORM = true;
  public static final int DEFAULT_CROSS_LAYERS = 3;
  public static final int DEFAULT_EXPERTS = 4;
  public static final int DEFAULT_RANK = 64;
  public static final CrossStructure DEFAULT_STRUCTURE = CrossStructure.STACKED;

  /** File name of the configuration inside a model directory. */
  public static final String FILE_NAME = "model.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final ModelKind kind;
  private final List<String> fieldNames;
  private final int[] fieldSizes;
  private final int[] offsets;
  private final long rowCount;
  private final int embeddingDim;
  private final List<Integer> hiddenSizes;
  private final boolean batchNorm;
  private final int crossLayers;
  private final int experts;
  private final int rank;
  private final CrossStructure structure;

  private ModelConfig(Builder builder) {
    this.kind = builder.kind;
    this.fieldNames = List.copyOf(builder.fieldNames);
    this.fieldSizes = builder.fieldSizes.stream().mapToInt(Integer::intValue).toArray();
    this.embeddingDim = builder.embeddingDim;
    this.hiddenSizes = List.copyOf(builder.hiddenSizes);
    this.batchNorm = builder.batchNorm;
    this.crossLayers = builder.crossLayers;
    this.experts = builder.experts;
    this.rank = builder.rank;
    this.structure = builder.structure;
    this.offsets = new int[fieldSizes.length];
    long sum = 0;
    for (int f = 0; f < fieldSizes.length; f++) {
      offsets[f] = (int) sum;
      sum += fieldSizes[f];
    }
    this.rowCount = sum;
  }

  /** Returns a builder with every default set and no fields. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder that starts from this configuration. */
  public Builder toBuilder() {
    Builder builder = new Builder().kind(kind).embeddingDim(embeddingDim).hiddenSizes(hiddenSizes)
        .batchNorm(batchNorm).crossLayers(crossLayers).experts(experts).rank(rank)
        .structure(structure);
    for (int f = 0; f < fieldSizes.length; f++) {
      builder.addField(fieldNames.get(f), fieldSizes[f]);
    }
    return builder;
  }

  public ModelKind kind() {
    return kind;
  }

  /** Returns the field names in model order. */
  public List<String> fieldNames() {
    return fieldNames;
  }

  /** Returns the number of fields {@code m}. */
  public int fieldCount() {
    return fieldSizes.length;
  }

  /** Returns the size of field {@code f}, out-of-vocabulary slot included. */
  public int fieldSize(int f) {
    return fieldSizes[f];
  }

  /** Returns a copy of the field sizes. */
  public int[] fieldSizes() {
    return fieldSizes.clone();
  }

  /** Returns the first global row id of field {@code f}: the sum of the earlier field sizes. */
  public int offset(int f) {
    return offsets[f];
  }

  /** Returns a copy of the field offsets (exclusive prefix sum of the field sizes). */
  public int[] offsets() {
    return offsets.clone();
  }

  /** Returns the number of embedding rows {@code n}, the sum of the field sizes. */
  public int rowCount() {
    return (int) rowCount;
  }

  /** Returns the embedding dimension {@code d}. */
  public int embeddingDim() {
    return embeddingDim;
  }

  /** Returns the model input width {@code D = m * d}. */
  public int inputSize() {
    return fieldSizes.length * embeddingDim;
  }

  /** Returns the MLP hidden sizes; empty means the head is one linear layer. */
  public List<Integer> hiddenSizes() {
    return hiddenSizes;
  }

  public boolean batchNorm() {
    return batchNorm;
  }

  public int crossLayers() {
    return crossLayers;
  }

  public int experts() {
    return experts;
  }

  public int rank() {
    return rank;
  }

  public CrossStructure structure() {
    return structure;
  }

  /**
   * Returns the field that owns global row {@code row}.
   *
   * @throws IllegalArgumentException if the row is outside {@code [0, n)}
   */
  public int fieldOfRow(int row) {
    if (row < 0 || row >= rowCount) {
      throw new IllegalArgumentException(
          "Invalid global row id " + row + ": expected 0 <= id < " + rowCount);
    }
    int index = Arrays.binarySearch(offsets, row);
    if (index >= 0) {
      // Fields of size 0 cannot exist, so the match is unique.
      return index;
    }
    return -index - 2;
  }

  /** Serializes this configuration as indented JSON with snake_case keys. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("kind", kind.id());
    ArrayNode names = root.putArray("field_names");
    fieldNames.forEach(names::add);
    ArrayNode sizes = root.putArray("field_sizes");
    Arrays.stream(fieldSizes).forEach(sizes::add);
    root.put("embedding_dim", embeddingDim);
    ArrayNode hidden = root.putArray("hidden_sizes");
    hiddenSizes.forEach(hidden::add);
    root.put("batch_norm", batchNorm);
    root.put("cross_layers", crossLayers);
    root.put("experts", experts);
    root.put("rank", rank);
    root.put("structure", structure.id());
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to serialize the model configuration", e);
    }
  }

  /**
   * Parses a configuration written by {@link #toJson()}.
   *
   * <p>{@code kind}, {@code field_names} and {@code field_sizes} are required. Missing optional
   * keys take their defaults.
   *
   * @throws IllegalArgumentException on malformed JSON, a missing required key, an unknown key
   *     or an invalid value, naming the key and the value
   */
  public static ModelConfig fromJson(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("Invalid model configuration JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("Invalid model configuration: expected a JSON object");
    }
    rejectUnknownKeys(root);
    Builder builder = builder().kind(ModelKind.fromId(requiredText(root, "kind")));
    List<String> names = readStrings(required(root, "field_names"), "field_names");
    int[] sizes = readInts(required(root, "field_sizes"), "field_sizes");
    builder.fields(names, sizes);
    readOptional(root, builder);
    return builder.build();
  }

  private static void readOptional(JsonNode root, Builder builder) {
    if (root.has("embedding_dim")) {
      builder.embeddingDim(readInt(root.get("embedding_dim"), "embedding_dim"));
    }
    if (root.has("hidden_sizes")) {
      int[] hidden = readInts(root.get("hidden_sizes"), "hidden_sizes");
      builder.hiddenSizes(Arrays.stream(hidden).boxed().toList());
    }
    if (root.has("batch_norm")) {
      JsonNode node = root.get("batch_norm");
      if (!node.isBoolean()) {
        throw new IllegalArgumentException(
            "Invalid batch_norm " + node + " in model configuration: expected true or false");
      }
      builder.batchNorm(node.booleanValue());
    }
    if (root.has("cross_layers")) {
      builder.crossLayers(readInt(root.get("cross_layers"), "cross_layers"));
    }
    if (root.has("experts")) {
      builder.experts(readInt(root.get("experts"), "experts"));
    }
    if (root.has("rank")) {
      builder.rank(readInt(root.get("rank"), "rank"));
    }
    if (root.has("structure")) {
      builder.structure(CrossStructure.fromId(root.get("structure").asText()));
    }
  }

  /** Reads {@code file} as UTF-8 JSON; see {@link #fromJson(String)}. */
  public static ModelConfig read(Path file) throws IOException {
    String json = Files.readString(file, StandardCharsets.UTF_8);
    try {
      return fromJson(json);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** Writes {@link #toJson()} to {@code file} as UTF-8, replacing it if present. */
  public void write(Path file) throws IOException {
    Files.writeString(file, toJson(), StandardCharsets.UTF_8);
  }

  private static final Set<String> KNOWN_KEYS = Set.of("kind", "field_names", "field_sizes",
      "embedding_dim", "hidden_sizes", "batch_norm", "cross_layers", "experts", "rank",
      "structure");

  private static void rejectUnknownKeys(JsonNode root) {
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!KNOWN_KEYS.contains(key)) {
        throw new IllegalArgumentException("Unknown key '" + key
            + "' in model configuration: expected one of " + new java.util.TreeSet<>(KNOWN_KEYS));
      }
    }
  }

  private static JsonNode required(JsonNode root, String key) {
    JsonNode node = root.get(key);
    if (node == null || node.isNull()) {
      throw new IllegalArgumentException("Missing key '" + key + "' in model configuration");
    }
    return node;
  }

  private static String requiredText(JsonNode root, String key) {
    JsonNode node = required(root, key);
    if (!node.isTextual()) {
      throw new IllegalArgumentException(
          "Invalid " + key + " " + node + " in model configuration: expected a string");
    }
    return node.textValue();
  }

  private static int readInt(JsonNode node, String key) {
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      throw new IllegalArgumentException(
          "Invalid " + key + " " + node + " in model configuration: expected an integer");
    }
    return node.intValue();
  }

  private static int[] readInts(JsonNode node, String key) {
    if (!node.isArray()) {
      throw new IllegalArgumentException(
          "Invalid " + key + " " + node + " in model configuration: expected an array of integers");
    }
    int[] values = new int[node.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = readInt(node.get(i), key + "[" + i + "]");
    }
    return values;
  }

  private static List<String> readStrings(JsonNode node, String key) {
    if (!node.isArray()) {
      throw new IllegalArgumentException(
          "Invalid " + key + " " + node + " in model configuration: expected an array of strings");
    }
    List<String> values = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      if (!item.isTextual()) {
        throw new IllegalArgumentException("Invalid " + key + "[" + i + "] " + item
            + " in model configuration: expected a string");
      }
      values.add(item.textValue());
    }
    return values;
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof ModelConfig that)) {
      return false;
    }
    return kind == that.kind && embeddingDim == that.embeddingDim && batchNorm == that.batchNorm
        && crossLayers == that.crossLayers && experts == that.experts && rank == that.rank
        && structure == that.structure && fieldNames.equals(that.fieldNames)
        && Arrays.equals(fieldSizes, that.fieldSizes) && hiddenSizes.equals(that.hiddenSizes);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(kind, fieldNames, Arrays.hashCode(fieldSizes), embeddingDim,
        hiddenSizes, batchNorm, crossLayers, experts, rank, structure);
  }

  @Override
  public String toString() {
    return "ModelConfig{kind=" + kind + ", fields=" + fieldSizes.length + ", n=" + rowCount
        + ", d=" + embeddingDim + ", hidden=" + hiddenSizes + ", batchNorm=" + batchNorm
        + ", crossLayers=" + crossLayers + ", experts=" + experts + ", rank=" + rank
        + ", structure=" + structure + "}";
  }

  /** Builder of {@link ModelConfig}; every setter validates its argument. */
  public static final class Builder {
    private ModelKind kind;
    private final List<String> fieldNames = new ArrayList<>();
    private final List<Integer> fieldSizes = new ArrayList<>();
    private int embeddingDim = DEFAULT_EMBEDDING_DIM;
    private List<Integer> hiddenSizes = DEFAULT_HIDDEN_SIZES;
    private boolean batchNorm = DEFAULT_BATCH_NORM;
    private int crossLayers = DEFAULT_CROSS_LAYERS;
    private int experts = DEFAULT_EXPERTS;
    private int rank = DEFAULT_RANK;
    private CrossStructure structure = DEFAULT_STRUCTURE;

    private Builder() {}

    public Builder kind(ModelKind value) {
      if (value == null) {
        throw new IllegalArgumentException("Invalid kind null: expected deepfm, dcn_mix or dcnv2");
      }
      this.kind = value;
      return this;
    }

    /**
     * Appends a field.
     *
     * @param name unique, non-blank field name
     * @param size vocabulary size plus the out-of-vocabulary slot, at least 1
     */
    public Builder addField(String name, int size) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException(
            "Invalid field name '" + name + "' at index " + fieldNames.size()
                + ": expected a non-blank name");
      }
      if (fieldNames.contains(name)) {
        throw new IllegalArgumentException("Invalid field name '" + name + "' at index "
            + fieldNames.size() + ": the name is already used by field "
            + fieldNames.indexOf(name));
      }
      if (size < 1) {
        throw new IllegalArgumentException("Invalid size " + size + " of field '" + name
            + "': expected at least 1 (the out-of-vocabulary slot)");
      }
      fieldNames.add(name);
      fieldSizes.add(size);
      return this;
    }

    /** Replaces the fields; {@code names} and {@code sizes} must have the same length. */
    public Builder fields(List<String> names, int[] sizes) {
      if (names.size() != sizes.length) {
        throw new IllegalArgumentException("Invalid fields: " + names.size() + " field names but "
            + sizes.length + " field sizes; give one size per name");
      }
      fieldNames.clear();
      fieldSizes.clear();
      for (int f = 0; f < sizes.length; f++) {
        addField(names.get(f), sizes[f]);
      }
      return this;
    }

    public Builder embeddingDim(int value) {
      if (value < 1) {
        throw new IllegalArgumentException(
            "Invalid embedding_dim " + value + ": expected at least 1");
      }
      this.embeddingDim = value;
      return this;
    }

    /** Sets the MLP hidden sizes; each at least 1, the list may be empty. */
    public Builder hiddenSizes(List<Integer> values) {
      for (int i = 0; i < values.size(); i++) {
        Integer size = values.get(i);
        if (size == null || size < 1) {
          throw new IllegalArgumentException(
              "Invalid hidden_sizes[" + i + "] " + size + ": expected at least 1");
        }
      }
      this.hiddenSizes = List.copyOf(values);
      return this;
    }

    public Builder batchNorm(boolean value) {
      this.batchNorm = value;
      return this;
    }

    public Builder crossLayers(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("Invalid cross_layers " + value + ": expected at least 1");
      }
      this.crossLayers = value;
      return this;
    }

    public Builder experts(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("Invalid experts " + value + ": expected at least 1");
      }
      this.experts = value;
      return this;
    }

    public Builder rank(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("Invalid rank " + value + ": expected at least 1");
      }
      this.rank = value;
      return this;
    }

    public Builder structure(CrossStructure value) {
      if (value == null) {
        throw new IllegalArgumentException("Invalid structure null: expected stacked or parallel");
      }
      this.structure = value;
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @throws IllegalArgumentException if the kind or the fields are missing, or the table has
     *     more than {@code Integer.MAX_VALUE - 8} floats ({@code n * d}), the largest Java array
     */
    public ModelConfig build() {
      if (kind == null) {
        throw new IllegalArgumentException("Missing kind: set deepfm, dcn_mix or dcnv2");
      }
      if (fieldNames.isEmpty()) {
        throw new IllegalArgumentException("Missing fields: a model needs at least one field");
      }
      long rows = 0;
      for (int size : fieldSizes) {
        rows += size;
      }
      if (rows * embeddingDim > Integer.MAX_VALUE - 8L) {
        throw new IllegalArgumentException("Invalid table size " + rows + " x " + embeddingDim
            + ": n * d must not exceed " + (Integer.MAX_VALUE - 8L) + " floats");
      }
      if ((long) fieldNames.size() * embeddingDim > Integer.MAX_VALUE / 4) {
        throw new IllegalArgumentException("Invalid input width " + fieldNames.size() + " x "
            + embeddingDim + ": m * d is too large");
      }
      return new ModelConfig(this);
    }
  }
}
