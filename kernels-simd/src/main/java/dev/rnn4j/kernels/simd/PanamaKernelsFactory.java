package dev.rnn4j.kernels.simd;

import dev.rnn4j.kernels.Kernels;

/**
 * Builds the Vector API kernels. Kept apart from {@link PanamaKernelProvider} so that the provider loads even when
 * {@code jdk.incubator.vector} is absent: this class is loaded only once the module is known to be present.
 */
final class PanamaKernelsFactory {

  private PanamaKernelsFactory() {}

  /** The preferred vector size of this CPU, in bits. */
  static int preferredBits() {
    return PanamaShape.preferredBits();
  }

  /**
   * The kernels on the preferred shape, or on the one forced by {@value PanamaKernelProvider#BITS_PROPERTY}.
   *
   * @throws IllegalArgumentException when that property holds an unsupported size
   */
  static Kernels create() {
    PanamaShape.bits(); // validates the property (with a clear message) before the kernel classes read it
    PanamaFloatKernels f32 = new PanamaFloatKernels();
    PanamaDoubleKernels f64 = new PanamaDoubleKernels();
    return new Kernels("simd", f32.species().vectorBitSize(), f32, f64);
  }
}
