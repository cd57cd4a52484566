package io.shaver.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Backend selection and device bindings. */
class WalkBackendsTest {

  @Test
  void unboundTaskWalksOnCpu() {
    assertSame(CpuWalkBackend.instance(), WalkBackends.select(DeviceBinding.none()));
  }

  @Test
  void gpuTaskFallsBackToCpu() {
    WalkBackend backend = WalkBackends.select(DeviceBinding.of("gpu", "3"));

    assertSame(CpuWalkBackend.instance(), backend);
    assertFalse(WalkBackends.gpuBackendAvailable());
    assertEquals(DeviceBinding.none(), backend.device());
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
