package io.shaver.shapley;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shaver.model.CtrModel;
import io.shaver.model.ModelStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Java phi against the PyTorch reference estimator (full forwards in float64) on the fixtures
 * that src/test/python/make_shapley_golden.py writes: same model, data and permutations.
 */
class ShapleyGoldenTest {
  private static final Logger LOG = LoggerFactory.getLogger(ShapleyGoldenTest.class);
  private static final double TOLERANCE = 1e-6;

  @ParameterizedTest
  @ValueSource(strings = {"deepfm", "dcn_mix"})
  void phiMatchesPyTorchReference(String kind) throws Exception {
    Path directory = Path.of(ShapleyGoldenTest.class.getResource("/golden/shapley/" + kind)
        .toURI());
    CtrModel model = ModelStore.load(directory).model();
    JsonNode fixture = new ObjectMapper().readTree(
        Files.readString(directory.resolve("shapley.json")));
    TableLayout layout = TableLayout.of(model.config());
    EncodedSamples data = samples(fixture, layout.fields());
    int passes = fixture.get("passes").asInt();

    Codebook codebook = Codebook.compute(layout, model.embeddingTable(),
        WalkEngineTest.countsOf(data, layout));
    JsonNode expectedCodebook = fixture.get("codebook");
    for (int c = 0; c < layout.coordinates(); c++) {
      assertEquals(expectedCodebook.get(c).asDouble(),
          codebook.value(c / layout.dimension(), c % layout.dimension()), 1e-7,
          "codebook coordinate " + c);
    }

    for (PlaceholderKind placeholderKind : PlaceholderKind.values()) {
      EstimatorSettings settings = EstimatorSettings.builder().placeholder(placeholderKind)
          .maxPasses(passes).minPasses(passes).batchSize(4).build();
      Placeholder placeholder = Placeholder.of(placeholderKind, layout, codebook);
      Estimate estimate = new ShapleyEstimator(model, layout, placeholder, settings,
          new RecordedPermutations(fixture)).estimate(data);
      JsonNode expected = fixture.get("expected").get(
          placeholderKind == PlaceholderKind.ZERO ? "zero" : "codebook");
      double maxPhi = 0;
      double maxError = 0;
      for (int p = 0; p < layout.parameters(); p++) {
        double phi = expected.get("phi").get(p).asDouble();
        maxPhi = Math.max(maxPhi, Math.abs(phi));
        String where = kind + " " + placeholderKind + " parameter " + p;
        assertEquals(phi, estimate.phi(p), TOLERANCE, where);
        maxError = Math.max(maxError, Math.abs(phi - estimate.phi(p)));
        assertEquals(expected.get("se").get(p).asDouble(), estimate.standardError(p),
            TOLERANCE, where + " SE");
      }
      assertTrue(maxPhi > 100 * TOLERANCE, "fixture phi too small to test: " + maxPhi);
      LOG.info("{} {}: max |phi - PyTorch phi| = {}, max |phi| = {}", kind, placeholderKind,
          maxError, maxPhi);
      assertEquals((long) passes * data.size(), estimate.samples());
    }
  }

  private static EncodedSamples samples(JsonNode fixture, int fields) {
    JsonNode ids = fixture.get("ids");
    int size = ids.size();
    int[] flat = new int[size * fields];
    float[] labels = new float[size];
    long[] keys = new long[size];
    for (int b = 0; b < size; b++) {
      for (int f = 0; f < fields; f++) {
        flat[b * fields + f] = ids.get(b).get(f).asInt();
      }
      labels[b] = (float) fixture.get("labels").get(b).asDouble();
      keys[b] = fixture.get("keys").get(b).asLong();
    }
    return EncodedSamples.of(fields, flat, labels, keys);
  }

  /** Permutations recorded by the fixture, looked up by (pass, sample key). */
  private static final class RecordedPermutations implements PermutationSource {
    private final Map<String, int[]> permutations = new HashMap<>();

    RecordedPermutations(JsonNode fixture) {
      JsonNode passes = fixture.get("permutations");
      JsonNode keys = fixture.get("keys");
      for (int pass = 0; pass < passes.size(); pass++) {
        for (int b = 0; b < keys.size(); b++) {
          JsonNode recorded = passes.get(pass).get(b);
          int[] permutation = new int[recorded.size()];
          for (int i = 0; i < permutation.length; i++) {
            permutation[i] = recorded.get(i).asInt();
          }
          permutations.put(pass + "/" + keys.get(b).asLong(), permutation);
        }
      }
    }

    @Override
    public void permutation(long pass, long sampleKey, int size, int[] out, int offset) {
      int[] permutation = permutations.get(pass + "/" + sampleKey);
      assertEquals(size, permutation.length, "recorded permutation size");
      System.arraycopy(permutation, 0, out, offset, size);
    }
  }
}
