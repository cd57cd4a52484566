package io.shaver.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.shaver.cuda.CudaLibraries;
import io.shaver.model.CtrModel;
import io.shaver.model.CtrModels;
import io.shaver.model.ModelConfig;
import io.shaver.model.ModelKind;
import io.shaver.shapley.FullStateWalker;
import io.shaver.shapley.PermutationSource;
import io.shaver.shapley.Placeholder;
import io.shaver.shapley.TableLayout;
import io.shaver.shapley.Walker;
import io.shaver.testing.LogCapture;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Backend selection and device bindings. Each test binds its own device address, because a
 * fallback warning is logged once per device and cause in a JVM.
 */
class WalkBackendsTest {

  @Test
  void unboundTaskWalksOnCpu() {
    assertSame(CpuWalkBackend.instance(),
        WalkBackends.select(DeviceBinding.none(), ModelKind.DEEPFM));
    assertSame(CpuWalkBackend.instance(),
        WalkBackends.select(DeviceBinding.none(), ModelKind.DCN_MIX));
  }

  @Test
  void gpuTaskFallsBackWhenCudaMissing() {
    Optional<String> failure = CudaLibraries.loadFailure();
    assumeTrue(failure.isPresent(), "CUDA loaded here; the fallback cannot happen");

    WalkBackend backend;
    String logged;
    try (LogCapture log = LogCapture.withLevels("io.shaver")) {
      backend = WalkBackends.select(DeviceBinding.of("gpu", "3"), ModelKind.DEEPFM);
      WalkBackends.select(DeviceBinding.of("gpu", "3"), ModelKind.DEEPFM);
      logged = log.text();
    }

    assertSame(CpuWalkBackend.instance(), backend);
    assertEquals(DeviceBinding.none(), backend.device());
    assertEquals(failure, WalkBackends.gpuUnavailableReason());
    assertEquals(0, CudaLibraries.deviceCount());
    // The JavaCPP loader fails on a library it links against (libcuda, libcudart, ...).
    assertTrue(failure.get().contains("UnsatisfiedLinkError"), failure.get());
    assertTrue(failure.get().contains(".so"), failure.get());
    assertTrue(logged.startsWith("WARN Task was bound to gpu:3 but the CUDA walk backend"
        + " could not load (" + failure.get() + ")"), logged);
    assertEquals(1, logged.lines().count(), "warned once per device: " + logged);
  }

  @Test
  void unsupportedModelKindFallsBack() {
    WalkBackend backend;
    String logged;
    try (LogCapture log = LogCapture.withLevels("io.shaver")) {
      backend = WalkBackends.select(DeviceBinding.of("gpu", "7"), ModelKind.DCN_MIX);
      logged = log.text();
    }

    assertSame(CpuWalkBackend.instance(), backend);
    assertEquals("WARN Task was bound to gpu:7 but the GPU walk backend does not support"
        + " dcn_mix models; walking on the cpu (ND4J) backend instead\n", logged);
  }

  @Test
  void invalidAddressIsRejected() {
    for (String address : new String[] {"GPU-1f3a", "-1", "0.5"}) {
      IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
          () -> WalkBackends.select(DeviceBinding.of("gpu", address), ModelKind.DEEPFM));
      assertEquals("Invalid GPU address '" + address + "' of gpu:" + address
          + ": expected a CUDA device ordinal such as 0, as the discovery script lists it",
          error.getMessage());
    }
  }

  @Test
  void hostFullStateBackendRejectsOtherKinds() {
    ModelConfig config = ModelConfig.builder().kind(ModelKind.DCNV2).embeddingDim(2)
        .hiddenSizes(List.of(4)).crossLayers(1).addField("a", 3).addField("b", 2).build();
    CtrModel model = CtrModels.fromStateDict(config, CtrModels.randomStateDict(config, 1, 0.5));
    TableLayout layout = TableLayout.of(config);
    WalkBackend backend = FullStateWalkBackend.host(FullStateWalker.DEFAULT_MAX_ROWS);

    IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
        () -> backend.open(model, layout, Placeholder.zero(layout),
            PermutationSource.seeded(1), false, 4));
    assertEquals("host full-state cannot walk dcnv2 models; select the backend with"
        + " WalkBackends.select(device, kind)", error.getMessage());
  }

  @Test
  void hostFullStateBackendOpensDeepFmWalker() {
    ModelConfig config = ModelConfig.builder().kind(ModelKind.DEEPFM).embeddingDim(2)
        .hiddenSizes(List.of(4)).addField("a", 3).addField("b", 2).build();
    CtrModel model = CtrModels.fromStateDict(config, CtrModels.randomStateDict(config, 1, 0.5));
    TableLayout layout = TableLayout.of(config);

    try (Walker walker = FullStateWalkBackend.host(FullStateWalker.DEFAULT_MAX_ROWS).open(
        model, layout, Placeholder.zero(layout), PermutationSource.seeded(1), true, 4)) {
      assertInstanceOf(FullStateWalker.class, walker);
      assertEquals(2 * 4 + 1, walker.evaluationsPerSample());
    }
  }

  @Test
  void bindingNamesResourceAndAddress() {
    DeviceBinding binding = DeviceBinding.of("gpu", "0");

    assertTrue(binding.isBound());
    assertEquals(Optional.of("0"), binding.address());
    assertEquals("gpu:0", binding.toString());
    assertEquals(DeviceBinding.of("gpu", "0"), binding);
    assertEquals("none", DeviceBinding.none().toString());
    assertFalse(DeviceBinding.none().isBound());
    assertThrows(IllegalArgumentException.class, () -> DeviceBinding.of("gpu", " "));
  }
}
