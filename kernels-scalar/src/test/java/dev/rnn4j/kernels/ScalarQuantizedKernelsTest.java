package dev.rnn4j.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.kernels.testing.QuantizedKernelChecks;
import java.util.List;
import java.util.Random;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Known answers and error bounds of the scalar spec of {@link QuantizedKernels}, and mutants (a truncating bfloat16
 * conversion, an int8 product that takes the wrong row's scale) that the checks must catch.
 */
class ScalarQuantizedKernelsTest {

  private static final ScalarQuantizedKernels SPEC = new ScalarQuantizedKernels();

  /** Rounding known answers for a float-bits -> bfloat16-bits conversion; returns the failures. */
  private static List<String> roundingFailures(IntUnaryOperator convert) {
    int[][] cases = {
        {0x3F800000, 0x3F80}, // 1
        {0x3F808000, 0x3F80}, // 1 + 2^-8: a tie, kept bit even -> down
        {0x3F818000, 0x3F82}, // 1 + 3 * 2^-8: a tie, kept bit odd -> up
        {0x3F808001, 0x3F81}, // just above the tie -> up
        {0x3F807FFF, 0x3F80}, // just below -> down
        {0xBF808001, 0xBF81}, // the same for a negative number (magnitude rounds)
        {0x7F7FFFFF, 0x7F80}, // Float.MAX_VALUE rounds to infinity, as in IEEE
        {0x7F7F7FFF, 0x7F7F}, // the largest value that stays finite
        {0x7F800000, 0x7F80}, // +inf
        {0xFF800000, 0xFF80}, // -inf
        {0x80000000, 0x8000}, // -0
        {0x00000001, 0x0000}, // the smallest subnormal rounds to 0
        {0x00018000, 0x0002}, // a subnormal tie, odd -> up
    };
    List<String> bad = new java.util.ArrayList<>();
    for (int[] c : cases) {
      int got = convert.applyAsInt(c[0]) & 0xFFFF;
      if (got != c[1]) {
        bad.add(Integer.toHexString(c[0]) + " -> " + Integer.toHexString(got) + ", expected "
            + Integer.toHexString(c[1]));
      }
    }
    // NaNs stay NaN, also when the payload sits only in the low 16 bits (truncation would make an infinity)
    for (int nan : new int[] {0x7F800001, 0xFF800001, 0x7FC00000, 0x7FFFFFFF}) {
      float back = Float.intBitsToFloat((convert.applyAsInt(nan) & 0xFFFF) << 16);
      if (!Float.isNaN(back)) {
        bad.add(Integer.toHexString(nan) + " is no longer a NaN");
      }
    }
    return bad;
  }

  @Test
  void toBf16RoundsToNearestEvenAndKeepsNaN() {
    assertEquals(List.of(), roundingFailures(bits -> ScalarQuantizedKernels.toBf16(Float.intBitsToFloat(bits))));
  }

  @Test
  void aTruncatingConversionIsCaught() {
    assertFalse(roundingFailures(bits -> bits >>> 16).isEmpty());
  }

  @Test
  void bf16RelativeErrorIsAtMostTwoToTheMinusEight() {
    // 8 significant bits (7 stored + the implicit one), round to nearest: |x - bf16(x)| <= 2^-8 |x| for normal x
    Random rnd = new Random(7);
    for (int i = 0; i < 100_000; i++) {
      float x = (float) (rnd.nextGaussian() * Math.pow(2, rnd.nextInt(60) - 30));
      float back = ScalarQuantizedKernels.fromBf16(ScalarQuantizedKernels.toBf16(x));
      assertTrue(Math.abs((double) back - x) <= Math.scalb(Math.abs((double) x), -8), x + " -> " + back);
    }
  }

  @Test
  void fromBf16IsExactWidening() {
    for (int i = 0; i < 1 << 16; i++) {
      float f = ScalarQuantizedKernels.fromBf16((short) i);
      assertEquals(i << 16, Float.floatToRawIntBits(f));
      // back to bfloat16 unchanged, except that a signalling NaN comes back quiet
      short expected = (short) (Float.isNaN(f) ? i | 0x0040 : i);
      assertEquals(expected, ScalarQuantizedKernels.toBf16(f), "round trip of 0x" + Integer.toHexString(i));
    }
  }

  @Test
  void int8KnownAnswers() {
    float[] w = {
        0.5f, -1.27f, 0f, 1.27f, // max 1.27: scale 0.01
        127f, 0.5f, 1.5f, -2.5f, // scale 1: ties to even 0, 2, -2
        0f, 0f, 0f, 0f // a zero row: scale 0, q 0
    };
    byte[] q = new byte[12];
    float[] scale = new float[3];
    SPEC.quantizeInt8(3, 4, w, 0, 4, q, 0, scale, 0);
    assertArrayEquals(new float[] {1.27f / 127, 1f, 0f}, scale);
    assertArrayEquals(new byte[] {50, -127, 0, 127, 127, 0, 2, -2, 0, 0, 0, 0}, q);
  }

  @Test
  void int8ErrorPerWeightIsAtMostHalfAScale() {
    // q = rint(fl(w / s)); fl(w / s) = (w / s)(1 + d), |d| <= 2^-24 and |w / s| <= 127, so
    // |s q - w| <= s (1/2 + 127 * 2^-24)
    Random rnd = new Random(8);
    int rows = 50;
    int cols = 77;
    float[] w = new float[rows * cols];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (rnd.nextGaussian() * Math.pow(2, (i / cols) % 20 - 10));
    }
    byte[] q = new byte[w.length];
    float[] scale = new float[rows];
    SPEC.quantizeInt8(rows, cols, w, 0, cols, q, 0, scale, 0);
    for (int r = 0; r < rows; r++) {
      float max = 0;
      for (int j = 0; j < cols; j++) {
        max = Math.max(max, Math.abs(w[r * cols + j]));
      }
      assertEquals(max / 127, scale[r]);
      for (int j = 0; j < cols; j++) {
        double err = Math.abs((double) scale[r] * q[r * cols + j] - w[r * cols + j]);
        assertTrue(err <= scale[r] * (0.5 + 127 * Math.scalb(1.0, -24)), "row " + r + " col " + j + ": " + err);
        assertTrue(q[r * cols + j] >= -127);
      }
    }
  }

  @Test
  void productsAreWithinTheirBoundOfTheExactProduct() {
    // The spec against itself would prove nothing; against a double-precision product with the stored weights it
    // must stay within half of the agreement bound, gamma(k + 2) (scale S + |beta c|), at every panel width.
    Random rnd = new Random(9);
    for (int t = 0; t < 200; t++) {
      QuantizedKernelChecks.Case cs = QuantizedKernelChecks.randomCase(rnd);
      int p = 1 + rnd.nextInt(20);
      assertEquals(List.of(), QuantizedKernelChecks.gemmBf16(new ExactQuantizedProducts(), cs, p));
      assertEquals(List.of(), QuantizedKernelChecks.gemmInt8(new ExactQuantizedProducts(), cs, p));
    }
  }

  @Test
  void aWrongScaleIndexIsCaught() {
    QuantizedKernels wrongScale = new ExactQuantizedProducts() {
      @Override
      public void gemmInt8(int m, int n, int k, int p, float[] a, int aOff, int lda, byte[] q, int qOff,
                           float[] scale, int sOff, float beta, float[] c, int cOff, int ldc) {
        float[] shifted = new float[n];
        for (int r = 0; r < n; r++) {
          shifted[r] = scale[sOff + (r + 1) % n]; // row r scaled with row r + 1's scale
        }
        super.gemmInt8(m, n, k, p, a, aOff, lda, q, qOff, shifted, 0, beta, c, cOff, ldc);
      }
    };
    Random rnd = new Random(10);
    int caught = 0;
    for (int t = 0; t < 50; t++) {
      QuantizedKernelChecks.Case cs = QuantizedKernelChecks.randomCase(rnd);
      if (cs.n() > 1 && !QuantizedKernelChecks.gemmInt8(wrongScale, cs, 16).isEmpty()) {
        caught++;
      }
    }
    assertTrue(caught > 30, "caught in " + caught + " of 50 cases");
  }

  @Test
  void aProductThatSwapsTheHalvesOfAPairIsCaught() {
    // reads W[r, j ^ 1]: the low and high bfloat16 of each packed int taken the wrong way round
    QuantizedKernels swapped = new ExactQuantizedProducts() {
      @Override
      int bf16Column(int k, int j) {
        return (j ^ 1) < k ? j ^ 1 : j;
      }
    };
    Random rnd = new Random(11);
    int caught = 0;
    for (int t = 0; t < 50; t++) {
      QuantizedKernelChecks.Case cs = QuantizedKernelChecks.randomCase(rnd);
      if (cs.k() > 1 && !QuantizedKernelChecks.gemmBf16(swapped, cs, 16).isEmpty()) {
        caught++;
      }
    }
    assertTrue(caught > 30, "caught in " + caught + " of 50 cases");
  }

  @Test
  void aProductThatReadsTheNeighbouringPanelRowIsCaught() {
    // an int8 product that takes lane r % p + 1 of its panel: the layout's row index off by one
    QuantizedKernels offByOne = new ExactQuantizedProducts() {
      @Override
      int int8Row(int n, int r) {
        return r + 1 < n ? r + 1 : r;
      }
    };
    Random rnd = new Random(12);
    int caught = 0;
    for (int t = 0; t < 50; t++) {
      QuantizedKernelChecks.Case cs = QuantizedKernelChecks.randomCase(rnd);
      if (cs.n() > 1 && !QuantizedKernelChecks.gemmInt8(offByOne, cs, 16).isEmpty()) {
        caught++;
      }
    }
    assertTrue(caught > 30, "caught in " + caught + " of 50 cases");
  }

  @Test
  void packingIsAPermutationThatUnpackingUndoes() {
    Random rnd = new Random(13);
    for (int t = 0; t < 100; t++) {
      int p = 1 + rnd.nextInt(17);
      int rows = 1 + rnd.nextInt(40);
      int cols = 1 + rnd.nextInt(40);
      short[] w = new short[rows * cols];
      byte[] q = new byte[rows * cols];
      for (int i = 0; i < w.length; i++) {
        w[i] = (short) (i + 1); // distinct and nonzero: a lost or duplicated element shows, padding stays 0
        q[i] = (byte) (1 + i % 127);
      }
      short[] pw = new short[(int) QuantizedLayout.bf16Length(p, rows, cols)];
      byte[] pq = new byte[(int) QuantizedLayout.int8Length(p, rows, cols)];
      QuantizedLayout.packBf16(p, rows, cols, w, 0, cols, pw, 0);
      QuantizedLayout.packInt8(p, rows, cols, q, 0, cols, pq, 0);
      long nonzero = 0;
      for (short v : pw) {
        nonzero += v != 0 ? 1 : 0;
      }
      assertEquals(rows * cols, nonzero, "every element once, the padding zero");
      short[] w2 = new short[w.length];
      byte[] q2 = new byte[q.length];
      QuantizedLayout.unpackBf16(p, rows, cols, pw, 0, w2, 0, cols);
      QuantizedLayout.unpackInt8(p, rows, cols, pq, 0, q2, 0, cols);
      assertArrayEquals(w, w2);
      assertArrayEquals(q, q2);
    }
  }

  @Test
  void theLayoutsKnownAnswers() {
    // 3 x 3 in panels of 2: bfloat16 pairs per row, panels one after the other, the odd column paired with 0
    short[] w = {11, 12, 13, 21, 22, 23, 31, 32, 33};
    short[] pw = new short[(int) QuantizedLayout.bf16Length(2, 3, 3)];
    QuantizedLayout.packBf16(2, 3, 3, w, 0, 3, pw, 0);
    assertArrayEquals(new short[] {11, 12, 21, 22, 13, 0, 23, 0, 31, 32, 0, 0, 33, 0, 0, 0}, pw);
    // int8, 3 x 5 in panels of 2: quads of columns per row, the panel's rows' quads together, the last quad
    // completed with zeros, the padding row of the last panel zero
    byte[] q = {11, 12, 13, 14, 15, 21, 22, 23, 24, 25, 31, 32, 33, 34, 35};
    byte[] pq = new byte[(int) QuantizedLayout.int8Length(2, 3, 5)];
    QuantizedLayout.packInt8(2, 3, 5, q, 0, 5, pq, 0);
    assertArrayEquals(new byte[] {11, 12, 13, 14, 21, 22, 23, 24, 15, 0, 0, 0, 25, 0, 0, 0,
        31, 32, 33, 34, 0, 0, 0, 0, 35, 0, 0, 0, 0, 0, 0, 0}, pq);
  }

  /**
   * The products computed in double and rounded once: within the bound of any correct float32 implementation. The
   * two index hooks let the mutants misread the layout.
   */
  private static class ExactQuantizedProducts implements QuantizedKernels {
    @Override
    public String name() {
      return "exact";
    }

    int bf16Column(int k, int j) {
      return j;
    }

    int int8Row(int n, int r) {
      return r;
    }

    @Override
    public int bf16PanelRows() {
      return 1;
    }

    @Override
    public int int8PanelRows() {
      return 1;
    }

    @Override
    public void toBf16(int n, float[] x, int xOff, short[] out, int outOff) {
      SPEC.toBf16(n, x, xOff, out, outOff);
    }

    @Override
    public void fromBf16(int n, short[] x, int xOff, float[] out, int outOff) {
      SPEC.fromBf16(n, x, xOff, out, outOff);
    }

    @Override
    public void quantizeInt8(int rows, int cols, float[] w, int wOff, int ldw, byte[] q, int qOff, float[] scale,
                             int sOff) {
      SPEC.quantizeInt8(rows, cols, w, wOff, ldw, q, qOff, scale, sOff);
    }

    @Override
    public void gemmBf16(int m, int n, int k, int p, float[] a, int aOff, int lda, short[] w, int wOff, float beta,
                         float[] c, int cOff, int ldc) {
      for (int i = 0; i < m; i++) {
        for (int r = 0; r < n; r++) {
          double s = 0;
          for (int j = 0; j < k; j++) {
            short v = w[wOff + QuantizedLayout.bf16Index(p, k, r, bf16Column(k, j))];
            s += (double) a[aOff + i * lda + j] * ScalarQuantizedKernels.fromBf16(v);
          }
          int ci = cOff + i * ldc + r;
          c[ci] = (float) (beta == 0 ? s : s + (double) beta * c[ci]);
        }
      }
    }

    @Override
    public void gemmInt8(int m, int n, int k, int p, float[] a, int aOff, int lda, byte[] q, int qOff, float[] scale,
                         int sOff, float beta, float[] c, int cOff, int ldc) {
      for (int i = 0; i < m; i++) {
        for (int r = 0; r < n; r++) {
          double s = 0;
          for (int j = 0; j < k; j++) {
            s += (double) a[aOff + i * lda + j] * q[qOff + QuantizedLayout.int8Index(p, k, int8Row(n, r), j)];
          }
          int ci = cOff + i * ldc + r;
          double v = scale[sOff + r] * s;
          c[ci] = (float) (beta == 0 ? v : v + (double) beta * c[ci]);
        }
      }
    }
  }
}
