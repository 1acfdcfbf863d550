package dev.rnn4j.kernels.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rnn4j.kernels.QuantizedKernels;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Agreement of a candidate {@link QuantizedKernels} with the scalar spec (bounds in {@link QuantizedKernelChecks}), for
 * the packed layouts of {@link dev.rnn4j.kernels.QuantizedLayout}: at the candidate's own panel width (its fast path)
 * and at other widths (which every implementation must accept). Each property draws a seed for a random case: odd
 * sizes around vector widths, several panels and a partial last one, nonzero offsets of A, W, the scales and C,
 * leading dimensions larger than the rows, beta 0 (C holds NaN, which must not propagate), 1 or 1/2.
 * Subclass it and supply the candidate; the kernels-simd module does so for the Vector API twin.
 */
public abstract class QuantizedKernelAgreementProperties {

  protected abstract QuantizedKernels candidate();

  @Property(tries = 150)
  public void gemmBf16AgreesAtItsPanelWidth(@ForAll long seed) {
    QuantizedKernels c = candidate();
    assertEquals(List.of(), QuantizedKernelChecks.gemmBf16(c, QuantizedKernelChecks.randomCase(new Random(seed)),
        c.bf16PanelRows()));
  }

  @Property(tries = 150)
  public void gemmInt8AgreesAtItsPanelWidth(@ForAll long seed) {
    QuantizedKernels c = candidate();
    assertEquals(List.of(), QuantizedKernelChecks.gemmInt8(c, QuantizedKernelChecks.randomCase(new Random(seed)),
        c.int8PanelRows()));
  }

  @Property(tries = 40)
  public void gemmBf16AgreesAtAnyPanelWidth(@ForAll long seed, @ForAll @IntRange(min = 1, max = 33) int p) {
    assertEquals(List.of(), QuantizedKernelChecks.gemmBf16(candidate(),
        QuantizedKernelChecks.randomCase(new Random(seed)), p));
  }

  @Property(tries = 40)
  public void gemmInt8AgreesAtAnyPanelWidth(@ForAll long seed, @ForAll @IntRange(min = 1, max = 33) int p) {
    assertEquals(List.of(), QuantizedKernelChecks.gemmInt8(candidate(),
        QuantizedKernelChecks.randomCase(new Random(seed)), p));
  }

  @Example
  public void conversionsGiveTheSpecsBits() {
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
