package dev.rnn4j.kernels.testing;

// rnn4j:generate-float

import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.EB;
import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.GUARD;
import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.array;
import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.guarded;
import static dev.rnn4j.kernels.testing.KernelSweeps.WIDTH_INDEPENDENT;
import static dev.rnn4j.kernels.testing.TestValues.mixed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.kernels.DoubleKernels;
import dev.rnn4j.kernels.DoublePackedMatrix;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract tests of the BLAS-like kernels of {@link DoubleKernels}: gemm, its packed forms (packB, gemmPacked,
 * gemmPackedBias), gemv, axpy, dot and scal. The first link of the contract suite's chain of family classes, so it
 * declares {@link #kernels()}; implementations subclass {@link DoubleKernelsContract}, which runs every family (its
 * Javadoc says how expected values, tolerances and sizes are chosen).
 */
@SuppressWarnings("cast")
public abstract class DoubleBlasContract {

  /** The implementation under test. */
  protected abstract DoubleKernels kernels();

  // ===============================================================================================================
  // gemm
  // ===============================================================================================================

  // The hand-computed products: A = [[1, 2, 3], [4, 5, 6]] (2 x 3), B = [[7, 8], [9, 10], [11, 12]] (3 x 2),
  // AB = [[1*7 + 2*9 + 3*11, 1*8 + 2*10 + 3*12], [4*7 + 5*9 + 6*11, 4*8 + 5*10 + 6*12]] = [[58, 64], [139, 154]];
  // each stored as is and transposed (A^T 3 x 2, B^T 2 x 3). Tests pass clones.
  private static final double[] HAND_A = {1, 2, 3, 4, 5, 6};
  private static final double[] HAND_AT = {1, 4, 2, 5, 3, 6};
  private static final double[] HAND_B = {7, 8, 9, 10, 11, 12};
  private static final double[] HAND_BT = {7, 9, 11, 8, 10, 12};

  @Test
  @Tag(WIDTH_INDEPENDENT)
  void gemmHandComputedAllTransposes() {
    // With alpha = 2, beta = -1 and C = [[1, 2], [3, 4]]: C = 2 AB - C = [[115, 126], [275, 304]].
    double[] a = HAND_A.clone();
    double[] at = HAND_AT.clone();
    double[] b = HAND_B.clone();
    double[] bt = HAND_BT.clone();
    double[] want = {115, 126, 275, 304};
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        double[] c = {1, 2, 3, 4};
        kernels().gemm(ta, tb, 2, 2, 3, 2, ta ? at : a, 0, ta ? 2 : 3, tb ? bt : b, 0, tb ? 3 : 2, -1, c, 0, 2);
        assertTrue(Arrays.equals(want, c), "transA=" + ta + " transB=" + tb + ": " + Arrays.toString(c));
      }
    }
  }

  static Stream<Arguments> gemmShapes() {
    int[][] shapes = {{0, 5, 3}, {5, 0, 3}, {4, 5, 0}, {1, 1, 1}, {2, 3, 7}, {3, 2, 15}, {7, 16, 17}, {17, 15, 16},
        {31, 3, 33}, {33, 31, 3}, {1, 64, 65}, {65, 1, 63}, {5, 7, 127}, {3, 2, 129}, {2, 3, 1025}, {1, 1000, 3}};
    return Arrays.stream(shapes).map(s -> Arguments.of(s[0], s[1], s[2]));
  }

  @ParameterizedTest(name = "m={0} n={1} k={2}")
  @MethodSource("gemmShapes")
  void gemmMatchesExactProduct(int m, int n, int k) {
    Random rnd = new Random(31L * m + 7L * n + k);
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        double alpha = -0.75;
        double beta = 1.25;
        int aRows = ta ? k : m;
        int aCols = ta ? m : k;
        int bRows = tb ? n : k;
        int bCols = tb ? k : n;
        int lda = aCols + 3;
        int ldb = bCols + 1;
        int ldc = n + 2;
        double[] a = array(rnd, GUARD + aRows * lda + GUARD, mixed(4));
        double[] b = array(rnd, GUARD + bRows * ldb + GUARD, mixed(4));
        double[] c = array(rnd, GUARD + m * ldc + GUARD, mixed(4));
        double[] a0 = a.clone();
        double[] b0 = b.clone();
        double[] c0 = c.clone();
        kernels().gemm(ta, tb, m, n, k, alpha, a, GUARD, lda, b, GUARD, ldb, beta, c, GUARD, ldc);
        String op = "gemm transA=" + ta + " transB=" + tb + " m=" + m + " n=" + n + " k=" + k;
        Checks.unchanged(op + ": A", a0, a);
        Checks.unchanged(op + ": B", b0, b);
        Checks.unchangedOutsideMatrix(op + ": C", c0, c, m, n, GUARD, ldc);
        checkProduct(op, m, n, k, ta, tb, alpha, a0, lda, b0, ldb, beta, c0, c, ldc);
      }
    }
  }

  @ParameterizedTest(name = "m={0} n={1} k={2}")
  @MethodSource("gemmShapes")
  void gemmPackedMatchesExactProduct(int m, int n, int k) {
    Random rnd = new Random(37L * m + 5L * n + k);
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        double alpha = 1.5;
        double beta = ta ? 0 : -0.5;
        int lda = (ta ? m : k) + 2;
        int ldb = (tb ? k : n) + 3;
        int ldc = n + 1;
        double[] a = array(rnd, GUARD + (ta ? k : m) * lda + GUARD, mixed(4));
        double[] b = array(rnd, GUARD + (tb ? n : k) * ldb + GUARD, mixed(4));
        double[] c = array(rnd, GUARD + m * ldc + GUARD, mixed(4));
        double[] a0 = a.clone();
        double[] b0 = b.clone();
        double[] c0 = c.clone();
        DoublePackedMatrix p = kernels().packB(tb, k, n, b, GUARD, ldb, null);
        String op = "gemmPacked transA=" + ta + " transB=" + tb + " m=" + m + " n=" + n + " k=" + k;
        assertEquals(k, p.rows(), op + ": rows()");
        assertEquals(n, p.cols(), op + ": cols()");
        Arrays.fill(b, Double.NaN); // the packed matrix is a copy: B is not read again
        kernels().gemmPacked(ta, m, alpha, a, GUARD, lda, p, beta, c, GUARD, ldc);
        Checks.unchanged(op + ": A", a0, a);
        Checks.unchangedOutsideMatrix(op + ": C", c0, c, m, n, GUARD, ldc);
        checkProduct(op, m, n, k, ta, tb, alpha, a0, lda, b0, ldb, beta, c0, c, ldc);
      }
    }
  }

  /**
   * Every element of C (arrays with GUARD elements before the matrices) within gamma(k + 2) (|alpha| sum |a b| +
   * |beta c|) of the exact {@code alpha op(A) op(B) + beta C0}.
   */
  private static void checkProduct(String op, int m, int n, int k, boolean ta, boolean tb, double alpha, double[] a0,
                                   int lda, double[] b0, int ldb, double beta, double[] c0, double[] c, int ldc) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double[] row = new double[k];
        double[] col = new double[k];
        for (int p = 0; p < k; p++) {
          row[p] = ta ? a0[GUARD + p * lda + i] : a0[GUARD + i * lda + p];
          col[p] = tb ? b0[GUARD + j * ldb + p] : b0[GUARD + p * ldb + j];
        }
        double cij = c0[GUARD + i * ldc + j];
        var want = Exact.affine(alpha, Checks.widen(row), Checks.widen(col), beta, cij);
        var abs = Math.abs(alpha) * Exact.dotAbs(Checks.widen(row), 0, Checks.widen(col), 0, k)
            + Math.abs(Exact.product(beta, cij));
        Checks.closeToExact(op + " C[" + i + ", " + j + "]", want, c[GUARD + i * ldc + j], EB.running(k + 2, abs));
      }
    }
  }

  @Test
  @Tag(WIDTH_INDEPENDENT)
  void packBReusesLargeEnoughStorage() {
    // [[1, 2], [3, 4]] packed into the storage of an earlier 3 x 3 matrix, then multiplied by [[1, 1]]: [[4, 6]].
    DoublePackedMatrix big = kernels().packB(false, 3, 3, new double[9], 0, 3, null);
    DoublePackedMatrix p = kernels().packB(false, 2, 2, new double[] {1, 2, 3, 4}, 0, 2, big);
    assertTrue(p == big, "packB did not reuse the storage of a larger packed matrix");
    double[] c = new double[2];
    kernels().gemmPacked(false, 1, 1, new double[] {1, 1}, 0, 2, p, 0, c, 0, 2);
    assertTrue(Arrays.equals(new double[] {4, 6}, c), Arrays.toString(c));
  }

  /** A 1 x 1 packed matrix of no implementation. */
  private static DoublePackedMatrix foreignPackedMatrix() {
    return new DoublePackedMatrix() {
      @Override
      public int rows() {
        return 1;
      }

      @Override
      public int cols() {
        return 1;
      }
    };
  }

  @Test
  @Tag(WIDTH_INDEPENDENT)
  void gemmPackedRejectsAMatrixPackedElsewhere() {
    DoublePackedMatrix foreign = foreignPackedMatrix();
    var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> kernels().gemmPacked(false, 1, 1, new double[1], 0, 1, foreign, 0, new double[1], 0, 1));
    assertTrue(e.getMessage().startsWith("gemmPacked:"), e.getMessage());
  }

  // ===============================================================================================================
  // gemmPackedBias
  // ===============================================================================================================

  @Test
  @Tag(WIDTH_INDEPENDENT)
  void gemmPackedBiasHandComputed() {
    // The hand-computed AB = [[58, 64], [139, 154]] (above gemmHandComputedAllTransposes), alpha = 2,
    // bias = [0.5, -1]: C = 2 AB + [0.5, -1] in each row = [[116.5, 127], [278.5, 307]]. Every product and partial
    // sum is an integer or half below 2^11, exact in float32 and float64, so the bound is 0.
    // C holds NaN before the call (it is written, not read), in a 3 x 3 array (ldc 3): the third row and the
    // third column lie outside the 2 x 2 result and keep their value 99.
    double[] a = HAND_A.clone();
    double[] at = HAND_AT.clone();
    double[] b = HAND_B.clone();
    double[] bt = HAND_BT.clone();
    double[] bias = {-3, 0.5, -1}; // biasOff 1
    double nan = Double.NaN;
    double[] want = {116.5, 127, 99, 278.5, 307, 99, 99, 99, 99};
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        DoublePackedMatrix p = kernels().packB(tb, 3, 2, tb ? bt : b, 0, tb ? 3 : 2, null);
        double[] c = {nan, nan, 99, nan, nan, 99, 99, 99, 99};
        kernels().gemmPackedBias(ta, 2, 2, ta ? at : a, 0, ta ? 2 : 3, p, bias, 1, c, 0, 3);
        assertTrue(Arrays.equals(want, c), "transA=" + ta + " transB=" + tb + ": " + Arrays.toString(c));
        assertTrue(Arrays.equals(new double[] {-3, 0.5, -1}, bias), "bias modified: " + Arrays.toString(bias));
      }
    }
  }

  /**
   * m: every row path of a blocked implementation (groups of 6 rows, tails of 1 to 5, 16 and 32 rows as in
   * recurrent batches, 37 = 6 * 6 + 1); n: not multiples of a vector width, and 300 and 521, past a 256- or
   * 512-column block (so the bias is read from the middle of its row); k: 0, small, and past a 256-deep k block
   * (later k blocks accumulate into C instead of starting from the bias).
   */
  static Stream<Arguments> gemmPackedBiasShapes() {
    int[][] shapes = {{0, 5, 3}, {3, 0, 4}, {5, 7, 0}, {1, 1, 1}, {1, 300, 270}, {2, 521, 20}, {3, 9, 7},
        {4, 65, 257}, {5, 31, 40}, {6, 15, 513}, {7, 70, 16}, {16, 33, 260}, {32, 19, 31}, {37, 9, 260}};
    return Arrays.stream(shapes).map(s -> Arguments.of(s[0], s[1], s[2]));
  }

  @ParameterizedTest(name = "m={0} n={1} k={2}")
  @MethodSource("gemmPackedBiasShapes")
  void gemmPackedBiasMatchesExactProductAndGemmPackedOnBiasRows(int m, int n, int k) {
    Random rnd = new Random(41L * m + 3L * n + k);
    for (boolean ta : new boolean[] {false, true}) {
      checkGemmPackedBias(kernels(), m, n, k, ta, rnd);
    }
  }

  /**
   * gemmPackedBias of {@code kernels} on one m x n x k product, B packed transposed when A is not (so both packings
   * are used), leading dimensions and offsets larger than tight, C filled with NaN where it is written and one row
   * more than m: every element within gamma(k + 2) (|alpha| sum |a b| + |bias_j|) of the exact
   * {@code alpha op(A) op(B) + bias_j} (k roundings for the sum, one for alpha, one for adding the bias); bit for bit
   * what {@code gemmPacked} with beta = 1 gives on a C whose rows hold the bias (the contract's definition); every
   * row computed alone (m = 1) bit for bit the same; A, B's packed copy and the bias not modified and C not touched
   * outside the m x n result. Public so that the mutant tests can show it rejects a broken kernel.
   *
   * @throws AssertionError where kernels breaks the contract
   */
  public static void checkGemmPackedBias(DoubleKernels kernels, int m, int n, int k, boolean ta, Random rnd) {
    boolean tb = !ta;
    double alpha = -1.25;
    int lda = (ta ? m : k) + 2;
    int ldb = (tb ? k : n) + 3;
    int ldc = n + 3;
    double[] a = guarded(rnd, (ta ? k : m) * lda, mixed(4));
    double[] b = guarded(rnd, (tb ? n : k) * ldb, mixed(4));
    double[] bias = guarded(rnd, n, mixed(4));
    double[] c = guarded(rnd, (m + 1) * ldc, mixed(4));
    for (int i = 0; i < m; i++) {
      Arrays.fill(c, GUARD + i * ldc, GUARD + i * ldc + n, Double.NaN); // written, not read
    }
    double[] a0 = a.clone();
    double[] bias0 = bias.clone();
    double[] c0 = c.clone();
    DoublePackedMatrix p = kernels.packB(tb, k, n, b, GUARD, ldb, null);
    String op = "gemmPackedBias transA=" + ta + " transB=" + tb + " m=" + m + " n=" + n + " k=" + k;
    kernels.gemmPackedBias(ta, m, alpha, a, GUARD, lda, p, bias, GUARD, c, GUARD, ldc);
    Checks.unchanged(op + ": A", a0, a);
    Checks.unchanged(op + ": bias", bias0, bias);
    Checks.unchangedOutsideMatrix(op + ": C", c0, c, m, n, GUARD, ldc);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double[] row = new double[k];
        double[] col = new double[k];
        for (int q = 0; q < k; q++) {
          row[q] = ta ? a0[GUARD + q * lda + i] : a0[GUARD + i * lda + q];
          col[q] = tb ? b[GUARD + j * ldb + q] : b[GUARD + q * ldb + j];
        }
        double bj = bias0[GUARD + j];
        var want = Exact.affine(alpha, Checks.widen(row), Checks.widen(col), 1, bj);
        var abs = Math.abs(alpha) * Exact.dotAbs(Checks.widen(row), 0, Checks.widen(col), 0, k) + Math.abs(bj);
        Checks.closeToExact(op + " C[" + i + ", " + j + "]", want, c[GUARD + i * ldc + j], EB.running(k + 2, abs));
      }
    }
    double[] biasRows = c0.clone();
    for (int i = 0; i < m; i++) {
      System.arraycopy(bias0, GUARD, biasRows, GUARD + i * ldc, n);
    }
    kernels.gemmPacked(ta, m, alpha, a0, GUARD, lda, p, 1, biasRows, GUARD, ldc);
    sameBits(op + ": vs gemmPacked with beta = 1 on C = bias rows", biasRows, c, 0, c.length);
    for (int i = 0; i < m; i++) {
      double[] alone = c0.clone();
      kernels.gemmPackedBias(ta, 1, alpha, a0, GUARD + (ta ? i : i * lda), lda, p, bias0, GUARD, alone,
          GUARD + i * ldc, ldc);
      sameBits(op + ": row " + i + " computed alone", c, alone, GUARD + i * ldc, GUARD + i * ldc + n);
    }
  }

  /** want and got hold the same bits in [from, to). */
  private static void sameBits(String what, double[] want, double[] got, int from, int to) {
    for (int i = from; i < to; i++) {
      if (Double.compare(want[i], got[i]) != 0) {
        throw new AssertionError(what + ": element " + i + " is " + got[i] + ", want " + want[i]);
      }
    }
  }

  @Test
  @Tag(WIDTH_INDEPENDENT)
  void gemmPackedBiasRejectsAMatrixPackedElsewhere() {
    DoublePackedMatrix foreign = foreignPackedMatrix();
    var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> kernels().gemmPackedBias(false, 1, 1, new double[1], 0, 1, foreign, new double[1], 0, new double[1],
            0, 1));
    assertTrue(e.getMessage().startsWith("gemmPackedBias:"), e.getMessage());
  }

  @Test
  void gemmWithBetaZeroDoesNotReadC() {
    // C full of NaN and Inf: with beta = 0 the result is alpha * AB only. A = [[1, 2]], B = [[3], [4]]: AB = 11.
    double[] c = {Double.NaN, Double.POSITIVE_INFINITY, Double.NaN};
    kernels().gemm(false, false, 1, 1, 2, 2, new double[] {1, 2}, 0, 2, new double[] {3, 4}, 0, 1, 0, c, 1, 1);
    assertEquals(22, c[1]);
    assertTrue(Double.isNaN(c[0]) && Double.isNaN(c[2]), "guards changed");
    // Larger, odd, transposed: every element of C must be finite and equal to alpha * (A^T B^T).
    Random rnd = new Random(5);
    int m = 17;
    int n = 9;
    int k = 33;
    double[] a = array(rnd, k * m, mixed(2));
    double[] b = array(rnd, n * k, mixed(2));
    double[] cc = new double[m * n];
    Arrays.fill(cc, Double.NaN);
    kernels().gemm(true, true, m, n, k, 1, a, 0, m, b, 0, k, 0, cc, 0, n);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double[] row = new double[k];
        double[] col = new double[k];
        for (int p = 0; p < k; p++) {
          row[p] = a[p * m + i];
          col[p] = b[j * k + p];
        }
        var want = Exact.dot(Checks.widen(row), 0, Checks.widen(col), 0, k);
        Checks.closeToExact("gemm beta=0 C[" + i + ", " + j + "]", want, cc[i * n + j],
            EB.running(k + 2, Exact.dotAbs(Checks.widen(row), 0, Checks.widen(col), 0, k)));
      }
    }
  }

  // ===============================================================================================================
  // gemv
  // ===============================================================================================================

  @Test
  @Tag(WIDTH_INDEPENDENT)
  void gemvHandComputed() {
    // A = [[1, 2, 3], [4, 5, 6]]; A x with x = [1, 0, -1] is [1 - 3, 4 - 6] = [-2, -2];
    // A^T x' with x' = [1, 2] is [1 + 8, 2 + 10, 3 + 12] = [9, 12, 15]. alpha = 3, beta = 0.5, y = [2, 4] / [2, 4, 6].
    double[] a = {1, 2, 3, 4, 5, 6};
    double[] y = {2, 4};
    kernels().gemv(false, 2, 3, 3, a, 0, 3, new double[] {1, 0, -1}, 0, 0.5, y, 0);
    assertTrue(Arrays.equals(new double[] {-5, -4}, y), Arrays.toString(y)); // 3 * -2 + 1, 3 * -2 + 2
    double[] yt = {2, 4, 6};
    kernels().gemv(true, 2, 3, 3, a, 0, 3, new double[] {1, 2}, 0, 0.5, yt, 0);
    assertTrue(Arrays.equals(new double[] {28, 38, 48}, yt), Arrays.toString(yt)); // 27 + 1, 36 + 2, 45 + 3
  }

  static Stream<Arguments> gemvShapes() {
    int[][] shapes = {{0, 3}, {3, 0}, {1, 1}, {2, 3}, {7, 15}, {16, 17}, {31, 33}, {63, 64}, {65, 7}, {3, 127},
        {129, 2}, {2, 1000}, {1025, 1}};
    return Arrays.stream(shapes).map(s -> Arguments.of(s[0], s[1]));
  }

  @ParameterizedTest(name = "m={0} n={1}")
  @MethodSource("gemvShapes")
  void gemvMatchesExactProduct(int m, int n) {
    Random rnd = new Random(131L * m + n);
    for (boolean trans : new boolean[] {false, true}) {
      int lda = n + 3;
      int inLen = trans ? m : n;
      int outLen = trans ? n : m;
      double[] a = array(rnd, GUARD + m * lda + GUARD, mixed(4));
      double[] x = guarded(rnd, inLen, mixed(4));
      double[] y = guarded(rnd, outLen, mixed(4));
      double[] a0 = a.clone();
      double[] x0 = x.clone();
      double[] y0 = y.clone();
      double alpha = 1.5;
      double beta = trans ? -2 : 0.25;
      kernels().gemv(trans, m, n, alpha, a, GUARD, lda, x, GUARD, beta, y, GUARD);
      String op = "gemv trans=" + trans + " m=" + m + " n=" + n;
      Checks.unchanged(op + ": A", a0, a);
      Checks.unchanged(op + ": x", x0, x);
      Checks.unchangedOutside(op + ": y", y0, y, GUARD, GUARD + outLen);
      for (int i = 0; i < outLen; i++) {
        double[] row = new double[inLen];
        for (int j = 0; j < inLen; j++) {
          row[j] = trans ? a0[GUARD + j * lda + i] : a0[GUARD + i * lda + j];
        }
        double[] xs = Arrays.copyOfRange(x0, GUARD, GUARD + inLen);
        var want = Exact.affine(alpha, Checks.widen(row), Checks.widen(xs), beta, y0[GUARD + i]);
        var abs = Math.abs(alpha) * Exact.dotAbs(Checks.widen(row), 0, Checks.widen(xs), 0, inLen)
            + Math.abs(Exact.product(beta, y0[GUARD + i]));
        Checks.closeToExact(op + " y[" + i + "]", want, y[GUARD + i], EB.running(inLen + 2, abs));
      }
    }
  }

  @Test
  void gemvWithBetaZeroDoesNotReadY() {
    double[] y = {Double.NaN, Double.NaN, Double.NEGATIVE_INFINITY};
    // [[1, 2], [3, 4]] [1, 1] = [3, 7]
    kernels().gemv(false, 2, 2, 1, new double[] {1, 2, 3, 4}, 0, 2, new double[] {1, 1}, 0, 0, y, 0);
    assertEquals(3, y[0]);
    assertEquals(7, y[1]);
    assertEquals(Double.NEGATIVE_INFINITY, y[2]);
  }

  // ===============================================================================================================
  // axpy, dot, scal
  // ===============================================================================================================

  @ParameterizedTest(name = "n={0}")
  @MethodSource("dev.rnn4j.kernels.testing.KernelSweeps#sizes")
  void axpyMatchesExact(int n) {
    Random rnd = new Random(n);
    double[] x = guarded(rnd, n, mixed(8));
    double[] y = guarded(rnd, n, mixed(8));
    double[] x0 = x.clone();
    double[] y0 = y.clone();
    double alpha = -1.375;
    kernels().axpy(n, alpha, x, GUARD, y, GUARD);
    Checks.unchanged("axpy: x", x0, x);
    Checks.unchangedOutside("axpy: y", y0, y, GUARD, GUARD + n);
    for (int i = 0; i < n; i++) {
      double xi = x0[GUARD + i];
      double yi = y0[GUARD + i];
      var want = Exact.affine(alpha, Checks.widen(new double[] {xi}), Checks.widen(new double[] {1}), 1, yi);
      Checks.closeToExact("axpy [" + i + "]", want, y[GUARD + i],
          EB.running(2, Math.abs(yi) + Math.abs(Exact.product(alpha, xi))));
    }
    // Aliased: y is the same range as x, so y = (1 + alpha) x; with alpha = 3 and x_i = i - 5 that is 4 (i - 5).
    double[] z = new double[n + 2];
    for (int i = 0; i < n; i++) {
      z[1 + i] = i - 5;
    }
    kernels().axpy(n, 3, z, 1, z, 1);
    for (int i = 0; i < n; i++) {
      assertEquals(4 * (i - 5), z[1 + i], "axpy aliased [" + i + "]");
    }
    assertEquals(0, z[0]);
    assertEquals(0, z[n + 1]);
  }

  @ParameterizedTest(name = "n={0}")
  @MethodSource("dev.rnn4j.kernels.testing.KernelSweeps#sizes")
  void dotMatchesClosedFormAndExact(int n) {
    // sum_{i=1..n} i^2 = n (n + 1) (2n + 1) / 6 (exact integer; the bound covers float32, where it is not
    // representable for large n).
    double[] x = new double[n + 1];
    for (int i = 0; i < n; i++) {
      x[1 + i] = i + 1;
    }
    long closed = (long) n * (n + 1) * (2L * n + 1) / 6;
    Checks.close("dot 1..n", closed, kernels().dot(n, x, 1, x, 1), EB.running(n, closed));
    Random rnd = new Random(n);
    double[] a = guarded(rnd, n, mixed(8));
    double[] b = guarded(rnd, n, mixed(8));
    double[] a0 = a.clone();
    double[] b0 = b.clone();
    double got = kernels().dot(n, a, GUARD, b, GUARD);
    Checks.unchanged("dot: x", a0, a);
    Checks.unchanged("dot: y", b0, b);
    Checks.closeToExact("dot", Exact.dot(Checks.widen(a), GUARD, Checks.widen(b), GUARD, n), got,
        EB.running(n, Exact.dotAbs(Checks.widen(a), GUARD, Checks.widen(b), GUARD, n)));
  }

  @ParameterizedTest(name = "n={0}")
  @MethodSource("dev.rnn4j.kernels.testing.KernelSweeps#sizes")
  void scalIsExact(int n) {
    // (i + 0.5) * -2 = -2i - 1, exact.
    double[] x = new double[n + 2];
    for (int i = 0; i < n; i++) {
      x[1 + i] = i + 0.5;
    }
    x[0] = 7;
    x[n + 1] = 9;
    kernels().scal(n, -2, x, 1);
    for (int i = 0; i < n; i++) {
      assertEquals(-2 * i - 1, x[1 + i], "scal [" + i + "]");
    }
    assertEquals(7, x[0]);
    assertEquals(9, x[n + 1]);
  }
}
