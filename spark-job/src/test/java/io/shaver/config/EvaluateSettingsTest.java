package io.shaver.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluateSettingsTest {

  private static final String MINIMAL = """
      output: runs/test
      seed: 99
      data:
        path: data/train.txt
      """;

  @Test
  void defaultsFollowJobSeed() {
    EvaluateSettings settings = JobConfigLoader.parse(MINIMAL, List.of()).evaluate();

    assertEquals(EvaluateSettings.DEFAULT_METHODS, settings.methods());
    assertEquals(List.of(8, 16), settings.ptqBits());
    assertEquals(99, settings.randomSeed());
    assertEquals(EvaluateSettings.DEFAULT_BATCH_SIZE, settings.batchSize());
  }

  @Test
  void keysBindAndDescribe() {
    JobConfig config = JobConfigLoader.parse(MINIMAL, List.of(
        "evaluate.methods=[magnitude, shaver-codebook]", "evaluate.ptq_bits=4",
        "evaluate.random_seed=5", "evaluate.batch_size=64"));

    EvaluateSettings settings = config.evaluate();
    assertEquals(List.of(EvaluationMethod.MAGNITUDE, EvaluationMethod.SHAVER_CODEBOOK),
        settings.methods());
    assertEquals(List.of(4), settings.ptqBits());
    assertEquals(5, settings.randomSeed());
    assertEquals(64, settings.batchSize());
    @SuppressWarnings("unchecked")
    Map<String, Object> described = (Map<String, Object>) config.describeSection("evaluate");
    assertEquals(List.of("magnitude", "shaver-codebook"), described.get("methods"));
    assertTrue(config.effectiveYaml().contains("random_seed: 5"), config.effectiveYaml());
  }

  @Test
  void unknownMethodListsAccepted() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> JobConfigLoader.parse(MINIMAL, List.of("evaluate.methods=[magnitud]")));

    assertTrue(e.getMessage().contains("'evaluate.methods'"), e.getMessage());
    assertTrue(e.getMessage().contains("shaver-codebook, shaver-zero, magnitude, random, ptq"),
        e.getMessage());
  }

  @Test
  void invalidValuesNamed() {
    ConfigException bits = assertThrows(ConfigException.class,
        () -> JobConfigLoader.parse(MINIMAL, List.of("evaluate.ptq_bits=[8, 32]")));
    assertTrue(bits.getMessage().contains("'evaluate.ptq_bits'"), bits.getMessage());
    assertTrue(bits.getMessage().contains("got 32"), bits.getMessage());

    ConfigException batch = assertThrows(ConfigException.class,
        () -> JobConfigLoader.parse(MINIMAL, List.of("evaluate.batch_size=0")));
    assertTrue(batch.getMessage().contains("'evaluate.batch_size'"), batch.getMessage());

    ConfigException repeated = assertThrows(ConfigException.class,
        () -> JobConfigLoader.parse(MINIMAL, List.of("evaluate.methods=[random, random]")));
    assertTrue(repeated.getMessage().contains("repeat"), repeated.getMessage());

    ConfigException unknown = assertThrows(ConfigException.class,
        () -> JobConfigLoader.parse(MINIMAL, List.of("evaluate.batch_sise=5")));
    assertTrue(unknown.getMessage().contains("did you mean 'evaluate.batch_size'"),
        unknown.getMessage());
  }
}
