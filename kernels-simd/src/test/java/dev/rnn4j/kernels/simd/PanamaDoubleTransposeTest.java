package dev.rnn4j.kernels.simd;

// rnn4j:generate-float

import static dev.rnn4j.kernels.simd.PanamaDoubleSpecies.LANES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rnn4j.kernels.DoublePackedMatrix;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * The in-register block transpose that packB uses for a transposed B on AVX-512 CPUs
 * ({@link PanamaDoubleTranspose#IN_REGISTERS}), and packB with a transposed B through the public contract. A
 * transpose is a copy, so the checks are exact. Every element of the source is distinct, so a lane or a row sent to
 * the wrong place shows; the mutants below (an off-by-one source, a block copied without transposing) show that the
 * check catches both.
 */
class PanamaDoubleTransposeTest {

  private static final int SRC = 5;
  private static final int LDB = LANES + 3;
  private static final int DST = 7;
  private static final int LDT = 4 * LANES + 1;

  @Test
  void blockStoresItsSourceTransposed() {
    assumeBlockWidth();
    double[] b = distinct(SRC + (LANES + 1) * LDB);
    double[] bp = transposed(b, SRC);
    assertTransposed(b, SRC, bp);
  }

  @Test
  void theCheckCatchesAWrongTranspose() {
    assumeBlockWidth();
    double[] b = distinct(SRC + (LANES + 1) * LDB);
    // Mutant 1: the block one element further along each row (an index off by one).
    double[] offByOne = transposed(b, SRC + 1);
    assertThrows(AssertionFailedError.class, () -> assertTransposed(b, SRC, offByOne));
    // Mutant 2: the rows copied as they are, not transposed.
    double[] copied = new double[DST + LANES * LDT + 1];
    Arrays.fill(copied, Double.NaN);
    for (int l = 0; l < LANES; l++) {
      System.arraycopy(b, SRC + l * LDB, copied, DST + l * LDT, LANES);
    }
    assertThrows(AssertionFailedError.class, () -> assertTransposed(b, SRC, copied));
  }

  /**
   * packB of a transposed B (stored n x k) at sizes whose strips mix whole LANES x LANES blocks with a gathered rest
   * (k = 2 * PACK_STRIP + LANES + 3) and whose last panel is partial: multiplying the packed matrix by the unit row
   * e_p gives row p of op(B) exactly (an FMA chain of 1 * b_p and exact zeros), for every p.
   */
  @Test
  void packedTransposedMatrixHoldsEveryElementExactly() {
    int k = 2 * PanamaDoubleGemm.PACK_STRIP + LANES + 3;
    int n = 2 * PanamaDoubleGemm.NR + LANES + 5;
    int ldb = k + 2;
    int bOff = 3;
    double[] b = distinct(bOff + n * ldb);
    PanamaDoubleKernels kernels = new PanamaDoubleKernels();
    DoublePackedMatrix packed = kernels.packB(true, k, n, b, bOff, ldb, null);
    double[] unit = new double[k];
    double[] row = new double[n];
    for (int p = 0; p < k; p++) {
      Arrays.fill(unit, 0);
      unit[p] = 1;
      kernels.gemmPacked(false, 1, 1, unit, 0, k, packed, 0, row, 0, n);
      for (int j = 0; j < n; j++) {
        assertEquals(b[bOff + j * ldb + p], row[j], "op(B)[" + p + ", " + j + "] after packing");
      }
    }
  }

  private static void assumeBlockWidth() {
    assumeTrue(LANES == 8 || LANES == 16, "the block transpose exists for 8 and 16 lanes, not " + LANES);
  }

  /** PanamaDoubleTranspose.block of the block at src into a NaN-filled array. */
  private static double[] transposed(double[] b, int src) {
    double[] bp = new double[DST + LANES * LDT + 1];
    Arrays.fill(bp, Double.NaN);
    PanamaDoubleTranspose.block(b, src, LDB, bp, DST, LDT);
    return bp;
  }

  /** bp[DST + p * LDT + l] == b[src + l * LDB + p] for p, l in [0, LANES); every other element still NaN. */
  private static void assertTransposed(double[] b, int src, double[] bp) {
    boolean[] written = new boolean[bp.length];
    for (int p = 0; p < LANES; p++) {
      for (int l = 0; l < LANES; l++) {
        int at = DST + p * LDT + l;
        assertEquals(b[src + l * LDB + p], bp[at], "transposed[" + p + ", " + l + "]");
        written[at] = true;
      }
    }
    for (int i = 0; i < bp.length; i++) {
      if (!written[i]) {
        assertEquals(Double.NaN, bp[i], "element " + i + " outside the block changed");
      }
    }
  }

  /** 1, 2, 3, ...: every element distinct and exact in float32 too (n below 2^24). */
  private static double[] distinct(int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = i + 1;
    }
    return x;
  }
}
