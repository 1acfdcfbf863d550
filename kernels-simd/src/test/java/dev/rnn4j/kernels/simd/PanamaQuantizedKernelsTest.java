package dev.rnn4j.kernels.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.kernels.QuantizedKernelSelector;
import dev.rnn4j.kernels.QuantizedLayout;
import java.util.Random;
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

  @Test
  void panelsInAGroupGiveTheBitsOfEachPanelAlone() {
    // The products take GROUP panels per pass over the columns where there are that many, and the rest one at a time;
    // the class comment promises the same bits either way. Each panel multiplied alone (a matrix of one panel, or
    // fewer rows: the single-panel path) must give the bits of the same rows in the whole product, for both widths
    // of the last group (full, and ending in a partial panel), odd and even k, and beta 0 and 1.
    PanamaQuantizedKernels q = PanamaQuantizedKernels.create();
    int p = q.bf16PanelRows();
    Random rnd = new Random(11);
    for (int n : new int[] {4 * p, 4 * p - 3, 5 * p + 2, 9 * p}) {
      for (int k : new int[] {1, 6, 33, 130}) {
        for (float beta : new float[] {0, 1}) {
          int m = 3;
          float[] a = new float[m * k];
          float[] w = new float[n * k];
          float[] c0 = new float[m * n];
          for (int i = 0; i < a.length; i++) {
            a[i] = (float) rnd.nextGaussian();
          }
          for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian();
          }
          for (int i = 0; i < c0.length; i++) {
            c0[i] = (float) rnd.nextGaussian();
          }
          short[] bf = new short[w.length];
          q.toBf16(w.length, w, 0, bf, 0);
          short[] bfPacked = new short[(int) QuantizedLayout.bf16Length(p, n, k)];
          QuantizedLayout.packBf16(p, n, k, bf, 0, k, bfPacked, 0);
          byte[] i8 = new byte[w.length];
          float[] scale = new float[n];
          q.quantizeInt8(n, k, w, 0, k, i8, 0, scale, 0);
          byte[] i8Packed = new byte[(int) QuantizedLayout.int8Length(p, n, k)];
          QuantizedLayout.packInt8(p, n, k, i8, 0, k, i8Packed, 0);
          int bfPanel = (int) QuantizedLayout.bf16Length(p, p, k);
          int i8Panel = (int) QuantizedLayout.int8Length(p, p, k);
          float[] whole = c0.clone();
          float[] alone = c0.clone();
          q.gemmBf16(m, n, k, p, a, 0, k, bfPacked, 0, beta, whole, 0, n);
          for (int t = 0; t * p < n; t++) {
            q.gemmBf16(m, Math.min(p, n - t * p), k, p, a, 0, k, bfPacked, t * bfPanel, beta, alone, t * p, n);
          }
          assertArrayEquals(whole, alone, "gemmBf16 n=" + n + " k=" + k + " beta=" + beta);
          whole = c0.clone();
          alone = c0.clone();
          q.gemmInt8(m, n, k, p, a, 0, k, i8Packed, 0, scale, 0, beta, whole, 0, n);
          for (int t = 0; t * p < n; t++) {
            q.gemmInt8(m, Math.min(p, n - t * p), k, p, a, 0, k, i8Packed, t * i8Panel, scale, t * p, beta, alone,
                t * p, n);
          }
          assertArrayEquals(whole, alone, "gemmInt8 n=" + n + " k=" + k + " beta=" + beta);
        }
      }
    }
  }
}
