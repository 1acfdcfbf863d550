package dev.rnn4j.bench;

import dev.rnn4j.kernels.KernelSelector;
import dev.rnn4j.kernels.Kernels;

/**
 * Resolves a benchmark's {@code impl} parameter to a kernel implementation.
 *
 * <p>A benchmark that asks for {@code simd} must measure the SIMD kernels or fail: falling back to the scalar spec
 * would silently report scalar figures under the SIMD label. So {@code simd} goes through
 * {@link KernelSelector#select(String)} in forcing mode, which throws with the reason when the SIMD kernels cannot
 * run, and the result is checked once more by name.
 */
public final class BenchKernels {

  private BenchKernels() {}

  /**
   * Returns the kernels named {@code impl}.
   *
   * @param impl "scalar" or "simd"
   * @throws IllegalStateException when {@code simd} is asked for and cannot run here (the message says why)
   * @throws IllegalArgumentException for any other name
   */
  public static Kernels forName(String impl) {
    switch (impl) {
      case "scalar":
        return Kernels.scalar();
      case "simd":
        Kernels k;
        try {
          k = KernelSelector.select("simd").kernels();
        } catch (IllegalArgumentException e) {
          throw new IllegalStateException("benchmark parameter impl=simd: the SIMD kernels are not available in this"
              + " JVM, refusing to measure anything else under that name: " + e.getMessage(), e);
        }
        if (!k.name().equals("simd")) {
          throw new IllegalStateException("benchmark parameter impl=simd: the selector returned '" + k.name()
              + "' kernels instead");
        }
        return k;
      default:
        throw new IllegalArgumentException("benchmark parameter impl: unknown implementation '" + impl
            + "'; expected scalar or simd");
    }
  }
}
