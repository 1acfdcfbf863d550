package dev.rnn4j.kernels.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rnn4j.kernels.QuantizedKernels;
import dev.rnn4j.kernels.testing.QuantizedKernelAgreementProperties;
import dev.rnn4j.kernels.testing.QuantizedKernelChecks;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The Vector API twin of the quantized kernels agrees with the scalar spec (bit for bit for the conversions, within
 * the derived bound for the products; see QuantizedKernelChecks), at its own panel width (the float lanes) and at
 * others. Runs at the preferred vector size and again at 256 and 128 bits in the narrow surefire runs (panels of 8
 * and 4 rows).
 */
class PanamaQuantizedKernelAgreementProperties extends QuantizedKernelAgreementProperties {

  @Override
  protected QuantizedKernels candidate() {
    return PanamaQuantizedKernels.create();
  }

  /**
   * The int8 product takes {@link PanamaQuantizedKernels#GROUP} panels per pass (64 rows at 512 bits, more than the
   * shared random cases reach): one or two whole groups, then up to two panels left over, the last one partial or
   * full.
   */
  @Property(tries = 30)
  public void gemmInt8AgreesOverSeveralPanelGroups(@ForAll long seed) {
    Random rnd = new Random(seed);
    QuantizedKernelChecks.Case base = QuantizedKernelChecks.randomCase(rnd);
    int group = PanamaQuantizedKernels.GROUP * PanamaQuantizedKernels.PANEL;
    int n = group * (1 + rnd.nextInt(2)) + rnd.nextInt(2 * PanamaQuantizedKernels.PANEL + 1);
    int ldc = n + rnd.nextInt(3);
    float[] w = new float[n * base.k()];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (rnd.nextGaussian() * 0.1);
    }
    float[] c = new float[base.cOff() + base.m() * ldc];
    for (int i = 0; i < c.length; i++) {
      c[i] = base.beta() == 0 ? Float.NaN : (float) rnd.nextGaussian();
    }
    QuantizedKernelChecks.Case cs = new QuantizedKernelChecks.Case(base.m(), n, base.k(), base.aOff(), base.lda(),
        base.cOff(), ldc, base.beta(), base.a(), w, c);
    assertEquals(List.of(), QuantizedKernelChecks.gemmInt8(candidate(), cs, PanamaQuantizedKernels.PANEL));
  }
}
