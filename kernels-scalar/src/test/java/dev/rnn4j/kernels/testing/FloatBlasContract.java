package dev.rnn4j.kernels.testing;

// Generated from DoubleBlasContract.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

import static dev.rnn4j.kernels.testing.FloatKernelTestSupport.EB;
import static dev.rnn4j.kernels.testing.FloatKernelTestSupport.GUARD;
import static dev.rnn4j.kernels.testing.FloatKernelTestSupport.array;
import static dev.rnn4j.kernels.testing.FloatKernelTestSupport.guarded;
import static dev.rnn4j.kernels.testing.KernelSweeps.WIDTH_INDEPENDENT;
import static dev.rnn4j.kernels.testing.TestValues.mixed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.kernels.FloatPackedMatrix;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract tests of the BLAS-like kernels of {@link FloatKernels}: gemm, its packed forms (packB, gemmPacked,
 * gemmPackedBias), gemv, axpy, dot and scal. The first link of the contract suite's chain of family classes, so it
 * declares {@link #kernels()}; implementations subclass {@link FloatKernelsContract}, which runs every family (its
 * Javadoc says how expected values, tolerances and sizes are chosen).
 */
@SuppressWarnings("cast")
public abstract class FloatBlasContract {

  /** The implementation under test. */
  protected abstract FloatKernels kernels();

  // ===============================================================================================================
  // gemm
  // ===============================================================================================================

  // The hand-computed products: A = [[1, 2, 3], [4, 5, 6]] (2 x 3), B = [[7, 8], [9, 10], [11, 12]] (3 x 2),
  // AB = [[1*7 + 2*9 + 3*11, 1*8 + 2*10 + 3*12], [4*7 + 5*9 + 6*11, 4*8 + 5*10 + 6*12]] = [[58, 64], [139, 154]];
  // each stored as is and transposed (A^T 3 x 2, B^T 2 x 3). Tests pass clones.
  private static final float[] HAND_A = {1, 2, 3, 4, 5, 6};
  private static final float[] HAND_AT = {1, 4, 2, 5, 3, 6};
  private static final float[] HAND_B = {7, 8, 9, 10, 11, 12};
  private static final float[] HAND_BT = {7, 9, 11, 8, 10, 12};

  @Test
  @Tag(WIDTH_INDEPENDENT)
  void gemmHandComputedAllTransposes() {
    // With alpha = 2, beta = -1 and C = [[1, 2], [3, 4]]: C = 2 AB - C = [[115, 126], [275, 304]].
    float[] a = HAND_A.clone();
    float[] at = HAND_AT.clone();
    float[] b = HAND_B.clone();
    float[] bt = HAND_BT.clone();
    float[] want = {115, 126, 275, 304};
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        float[] c = {1, 2, 3, 4};
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
        float alpha = -0.75f;
        float beta = 1.25f;
        int aRows = ta ? k : m;
        int aCols = ta ? m : k;
        int bRows = tb ? n : k;
        int bCols = tb ? k : n;
        int lda = aCols + 3;
        int ldb = bCols + 1;
        int ldc = n + 2;
        float[] a = array(rnd, GUARD + aRows * lda + GUARD, mixed(4));
        float[] b = array(rnd, GUARD + bRows * ldb + GUARD, mixed(4));
        float[] c = array(rnd, GUARD + m * ldc + GUARD, mixed(4));
        float[] a0 = a.clone();
        float[] b0 = b.clone();
        float[] c0 = c.clone();
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
        float alpha = 1.5f;
        float beta = ta ? 0 : -0.5f;
        int lda = (ta ? m : k) + 2;
        int ldb = (tb ? k : n) + 3;
        int ldc = n + 1;
        float[] a = array(rnd, GUARD + (ta ? k : m) * lda + GUARD, mixed(4));
        float[] b = array(rnd, GUARD + (tb ? n : k) * ldb + GUARD, mixed(4));
        float[] c = array(rnd, GUARD + m * ldc + GUARD, mixed(4));
        float[] a0 = a.clone();
        float[] b0 = b.clone();
        float[] c0 = c.clone();
        FloatPackedMatrix p = kernels().packB(tb, k, n, b, GUARD, ldb, null);
        String op = "gemmPacked transA=" + ta + " transB=" + tb + " m=" + m + " n=" + n + " k=" + k;
        assertEquals(k, p.rows(), op + ": rows()");
        assertEquals(n, p.cols(), op + ": cols()");
        Arrays.fill(b, Float.NaN); // the packed matrix is a copy: B is not read again
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
  private static void checkProduct(String op, int m, int n, int k, boolean ta, boolean tb, float alpha, float[] a0,
                                   int lda, float[] b0, int ldb, float beta, float[] c0, float[] c, int ldc) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        float[] row = new float[k];
        float[] col = new float[k];
        for (int p = 0; p < k; p++) {
          row[p] = ta ? a0[GUARD + p * lda + i] : a0[GUARD + i * lda + p];
          col[p] = tb ? b0[GUARD + j * ldb + p] : b0[GUARD + p * ldb + j];
        }
        float cij = c0[GUARD + i * ldc + j];
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
    FloatPackedMatrix big = kernels().packB(false, 3, 3, new float[9], 0, 3, null);
    FloatPackedMatrix p = kernels().packB(false, 2, 2, new float[] {1, 2, 3, 4}, 0, 2, big);
    assertTrue(p == big, "packB did not reuse the storage of a larger packed matrix");
    float[] c = new float[2];
    kernels().gemmPacked(false, 1, 1, new float[] {1, 1}, 0, 2, p, 0, c, 0, 2);
    assertTrue(Arrays.equals(new float[] {4, 6}, c), Arrays.toString(c));
  }

  /** A 1 x 1 packed matrix of no implementation. */
  private static FloatPackedMatrix foreignPackedMatrix() {
    return new FloatPackedMatrix() {
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
    FloatPackedMatrix foreign = foreignPackedMatrix();
    var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> kernels().gemmPacked(false, 1, 1, new float[1], 0, 1, foreign, 0, new float[1], 0, 1));
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
    // sum is an integer or half below 2^11, exact in float32 and float32, so the bound is 0.
    // C holds NaN before the call (it is written, not read), in a 3 x 3 array (ldc 3): the third row and the
    // third column lie outside the 2 x 2 result and keep their value 99.
    float[] a = HAND_A.clone();
    float[] at = HAND_AT.clone();
    float[] b = HAND_B.clone();
    float[] bt = HAND_BT.clone();
    float[] bias = {-3, 0.5f, -1}; // biasOff 1
    float nan = Float.NaN;
    float[] want = {116.5f, 127, 99, 278.5f, 307, 99, 99, 99, 99};
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        FloatPackedMatrix p = kernels().packB(tb, 3, 2, tb ? bt : b, 0, tb ? 3 : 2, null);
        float[] c = {nan, nan, 99, nan, nan, 99, 99, 99, 99};
        kernels().gemmPackedBias(ta, 2, 2, ta ? at : a, 0, ta ? 2 : 3, p, bias, 1, c, 0, 3);
        assertTrue(Arrays.equals(want, c), "transA=" + ta + " transB=" + tb + ": " + Arrays.toString(c));
        assertTrue(Arrays.equals(new float[] {-3, 0.5f, -1}, bias), "bias modified: " + Arrays.toString(bias));
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
  public static void checkGemmPackedBias(FloatKernels kernels, int m, int n, int k, boolean ta, Random rnd) {
    boolean tb = !ta;
    float alpha = -1.25f;
    int lda = (ta ? m : k) + 2;
    int ldb = (tb ? k : n) + 3;
    int ldc = n + 3;
    float[] a = guarded(rnd, (ta ? k : m) * lda, mixed(4));
    float[] b = guarded(rnd, (tb ? n : k) * ldb, mixed(4));
    float[] bias = guarded(rnd, n, mixed(4));
    float[] c = guarded(rnd, (m + 1) * ldc, mixed(4));
    for (int i = 0; i < m; i++) {
      Arrays.fill(c, GUARD + i * ldc, GUARD + i * ldc + n, Float.NaN); // written, not read
    }
    float[] a0 = a.clone();
    float[] bias0 = bias.clone();
    float[] c0 = c.clone();
    FloatPackedMatrix p = kernels.packB(tb, k, n, b, GUARD, ldb, null);
    String op = "gemmPackedBias transA=" + ta + " transB=" + tb + " m=" + m + " n=" + n + " k=" + k;
    kernels.gemmPackedBias(ta, m, alpha, a, GUARD, lda, p, bias, GUARD, c, GUARD, ldc);
    Checks.unchanged(op + ": A", a0, a);
    Checks.unchanged(op + ": bias", bias0, bias);
    Checks.unchangedOutsideMatrix(op + ": C", c0, c, m, n, GUARD, ldc);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        float[] row = new float[k];
        float[] col = new float[k];
        for (int q = 0; q < k; q++) {
          row[q] = ta ? a0[GUARD + q * lda + i] : a0[GUARD + i * lda + q];
          col[q] = tb ? b[GUARD + j * ldb + q] : b[GUARD + q * ldb + j];
        }
        float bj = bias0[GUARD + j];
        var want = Exact.affine(alpha, Checks.widen(row), Checks.widen(col), 1, bj);
        var abs = Math.abs(alpha) * Exact.dotAbs(Checks.widen(row), 0, Checks.widen(col), 0, k) + Math.abs(bj);
        Checks.closeToExact(op + " C[" + i + ", " + j + "]", want, c[GUARD + i * ldc + j], EB.running(k + 2, abs));
      }
    }
    float[] biasRows = c0.clone();
    for (int i = 0; i < m; i++) {
      System.arraycopy(bias0, GUARD, biasRows, GUARD + i * ldc, n);
    }
    kernels.gemmPacked(ta, m, alpha, a0, GUARD, lda, p, 1, biasRows, GUARD, ldc);
    sameBits(op + ": vs gemmPacked with beta = 1 on C = bias rows", biasRows, c, 0, c.length);
    for (int i = 0; i < m; i++) {
      float[] alone = c0.clone();
      kernels.gemmPackedBias(ta, 1, alpha, a0, GUARD + (ta ? i : i * lda), lda, p, bias0, GUARD, alone,
          GUARD + i * ldc, ldc);
      sameBits(op + ": row " + i + " computed alone", c, alone, GUARD + i * ldc, GUARD + i * ldc + n);
    }
  }

  /** want and got hold the same bits in [from, to). */
  private static void sameBits(String what, float[] want, float[] got, int from, int to) {
    for (int i = from; i < to; i++) {
      if (Float.compare(want[i], got[i]) != 0) {
        throw new AssertionError(what + ": element " + i + " is " + got[i] + ", want " + want[i]);
      }
    }
  }

  @Test
  @Tag(WIDTH_INDEPENDENT)
  void gemmPackedBiasRejectsAMatrixPackedElsewhere() {
    FloatPackedMatrix foreign = foreignPackedMatrix();
    var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> kernels().gemmPackedBias(false, 1, 1, new float[1], 0, 1, foreign, new float[1], 0, new float[1],
            0, 1));
    assertTrue(e.getMessage().startsWith("gemmPackedBias:"), e.getMessage());
  }

  @Test
  void gemmWithBetaZeroDoesNotReadC() {
    // C full of NaN and Inf: with beta = 0 the result is alpha * AB only. A = [[1, 2]], B = [[3], [4]]: AB = 11.
    float[] c = {Float.NaN, Float.POSITIVE_INFINITY, Float.NaN};
    kernels().gemm(false, false, 1, 1, 2, 2, new float[] {1, 2}, 0, 2, new float[] {3, 4}, 0, 1, 0, c, 1, 1);
    assertEquals(22, c[1]);
    assertTrue(Float.isNaN(c[0]) && Float.isNaN(c[2]), "guards changed");
    // Larger, odd, transposed: every element of C must be finite and equal to alpha * (A^T B^T).
    Random rnd = new Random(5);
    int m = 17;
    int n = 9;
    int k = 33;
    float[] a = array(rnd, k * m, mixed(2));
    float[] b = array(rnd, n * k, mixed(2));
    float[] cc = new float[m * n];
    Arrays.fill(cc, Float.NaN);
    kernels().gemm(true, true, m, n, k, 1, a, 0, m, b, 0, k, 0, cc, 0, n);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        float[] row = new float[k];
        float[] col = new float[k];
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
    float[] a = {1, 2, 3, 4, 5, 6};
    float[] y = {2, 4};
    kernels().gemv(false, 2, 3, 3, a, 0, 3, new float[] {1, 0, -1}, 0, 0.5f, y, 0);
    assertTrue(Arrays.equals(new float[] {-5, -4}, y), Arrays.toString(y)); // 3 * -2 + 1, 3 * -2 + 2
    float[] yt = {2, 4, 6};
    kernels().gemv(true, 2, 3, 3, a, 0, 3, new float[] {1, 2}, 0, 0.5f, yt, 0);
    assertTrue(Arrays.equals(new float[] {28, 38, 48}, yt), Arrays.toString(yt)); // 27 + 1, 36 + 2, 45 + 3
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
      float[] a = array(rnd, GUARD + m * lda + GUARD, mixed(4));
      float[] x = guarded(rnd, inLen, mixed(4));
      float[] y = guarded(rnd, outLen, mixed(4));
      float[] a0 = a.clone();
      float[] x0 = x.clone();
      float[] y0 = y.clone();
      float alpha = 1.5f;
      float beta = trans ? -2 : 0.25f;
      kernels().gemv(trans, m, n, alpha, a, GUARD, lda, x, GUARD, beta, y, GUARD);
      String op = "gemv trans=" + trans + " m=" + m + " n=" + n;
      Checks.unchanged(op + ": A", a0, a);
      Checks.unchanged(op + ": x", x0, x);
      Checks.unchangedOutside(op + ": y", y0, y, GUARD, GUARD + outLen);
      for (int i = 0; i < outLen; i++) {
        float[] row = new float[inLen];
        for (int j = 0; j < inLen; j++) {
          row[j] = trans ? a0[GUARD + j * lda + i] : a0[GUARD + i * lda + j];
        }
        float[] xs = Arrays.copyOfRange(x0, GUARD, GUARD + inLen);
        var want = Exact.affine(alpha, Checks.widen(row), Checks.widen(xs), beta, y0[GUARD + i]);
        var abs = Math.abs(alpha) * Exact.dotAbs(Checks.widen(row), 0, Checks.widen(xs), 0, inLen)
            + Math.abs(Exact.product(beta, y0[GUARD + i]));
        Checks.closeToExact(op + " y[" + i + "]", want, y[GUARD + i], EB.running(inLen + 2, abs));
      }
    }
  }

  @Test
  void gemvWithBetaZeroDoesNotReadY() {
    float[] y = {Float.NaN, Float.NaN, Float.NEGATIVE_INFINITY};
    // [[1, 2], [3, 4]] [1, 1] = [3, 7]
    kernels().gemv(false, 2, 2, 1, new float[] {1, 2, 3, 4}, 0, 2, new float[] {1, 1}, 0, 0, y, 0);
    assertEquals(3, y[0]);
    assertEquals(7, y[1]);
    assertEquals(Float.NEGATIVE_INFINITY, y[2]);
  }

  // ===============================================================================================================
  // axpy, dot, scal
  // ===============================================================================================================

  @ParameterizedTest(name = "n={0}")
  @MethodSource("dev.rnn4j.kernels.testing.KernelSweeps#sizes")
  void axpyMatchesExact(int n) {
    Random rnd = new Random(n);
    float[] x = guarded(rnd, n, mixed(8));
    float[] y = guarded(rnd, n, mixed(8));
    float[] x0 = x.clone();
    float[] y0 = y.clone();
    float alpha = -1.375f;
    kernels().axpy(n, alpha, x, GUARD, y, GUARD);
    Checks.unchanged("axpy: x", x0, x);
    Checks.unchangedOutside("axpy: y", y0, y, GUARD, GUARD + n);
    for (int i = 0; i < n; i++) {
      float xi = x0[GUARD + i];
      float yi = y0[GUARD + i];
      var want = Exact.affine(alpha, Checks.widen(new float[] {xi}), Checks.widen(new float[] {1}), 1, yi);
      Checks.closeToExact("axpy [" + i + "]", want, y[GUARD + i],
          EB.running(2, Math.abs(yi) + Math.abs(Exact.product(alpha, xi))));
    }
    // Aliased: y is the same range as x, so y = (1 + alpha) x; with alpha = 3 and x_i = i - 5 that is 4 (i - 5).
    float[] z = new float[n + 2];
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
    float[] x = new float[n + 1];
    for (int i = 0; i < n; i++) {
      x[1 + i] = i + 1;
    }
    long closed = (long) n * (n + 1) * (2L * n + 1) / 6;
    Checks.close("dot 1..n", closed, kernels().dot(n, x, 1, x, 1), EB.running(n, closed));
    Random rnd = new Random(n);
    float[] a = guarded(rnd, n, mixed(8));
    float[] b = guarded(rnd, n, mixed(8));
    float[] a0 = a.clone();
    float[] b0 = b.clone();
    float got = kernels().dot(n, a, GUARD, b, GUARD);
    Checks.unchanged("dot: x", a0, a);
    Checks.unchanged("dot: y", b0, b);
    Checks.closeToExact("dot", Exact.dot(Checks.widen(a), GUARD, Checks.widen(b), GUARD, n), got,
        EB.running(n, Exact.dotAbs(Checks.widen(a), GUARD, Checks.widen(b), GUARD, n)));
  }

  @ParameterizedTest(name = "n={0}")
  @MethodSource("dev.rnn4j.kernels.testing.KernelSweeps#sizes")
  void scalIsExact(int n) {
    // (i + 0.5) * -2 = -2i - 1, exact.
    float[] x = new float[n + 2];
    for (int i = 0; i < n; i++) {
      x[1 + i] = i + 0.5f;
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
