package io.shaver.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tensor names and shapes of the reference PyTorch state dicts, and their validation.
 *
 * <p>Names, with {@code n} rows, {@code m} fields, dimension {@code d}, {@code D = m * d},
 * hidden sizes {@code h_1..h_K}, {@code L} cross layers, {@code E} experts and rank {@code r}:
 * <ul>
 *   <li>all kinds: {@code embedding.weight [n, d]}; optional {@code offsets [1, m]} (integer,
 *       must equal the field offsets).
 *   <li>MLP ({@code _deep_branch.} for DeepFM, {@code _dnn.} otherwise): with batch norm, the
 *       linear layer of hidden layer {@code k} (from 0) is at index {@code 4k} and its
 *       {@code BatchNorm1d} at {@code 4k + 1} ({@code weight, bias, running_mean, running_var
 *       [h]}, optional {@code num_batches_tracked []}); without batch norm the linear layers
 *       are at {@code 3k}. DeepFM and DCN-Mix end with {@code Linear(h_K, 1)} at index
 *       {@code 4K} (or {@code 3K}); DCNv2's {@code _dnn} has no output layer.
 *   <li>DeepFM: {@code fc.weight [n, 1]}, {@code _bias [1]}; optional, unused
 *       {@code linear_layer.weight [1, 1]} and {@code linear_layer.bias [1]}.
 *   <li>DCN-Mix: {@code cross_head.U.{l} [E, r, D]}, {@code cross_head.C.{l} [E, r, r]},
 *       {@code cross_head.V.{l} [E, D, r]}, {@code cross_head.biases.{l} [1, D]},
 *       {@code cross_head.gates [E, D, 1]}.
 *   <li>DCNv2: {@code cross_head.layers.{l}.weight [D, D]} and {@code .bias [D]};
 *       {@code _last_fc.weight [1, w]} and {@code _last_fc.bias [1]}, where {@code w = h_K}
 *       stacked or {@code D + h_K} parallel ({@code h_K = D} without hidden layers).
 * </ul>
 *
 * <p>{@link #normalize} first strips the {@code _orig_mod.} prefix that {@code torch.compile}
 * adds, and joins per-field embedding tables into {@code embedding.weight} (see there).
 */
public final class StateDictSchema {

  /** Prefix that {@code torch.compile} adds to every key of a compiled module. */
  public static final String COMPILED_PREFIX = "_orig_mod.";
  public static final String EMBEDDING = "embedding.weight";
  public static final String OFFSETS = "offsets";

  private static final String FIX = "Check that model.json (kind, field sizes, embedding_dim, "
      + "hidden_sizes, batch_norm, cross_layers, experts, rank, structure) describes the "
      + "checkpoint, and that tensor names follow the reference models (docs/model-format.md).";

  private StateDictSchema() {}

  /** Expected tensor: name, shape, element category and whether it must be present. */
  record Spec(String name, long[] shape, boolean integer, boolean required, String hint) {}

  /** Returns the MLP key prefix of a kind: {@code _deep_branch.} or {@code _dnn.}. */
  public static String mlpPrefix(ModelKind kind) {
    return kind == ModelKind.DEEPFM ? "_deep_branch." : "_dnn.";
  }

  /** Returns the {@code Sequential} index of the linear layer of hidden layer {@code k}. */
  public static int linearIndex(int k, boolean batchNorm) {
    return k * (batchNorm ? 4 : 3);
  }

  /** Returns the expected tensors of a configuration, in state-dict order. */
  static List<Spec> expected(ModelConfig config) {
    List<Spec> specs = new ArrayList<>();
    long n = config.rowCount();
    long d = config.embeddingDim();
    long m = config.fieldCount();
    long inputs = config.inputSize();
    String rowsHint = "rows = sum of the " + m + " field sizes in model.json";
    String inputHint = "inputs = " + m + " fields x embedding_dim " + d + " in model.json";
    specs.add(new Spec(EMBEDDING, new long[] {n, d}, false, true, rowsHint));
    switch (config.kind()) {
      case DEEPFM -> {
        specs.add(new Spec("fc.weight", new long[] {n, 1}, false, true, rowsHint));
        specs.add(new Spec("_bias", new long[] {1}, false, true, null));
        specs.add(new Spec("linear_layer.weight", new long[] {1, 1}, false, false, null));
        specs.add(new Spec("linear_layer.bias", new long[] {1}, false, false, null));
        addMlp(specs, config, inputs, inputHint, true);
      }
      case DCN_MIX -> {
        addMixCross(specs, config, inputHint);
        addMlp(specs, config, inputs, null, true);
      }
      case DCNV2 -> {
        for (int l = 0; l < config.crossLayers(); l++) {
          String prefix = "cross_head.layers." + l;
          specs.add(new Spec(prefix + ".weight", new long[] {inputs, inputs}, false, true,
              inputHint));
          specs.add(new Spec(prefix + ".bias", new long[] {inputs}, false, true, inputHint));
        }
        boolean parallel = config.structure() == CrossStructure.PARALLEL;
        long deepOut = addMlp(specs, config, inputs, parallel ? inputHint : null, false);
        long lastIn = parallel ? inputs + deepOut : deepOut;
        specs.add(new Spec("_last_fc.weight", new long[] {1, lastIn}, false, true,
            parallel ? "inputs = D + last hidden size (parallel structure)" : null));
        specs.add(new Spec("_last_fc.bias", new long[] {1}, false, true, null));
      }
      default -> throw new IllegalStateException("Unknown kind " + config.kind());
    }
    specs.add(new Spec(OFFSETS, new long[] {1, m}, true, false,
        m + " fields in model.json"));
    return specs;
  }

  private static void addMixCross(List<Spec> specs, ModelConfig config, String inputHint) {
    long inputs = config.inputSize();
    long experts = config.experts();
    long rank = config.rank();
    for (int l = 0; l < config.crossLayers(); l++) {
      specs.add(new Spec("cross_head.U." + l, new long[] {experts, rank, inputs}, false, true,
          inputHint));
      specs.add(new Spec("cross_head.C." + l, new long[] {experts, rank, rank}, false, true,
          null));
      specs.add(new Spec("cross_head.V." + l, new long[] {experts, inputs, rank}, false, true,
          inputHint));
      specs.add(new Spec("cross_head.biases." + l, new long[] {1, inputs}, false, true,
          inputHint));
    }
    specs.add(new Spec("cross_head.gates", new long[] {experts, inputs, 1}, false, true,
        inputHint));
  }

  /** Adds the MLP specs and returns its output width. */
  private static long addMlp(List<Spec> specs, ModelConfig config, long inputs,
      String firstHint, boolean withOutput) {
    String prefix = mlpPrefix(config.kind());
    boolean batchNorm = config.batchNorm();
    long width = inputs;
    List<Integer> hidden = config.hiddenSizes();
    for (int k = 0; k < hidden.size(); k++) {
      long size = hidden.get(k);
      String hint = k == 0 ? firstHint : null;
      String linear = prefix + linearIndex(k, batchNorm);
      specs.add(new Spec(linear + ".weight", new long[] {size, width}, false, true, hint));
      specs.add(new Spec(linear + ".bias", new long[] {size}, false, true, null));
      if (batchNorm) {
        String norm = prefix + (linearIndex(k, true) + 1);
        for (String part : List.of(".weight", ".bias", ".running_mean", ".running_var")) {
          specs.add(new Spec(norm + part, new long[] {size}, false, true, null));
        }
        specs.add(new Spec(norm + ".num_batches_tracked", new long[0], true, false, null));
      }
      width = size;
    }
    if (withOutput) {
      String output = prefix + linearIndex(hidden.size(), batchNorm);
      specs.add(new Spec(output + ".weight", new long[] {1, width}, false, true,
          hidden.isEmpty() ? firstHint : null));
      specs.add(new Spec(output + ".bias", new long[] {1}, false, true, null));
    }
    return width;
  }

  /**
   * Returns the state dict in reference naming.
   *
   * <p>Strips a leading {@code _orig_mod.} from every key that has it. If
   * {@code embedding.weight} is absent and every field has exactly one per-field table, joins
   * them in field order into {@code embedding.weight} (field {@code f}'s table becomes rows
   * {@code offset(f) ..}) and drops them. A per-field table of field {@code <field>} is a
   * floating {@code [fieldSize, d]} tensor whose key contains {@code embedding} and ends with
   * {@code .<field>.weight}, e.g. {@code embedding_layer.embedding_layer.embedding_dict.<field>.weight}
   * (FuxiCTR) or {@code embedding.<field>.weight}.
   *
   * @throws InvalidModelException if per-field tables are present but some field has none,
   *     more than one, or one of the wrong shape
   */
  public static Map<String, Tensor> normalize(ModelConfig config, Map<String, Tensor> tensors) {
    Map<String, Tensor> result = new LinkedHashMap<>();
    tensors.forEach((name, tensor) -> result.put(
        name.startsWith(COMPILED_PREFIX) ? name.substring(COMPILED_PREFIX.length()) : name,
        tensor));
    if (!result.containsKey(EMBEDDING)) {
      joinFieldTables(config, result);
    }
    return result;
  }

  private static void joinFieldTables(ModelConfig config, Map<String, Tensor> tensors) {
    if (!hasFieldTable(config, tensors)) {
      // validate() reports the missing embedding.weight.
      return;
    }
    List<String> problems = new ArrayList<>();
    String[] chosen = findFieldTables(config, tensors, problems);
    float[] table = concatenate(config, tensors, chosen, problems);
    if (!problems.isEmpty()) {
      throw new InvalidModelException("Invalid per-field embedding tables", problems, FIX);
    }
    for (String name : chosen) {
      tensors.remove(name);
    }
    tensors.put(EMBEDDING, Tensor.ofFloats(table, config.rowCount(), config.embeddingDim()));
  }

  private static boolean hasFieldTable(ModelConfig config, Map<String, Tensor> tensors) {
    for (String name : tensors.keySet()) {
      for (String field : config.fieldNames()) {
        if (name.endsWith("." + field + ".weight") && name.contains("embedding")) {
          return true;
        }
      }
    }
    return false;
  }

  /** Returns the per-field table name of each field, or null where there is none or several. */
  private static String[] findFieldTables(ModelConfig config, Map<String, Tensor> tensors,
      List<String> problems) {
    int m = config.fieldCount();
    int d = config.embeddingDim();
    String[] chosen = new String[m];
    for (int f = 0; f < m; f++) {
      String field = config.fieldNames().get(f);
      List<String> candidates = new ArrayList<>();
      for (String name : tensors.keySet()) {
        if (name.endsWith("." + field + ".weight") && name.contains("embedding")) {
          candidates.add(name);
        }
      }
      if (candidates.size() > 1) {
        // A first-order table of the same field also matches, so keep the [size, d] ones.
        long size = config.fieldSize(f);
        candidates.removeIf(name -> !tensors.get(name).hasShape(size, d));
      }
      if (candidates.size() == 1) {
        chosen[f] = candidates.get(0);
      } else if (candidates.size() > 1) {
        problems.add("field '" + field + "' has " + candidates.size() + " per-field tables "
            + candidates + "; expected one");
      } else {
        problems.add("missing per-field table of field '" + field + "' (a key containing "
            + "'embedding' and ending with '." + field + ".weight')");
      }
    }
    return chosen;
  }

  private static float[] concatenate(ModelConfig config, Map<String, Tensor> tensors,
      String[] chosen, List<String> problems) {
    int d = config.embeddingDim();
    float[] table = new float[config.rowCount() * d];
    for (int f = 0; f < chosen.length; f++) {
      if (chosen[f] == null) {
        continue;
      }
      Tensor tensor = tensors.get(chosen[f]);
      if (!tensor.dtype().isFloating()) {
        problems.add("tensor '" + chosen[f] + "' has dtype " + tensor.dtype()
            + ", expected a floating type (F32, F16, BF16 or F64)");
      } else if (!tensor.hasShape(config.fieldSize(f), d)) {
        problems.add("tensor '" + chosen[f] + "' has shape " + tensor.shapeText()
            + ", expected " + Arrays.toString(new long[] {config.fieldSize(f), d})
            + " (size of field '" + config.fieldNames().get(f) + "' in model.json x embedding_dim)");
      } else {
        System.arraycopy(tensor.floats(), 0, table, config.offset(f) * d,
            config.fieldSize(f) * d);
      }
    }
    return table;
  }

  /**
   * Checks a normalized state dict against a configuration and reports every problem at once:
   * missing tensors, unexpected tensors, wrong shapes, wrong element types, NaN or infinite
   * values, and {@code offsets} that differ from the field offsets.
   *
   * @throws InvalidModelException listing all problems, by tensor name
   */
  public static void validate(ModelConfig config, Map<String, Tensor> tensors) {
    List<String> problems = new ArrayList<>();
    Map<String, Spec> specs = new LinkedHashMap<>();
    for (Spec spec : expected(config)) {
      specs.put(spec.name(), spec);
    }
    for (Spec spec : specs.values()) {
      Tensor tensor = tensors.get(spec.name());
      if (tensor == null) {
        if (spec.required()) {
          problems.add("missing tensor '" + spec.name() + "' (expected "
              + Arrays.toString(spec.shape()) + ")");
        }
        continue;
      }
      checkTensor(config, spec, tensor, problems);
    }
    for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
      if (!specs.containsKey(entry.getKey())) {
        problems.add("unexpected tensor '" + entry.getKey() + "' " + entry.getValue().shapeText()
            + " for " + describe(config));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidModelException("Invalid model weights for " + describe(config), problems,
          FIX);
    }
  }

  private static void checkTensor(ModelConfig config, Spec spec, Tensor tensor,
      List<String> problems) {
    String name = spec.name();
    boolean typeOk = spec.integer()
        ? tensor.dtype().category() != DType.Category.OTHER
        : tensor.dtype().isFloating();
    if (!typeOk) {
      problems.add("tensor '" + name + "' has dtype " + tensor.dtype() + ", expected "
          + (spec.integer() ? "an integer type (I64 or I32)"
              : "a floating type (F32, F16, BF16 or F64)"));
      return;
    }
    if (!tensor.hasShape(spec.shape())) {
      problems.add("tensor '" + name + "' has shape " + tensor.shapeText() + ", expected "
          + Arrays.toString(spec.shape()) + (spec.hint() == null ? "" : " (" + spec.hint() + ")"));
      return;
    }
    if (tensor.dtype().isFloating()) {
      checkFinite(name, tensor.floats(), problems);
    }
    if (name.equals(OFFSETS)) {
      checkOffsets(config, tensor, problems);
    }
  }

  private static void checkFinite(String name, float[] values, List<String> problems) {
    int bad = 0;
    int first = -1;
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        if (bad++ == 0) {
          first = i;
        }
      }
    }
    if (bad > 0) {
      problems.add("tensor '" + name + "' contains " + bad + " NaN or infinite values (first at "
          + "flat index " + first + ": " + values[first] + ")");
    }
  }

  private static void checkOffsets(ModelConfig config, Tensor tensor, List<String> problems) {
    int m = config.fieldCount();
    for (int f = 0; f < m; f++) {
      double value = tensor.dtype().isFloating() ? tensor.floats()[f] : tensor.longs()[f];
      if (value != config.offset(f)) {
        problems.add("tensor 'offsets' has " + (long) value + " at field " + f + " ('"
            + config.fieldNames().get(f) + "'), but the field sizes in model.json give offset "
            + config.offset(f));
        return;
      }
    }
  }

  static String describe(ModelConfig config) {
    StringBuilder text = new StringBuilder("model.json (kind ").append(config.kind())
        .append(", ").append(config.fieldCount()).append(" fields, n=").append(config.rowCount())
        .append(", d=").append(config.embeddingDim()).append(", hidden_sizes=")
        .append(config.hiddenSizes()).append(", batch_norm=").append(config.batchNorm());
    if (config.kind() != ModelKind.DEEPFM) {
      text.append(", cross_layers=").append(config.crossLayers());
    }
    if (config.kind() == ModelKind.DCN_MIX) {
      text.append(", experts=").append(config.experts()).append(", rank=").append(config.rank());
    }
    if (config.kind() == ModelKind.DCNV2) {
      text.append(", structure=").append(config.structure());
    }
    return text.append(")").toString();
  }
}
