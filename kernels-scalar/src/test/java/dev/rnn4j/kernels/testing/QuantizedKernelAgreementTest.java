package dev.rnn4j.kernels.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rnn4j.kernels.QuantizedKernels;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Agreement of a candidate {@link QuantizedKernels} with the scalar spec (bounds in {@link QuantizedKernelChecks}).
 * Subclass it and supply the candidate; the kernels-simd module does so for the Vector API twin.
 */
public abstract class QuantizedKernelAgreementTest {

  /** Random cases per product kernel. */
  private static final int CASES = 300;

  protected abstract QuantizedKernels candidate();

  @Test
  void gemmBf16AgreesWithTheSpecWithinTheDerivedBound() {
    Random rnd = new Random(101);
    for (int i = 0; i < CASES; i++) {
      assertEquals(List.of(), QuantizedKernelChecks.gemmBf16(candidate(), QuantizedKernelChecks.randomCase(rnd)));
    }
  }

  @Test
  void gemmInt8AgreesWithTheSpecWithinTheDerivedBound() {
    Random rnd = new Random(102);
    for (int i = 0; i < CASES; i++) {
      assertEquals(List.of(), QuantizedKernelChecks.gemmInt8(candidate(), QuantizedKernelChecks.randomCase(rnd)));
    }
  }

  @Test
  void conversionsGiveTheSpecsBits() {
    Random rnd = new Random(103);
    for (int n : new int[] {0, 1, 7, 16, 17, 100, 1031}) {
      assertEquals(List.of(), QuantizedKernelChecks.toBf16(candidate(), QuantizedKernelChecks.bf16Values(rnd, n)));
    }
    assertEquals(List.of(), QuantizedKernelChecks.fromBf16AllValues(candidate()));
    for (int i = 0; i < 100; i++) {
      assertEquals(List.of(), QuantizedKernelChecks.quantizeInt8(candidate(), QuantizedKernelChecks.randomCase(rnd)));
    }
  }
}
