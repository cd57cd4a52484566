package io.shaver.evaluate;

import io.shaver.model.CtrModel;
import io.shaver.model.CtrModels;
import io.shaver.model.DType;
import io.shaver.model.ModelConfig;
import io.shaver.model.Tensor;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loaded model in a form that Spark can broadcast: the {@code model.json} text and the state
 * dict's arrays. Each JVM rebuilds the {@link CtrModel} once per snapshot and shares it between
 * its tasks, which is safe because models are thread-safe.
 *
 * <p>Tensors whose element type is neither floating nor integer carry no values and are
 * dropped. The rebuilt model shares the snapshot's arrays, so an executor keeps one copy of the
 * embedding table for the broadcast value and the model together. Executors keep the model
 * until their JVM exits; the driver drops its copy with {@link #release}.
 */
final class ModelSnapshot implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Models rebuilt in this JVM, by snapshot id; {@link #release} removes one. */
  private static final Map<String, CtrModel> MODELS = new ConcurrentHashMap<>();

  private final String id = UUID.randomUUID().toString();
  private final String configJson;
  private final LinkedHashMap<String, float[]> floats = new LinkedHashMap<>();
  private final LinkedHashMap<String, long[]> longs = new LinkedHashMap<>();
  private final LinkedHashMap<String, long[]> shapes = new LinkedHashMap<>();
  private final LinkedHashMap<String, String> dtypes = new LinkedHashMap<>();

  private ModelSnapshot(String configJson) {
    this.configJson = configJson;
  }

  /** Captures a model's configuration and state dict; the arrays are shared, not copied. */
  static ModelSnapshot of(ModelConfig config, Map<String, Tensor> stateDict) {
    ModelSnapshot snapshot = new ModelSnapshot(config.toJson());
    for (Map.Entry<String, Tensor> entry : stateDict.entrySet()) {
      String name = entry.getKey();
      Tensor tensor = entry.getValue();
      if (tensor.dtype().isFloating()) {
        snapshot.floats.put(name, tensor.floats());
      } else if (tensor.dtype().isInteger()) {
        snapshot.longs.put(name, tensor.longs());
      } else {
        continue;
      }
      snapshot.shapes.put(name, tensor.shape());
      snapshot.dtypes.put(name, tensor.dtype().name());
    }
    return snapshot;
  }

  /** Returns the model, built on first use in this JVM. */
  CtrModel model() {
    return MODELS.computeIfAbsent(id, key -> build());
  }

  /** Forgets this JVM's copy of the model; a later {@link #model()} rebuilds it. */
  void release() {
    MODELS.remove(id);
  }

  private CtrModel build() {
    ModelConfig config = ModelConfig.fromJson(configJson);
    Map<String, Tensor> stateDict = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> entry : shapes.entrySet()) {
      String name = entry.getKey();
      DType dtype = DType.valueOf(dtypes.get(name));
      Tensor tensor = floats.containsKey(name)
          ? Tensor.ofFloats(dtype, floats.get(name), entry.getValue())
          : Tensor.ofLongs(dtype, longs.get(name), entry.getValue());
      stateDict.put(name, tensor);
    }
    return CtrModels.fromStateDict(config, stateDict);
  }
}
