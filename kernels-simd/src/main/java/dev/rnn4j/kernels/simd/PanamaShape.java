package dev.rnn4j.kernels.simd;

import jdk.incubator.vector.VectorShape;

/**
 * The vector shape of the SIMD kernels: the CPU's preferred shape, or a narrower one forced by the diagnostic system
 * property {@value PanamaKernelProvider#BITS_PROPERTY} (128, 256 or 512, at most the preferred size). The property is
 * read once, when the kernel classes are initialised, because their species is a static constant (see
 * {@link PanamaDoubleKernels#SPECIES}); it exists so that the narrow code paths can be tested on a wide CPU.
 */
final class PanamaShape {

  private PanamaShape() {}

  /** The preferred vector size of this CPU, in bits. */
  static int preferredBits() {
    return VectorShape.preferredShape().vectorBitSize();
  }

  /** The bit size the kernels use: the forced one if the property is set, else the preferred one. */
  static int bits() {
    String forced = System.getProperty(PanamaKernelProvider.BITS_PROPERTY);
    int preferred = preferredBits();
    if (forced == null || forced.isBlank()) {
      return preferred;
    }
    int bits;
    try {
      bits = Integer.parseInt(forced.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "-D" + PanamaKernelProvider.BITS_PROPERTY + ": '" + forced + "' is not a number of bits", e);
    }
    if (bits != 128 && bits != 256 && bits != 512 || bits > preferred) {
      throw new IllegalArgumentException("-D" + PanamaKernelProvider.BITS_PROPERTY + "=" + forced
          + ": expected 128, 256 or 512, at most the preferred " + preferred + " bits of this CPU");
    }
    return bits;
  }

  static VectorShape shape() {
    return VectorShape.forBitSize(bits());
  }
}
