package dev.rnn4j.kernels.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.kernels.QuantizedKernelSelector;
import org.junit.jupiter.api.Test;

/** Selection of the Vector API twin and its panel width (agreement: PanamaQuantizedKernelAgreementProperties). */
class PanamaQuantizedKernelsTest {

  @Test
  void theSimdKernelsComeWithTheirQuantizedTwin() {
    Kernels simd = new PanamaKernelProvider().create();
    assertEquals("simd", QuantizedKernelSelector.matching(simd).name());
    assertEquals("scalar", QuantizedKernelSelector.matching(Kernels.scalar()).name());
  }

  @Test
  void thePanelWidthsAreTheFloatLanes() {
    // derived from the species (16 at 512 bits, 8 at 256, 4 at 128: the narrow surefire runs force those)
    assertEquals(PanamaFloatSpecies.SPECIES.length(), PanamaQuantizedKernels.create().bf16PanelRows());
    assertEquals(PanamaFloatSpecies.SPECIES.vectorBitSize() / 32, PanamaQuantizedKernels.create().bf16PanelRows());
    assertEquals(PanamaFloatSpecies.SPECIES.length(), PanamaQuantizedKernels.create().int8PanelRows());
  }
}
