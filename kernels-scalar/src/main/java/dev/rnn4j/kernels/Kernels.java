package dev.rnn4j.kernels;

import java.util.Objects;

/**
 * One implementation of the kernel contract in both precisions.
 *
 * @param name "scalar" or "simd"
 * @param vectorBits the vector width the float kernels use (the scalar spec reports 32: one float at a time)
 * @param f32 the float32 kernels
 * @param f64 the float64 kernels
 */
public record Kernels(String name, int vectorBits, FloatKernels f32, DoubleKernels f64) {

  public Kernels {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(f32, "f32");
    Objects.requireNonNull(f64, "f64");
  }

  /**
   * The kernels chosen for this JVM (see {@link KernelSelector}): one set for the JVM's life, except under
   * {@code -Drnn4j.kernels=adaptive}, where it switches once from the scalar spec to the SIMD kernels
   * ({@link AdaptiveKernels}); a pass reads it once.
   */
  public static Kernels get() {
    return KernelSelector.selected();
  }

  /** The scalar reference spec, whatever was selected. */
  public static Kernels scalar() {
    return ScalarKernelProvider.SCALAR;
  }

  @Override
  public String toString() {
    return name + " (" + vectorBits + "-bit)";
  }
}
