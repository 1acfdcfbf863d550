package dev.rnn4j.kernels.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jdk.incubator.vector.VectorShape;
import org.junit.jupiter.api.Test;

/**
 * The kernels run on the species this test JVM asks for: the preferred one, or the one forced by
 * {@code -Drnn4j.simd.bits} in the narrow surefire runs (so those runs really test the narrow paths).
 */
class PanamaSpeciesTest {

  @Test
  void kernelsUseTheRequestedWidth() {
    int want = Integer.getInteger(PanamaKernelProvider.BITS_PROPERTY, VectorShape.preferredShape().vectorBitSize());
    assertEquals(want, new PanamaFloatKernels().species().vectorBitSize());
    assertEquals(want, new PanamaDoubleKernels().species().vectorBitSize());
    assertEquals(want / Float.SIZE, new PanamaFloatKernels().species().length());
    assertEquals(want / Double.SIZE, new PanamaDoubleKernels().species().length());
    assertEquals(want, new PanamaKernelProvider().create().vectorBits());
  }
}
