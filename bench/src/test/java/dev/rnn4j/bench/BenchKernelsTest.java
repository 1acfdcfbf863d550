package dev.rnn4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.kernels.KernelSelector;
import dev.rnn4j.kernels.Kernels;
import org.junit.jupiter.api.Test;

class BenchKernelsTest {

  @Test
  void scalarIsTheSpec() {
    assertEquals(Kernels.scalar(), BenchKernels.forName("scalar"));
  }

  @Test
  void simdIsSimdOrAClearFailureNeverAFallback() {
    boolean simdRuns;
    try {
      simdRuns = KernelSelector.select("simd").kernels().name().equals("simd");
    } catch (IllegalArgumentException e) {
      simdRuns = false;
    }
    if (simdRuns) {
      assertEquals("simd", BenchKernels.forName("simd").name());
    } else {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> BenchKernels.forName("simd"));
      assertTrue(e.getMessage().contains("impl=simd"), e.getMessage());
    }
  }

  @Test
  void unknownNamesAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchKernels.forName("gpu"));
    assertTrue(e.getMessage().contains("'gpu'"), e.getMessage());
  }
}
