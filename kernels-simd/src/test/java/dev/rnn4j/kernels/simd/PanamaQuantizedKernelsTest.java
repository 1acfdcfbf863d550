package dev.rnn4j.kernels.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.kernels.QuantizedKernelSelector;
import dev.rnn4j.kernels.QuantizedKernels;
import dev.rnn4j.kernels.testing.QuantizedKernelAgreementTest;
import org.junit.jupiter.api.Test;

/**
 * The Vector API twin of the quantized kernels agrees with the scalar spec (bit for bit for the conversions, within
 * the derived bound for the products; see QuantizedKernelChecks). Runs at the preferred vector size and again at 256
 * and 128 bits in the narrow surefire runs, where the int8 loop widens one byte vector into two float vectors.
 */
class PanamaQuantizedKernelsTest extends QuantizedKernelAgreementTest {

  @Override
  protected QuantizedKernels candidate() {
    return PanamaQuantizedKernels.create();
  }

  @Test
  void theSimdKernelsComeWithTheirQuantizedTwin() {
    Kernels simd = new PanamaKernelProvider().create();
    assertEquals("simd", QuantizedKernelSelector.matching(simd).name());
    assertEquals("scalar", QuantizedKernelSelector.matching(Kernels.scalar()).name());
  }
}
