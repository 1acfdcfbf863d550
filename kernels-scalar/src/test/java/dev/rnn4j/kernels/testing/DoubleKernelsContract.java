package dev.rnn4j.kernels.testing;

// rnn4j:generate-float

import static dev.rnn4j.kernels.testing.DoubleKernelAgreementProperties.array;
import static dev.rnn4j.kernels.testing.TestValues.mixed;
import static dev.rnn4j.kernels.testing.TestValues.positive;
import static dev.rnn4j.kernels.testing.TestValues.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.kernels.DoubleKernels;
import dev.rnn4j.kernels.DoublePackedMatrix;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract test suite of {@link DoubleKernels}: every implementation runs it by subclassing and supplying
 * {@link #kernels()}:
 * <pre>{@code
 * class SimdDoubleKernelsTest extends DoubleKernelsContract {
 *   protected DoubleKernels kernels() { return new SimdDoubleKernels(); }
 * }
 * }</pre>
 *
 * <p>Expected values are derived independently of any implementation: by hand (written in a comment), by a closed
 * form, or from the definition in higher precision ({@link Exact}: BigDecimal to 40 digits; {@link Formulas}: the
 * recurrent and optimizer equations written out in float64). Tolerances are the one-implementation bounds of
 * {@link ErrorBounds} plus the expected value's own error. Every test that writes an output also checks that the
 * kernel touched nothing outside the stated range (arrays carry random guard elements before and after) and left
 * its inputs unchanged. Sizes are 0, 1, 2, 3, 7, 15, 16, 17, 31, 33, 63, 64, 65, 127, 129, 1000, 1025 where a size
 * applies (in the narrow-width runs of the SIMD kernels, up to {@link #NARROW_SWEEP_LIMIT}).
 */
@SuppressWarnings("cast")
public abstract class DoubleKernelsContract {

  private static final ErrorBounds EB = ErrorBounds.F64;
  /** Error bounds of the float64 evaluation of {@link Formulas}. */
  private static final ErrorBounds REF = Formulas.BOUNDS;
  private static final int GUARD = 5;

  /**
   * The tag of the tests that add nothing at a narrower SIMD width, so the SIMD suite runs them at the preferred width
   * only (see kernels-simd's pom): argument rejection and storage reuse (no arithmetic), size 0 (no vector at any
   * width), and tests whose lane-dependent paths the sweeps already reach at the same sizes at every width
   * (hand-computed known answers, the backward kernels being the gradient of the forward ones; the sweeps pin both
   * to exact references). Every other test sweeps sizes or shapes, or puts special values where a narrower vector
   * covers them, so its path depends on the lane count (tails, strips of four vectors, blocks, micro-tiles): it
   * runs at every width, the sweeps up to {@link #NARROW_SWEEP_LIMIT} at a forced width. The tag marks the
   * exceptions rather than the rule so that a new test runs at every width unless someone argues otherwise.
   */
  public static final String WIDTH_INDEPENDENT = "widthIndependent";

  /** The implementation under test. */
  protected abstract DoubleKernels kernels();

  /**
   * The largest size a sweep needs in a JVM whose SIMD width is forced ({@code -Drnn4j.simd.bits}, the narrow runs of
   * kernels-simd's pom); no limit otherwise. What depends on the lane count is the split of n into strips of four
   * vectors (the widest unroll of the SIMD kernels: dot, sum, sumOfSquares, max, addColumnSums), whole vectors and a
   * tail, so every split that a forced width has is reached by n up to two strips plus one of its 32-bit lanes:
   * 65 at 256 bits, 33 at 128. Larger sizes run the same loops more often; what they test beyond that (GEMM
   * cache blocks, long reductions) does not depend on the width and is covered by the run at the preferred width.
   * GEMM shapes are not limited: the micro-tile depends on the width in both dimensions.
   */
  static final int NARROW_SWEEP_LIMIT = narrowSweepLimit();

  private static int narrowSweepLimit() {
    Integer bits = Integer.getInteger("rnn4j.simd.bits");
    return bits == null ? Integer.MAX_VALUE : 2 * 4 * (bits / 32) + 1;
  }

  static IntStream sizes() {
    return IntStream.of(0, 1, 2, 3, 7, 15, 16, 17, 31, 33, 63, 64, 65, 127, 129, 1000, 1025)
        .filter(n -> n <= NARROW_SWEEP_LIMIT);
  }

  /** The sizes without 0 (size 0 has its own test). */
  static IntStream positiveSizes() {
    return sizes().filter(n -> n > 0);
  }

  /** Hidden sizes of the recurrent kernels: elementwise per row, so up to 129 already spans every vector tail. */
  static IntStream hiddenSizes() {
    return sizes().filter(n -> n <= 129);
  }

  /** A random array with GUARD random elements before and after the n elements used. */
  private static double[] guarded(Random rnd, int n, TestValues.Source source) {
    return array(rnd, GUARD + n + GUARD, source);
  }

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
  @MethodSource("sizes")
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
  @MethodSource("sizes")
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
  @MethodSource("sizes")
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

  // ===============================================================================================================
  // Elementwise
  // ===============================================================================================================

  /** a_i = i + 0.5, b_i = 2i - 3: small exact values in both precisions (2i^2 < 2^23 for i <= 1025). */
  private static double[][] binaryInputs(int n) {
    double[] a = new double[n + 2];
    double[] b = new double[n + 3];
    Arrays.fill(a, 42);
    Arrays.fill(b, 43);
    for (int i = 0; i < n; i++) {
      a[1 + i] = i + 0.5;
      b[2 + i] = 2 * i - 3;
    }
    return new double[][] {a, b};
  }

  @ParameterizedTest(name = "n={0}")
  @MethodSource("sizes")
  void addSubMulDivAreExact(int n) {
    for (String op : new String[] {"add", "sub", "mul", "div"}) {
      for (int alias = 0; alias < 3; alias++) { // 0: separate output, 1: out = a, 2: out = b
        double[][] in = binaryInputs(n);
        double[] a = in[0];
        double[] b = in[1];
        if (op.equals("div")) {
          for (int i = 0; i < n; i++) {
            b[2 + i] = 1 << (i % 5); // powers of two: the quotient is exact
          }
        }
        double[] a0 = a.clone();
        double[] b0 = b.clone();
        double[] out = alias == 1 ? a : alias == 2 ? b : new double[n + 4];
        int outOff = alias == 1 ? 1 : alias == 2 ? 2 : 3;
        double[] out0 = out.clone();
        switch (op) {
          case "add" -> kernels().add(n, a, 1, b, 2, out, outOff);
          case "sub" -> kernels().sub(n, a, 1, b, 2, out, outOff);
          case "mul" -> kernels().mul(n, a, 1, b, 2, out, outOff);
          default -> kernels().div(n, a, 1, b, 2, out, outOff);
        }
        for (int i = 0; i < n; i++) {
          double ai = a0[1 + i];
          double bi = b0[2 + i];
          double want = switch (op) {
            case "add" -> 3 * i - 2.5; // (i + 0.5) + (2i - 3)
            case "sub" -> -i + 3.5; // (i + 0.5) - (2i - 3)
            case "mul" -> 2.0 * i * i - 2 * i - 1.5; // (i + 0.5)(2i - 3)
            default -> (i + 0.5) / (1 << (i % 5)); // exact division by a power of two
          };
          assertEquals(want, out[outOff + i], op + " alias=" + alias + " [" + i + "] a=" + ai + " b=" + bi);
        }
        Checks.unchangedOutside(op + ": out", out0, out, outOff, outOff + n);
        if (alias != 1) {
          Checks.unchanged(op + ": a", a0, a);
        }
        if (alias != 2) {
          Checks.unchanged(op + ": b", b0, b);
        }
      }
    }
  }

  @Test
  void divFollowsIeee() {
    double[] a = {1, -1, 0, Double.NaN, Double.POSITIVE_INFINITY};
    double[] b = {0, 0, 0, 1, Double.POSITIVE_INFINITY};
    double[] out = new double[5];
    kernels().div(5, a, 0, b, 0, out, 0);
    assertEquals(Double.POSITIVE_INFINITY, out[0]);
    assertEquals(Double.NEGATIVE_INFINITY, out[1]);
    assertTrue(Double.isNaN(out[2]) && Double.isNaN(out[3]) && Double.isNaN(out[4]), Arrays.toString(out));
  }

  @ParameterizedTest(name = "n={0}")
  @MethodSource("sizes")
  void scaleAddScalarFillCopy(int n) {
    double[] x = new double[n + 2];
    for (int i = 0; i < n; i++) {
      x[1 + i] = i - 3;
    }
    x[0] = 11;
    x[n + 1] = 13;
    double[] x0 = x.clone();
    double[] out = new double[n + 4];
    Arrays.fill(out, 17);
    double[] out0 = out.clone();
    kernels().scale(n, 0.25, x, 1, out, 2);
    for (int i = 0; i < n; i++) {
      assertEquals((i - 3) / 4.0, out[2 + i], "scale [" + i + "]"); // multiplying by 2^-2 is exact
    }
    Checks.unchanged("scale: x", x0, x);
    Checks.unchangedOutside("scale: out", out0, out, 2, 2 + n);
    kernels().addScalar(n, 0.5, x, 1, out, 2);
    for (int i = 0; i < n; i++) {
      assertEquals(i - 2.5, out[2 + i], "addScalar [" + i + "]"); // (i - 3) + 0.5
    }
    Checks.unchanged("addScalar: x", x0, x);
    Checks.unchangedOutside("addScalar: out", out0, out, 2, 2 + n);
    double[] beforeFill = out.clone();
    kernels().fill(n, -7.5, out, 1);
    for (int i = 0; i < n; i++) {
      assertEquals(-7.5, out[1 + i], "fill [" + i + "]");
    }
    Checks.unchangedOutside("fill", beforeFill, out, 1, 1 + n);
    double[] y = new double[n + 3];
    Arrays.fill(y, 99);
    double[] y0 = y.clone();
    kernels().copy(n, x, 1, y, 2);
    for (int i = 0; i < n; i++) {
      assertEquals(i - 3, y[2 + i], "copy [" + i + "]");
    }
    Checks.unchanged("copy: x", x0, x);
    Checks.unchangedOutside("copy: out", y0, y, 2, 2 + n);
    // In place: scale and addScalar on their own input: 2 (i - 3) + 1.
    kernels().scale(n, 2, x, 1, x, 1);
    kernels().addScalar(n, 1, x, 1, x, 1);
    for (int i = 0; i < n; i++) {
      assertEquals(2 * (i - 3) + 1, x[1 + i], "scale+addScalar in place [" + i + "]");
    }
    Checks.unchangedOutside("in place", x0, x, 1, 1 + n);
  }

  @ParameterizedTest(name = "n={0}")
  @MethodSource("sizes")
  void copyOfOverlappingRangesIsMemmove(int n) {
    for (int shift : new int[] {-3, -1, 1, 3}) {
      double[] x = new double[n + 8];
      for (int i = 0; i < x.length; i++) {
        x[i] = i;
      }
      kernels().copy(n, x, 4, x, 4 + shift);
      for (int i = 0; i < x.length; i++) {
        boolean written = i >= 4 + shift && i < 4 + shift + n;
        double want = written ? i - shift : i; // the original x[i - shift], as if copied through a buffer
        assertEquals(want, x[i], "copy shift=" + shift + " [" + i + "]");
      }
    }
  }

  // ===============================================================================================================
  // Maps
  // ===============================================================================================================

  /**
   * The map on random inputs from {@code source}, out of place and in place, against {@code exact} within
   * {@code bound(x, expected)}.
   */
  private void checkMap(String name, int n, TestValues.Source source, Checks.PointBound bound,
                        Checks.PointBound exact) {
    Random rnd = new Random(n * 7L + name.hashCode());
    double[] x = guarded(rnd, n, source);
    double[] x0 = x.clone();
    var want = new double /*f32:double*/[n];
    for (int i = 0; i < n; i++) {
      want[i] = exact.at(x0[GUARD + i], 0);
    }
    for (boolean inPlace : new boolean[] {false, true}) {
      double[] y = inPlace ? x : guarded(rnd, n, mixed(1));
      double[] y0 = y.clone();
      switch (name) {
        case "sigmoid" -> kernels().sigmoid(n, x, GUARD, y, GUARD);
        case "tanh" -> kernels().tanh(n, x, GUARD, y, GUARD);
        case "exp" -> kernels().exp(n, x, GUARD, y, GUARD);
        case "log" -> kernels().log(n, x, GUARD, y, GUARD);
        default -> kernels().relu(n, x, GUARD, y, GUARD);
      }
      if (!inPlace) {
        Checks.unchanged(name + ": x", x0, x);
      }
      Checks.unchangedOutside(name + ": y", y0, y, GUARD, GUARD + n);
      for (int i = 0; i < n; i++) {
        double xi = x0[GUARD + i];
        Checks.closeToExact(name + "(" + xi + ") [" + i + "] in place=" + inPlace, want[i], y[GUARD + i],
            bound.at(xi, want[i]));
      }
    }
  }

  @ParameterizedTest(name = "n={0}")
  @MethodSource("sizes")
  void mapsMatchDefinitions(int n) {
    checkMap("sigmoid", n, mixed(5), (x, y) -> EB.sigmoid(y), (x, y) -> Exact.sigmoid(x));
    checkMap("tanh", n, mixed(5), (x, y) -> EB.tanh(y), (x, y) -> Exact.tanh(x));
    checkMap("exp", n, uniform(-80, 80), (x, y) -> EB.exp(y), (x, y) -> Exact.exp(x));
    checkMap("log", n, positive(40), (x, y) -> EB.log(y), (x, y) -> Exact.log(x));
    checkMap("relu", n, mixed(8), (x, y) -> 0, (x, y) -> x > 0 ? x : 0);
  }

  @Test
  void mapsOfSpecialValues() {
    double inf = Double.POSITIVE_INFINITY;
    double nan = Double.NaN;
    double[] x = {1e4, -1e4, inf, -inf, nan, 0, 1000, -1000};
    double[] y = new double[x.length];
    kernels().sigmoid(x.length, x, 0, y, 0);
    // sigmoid(1e4) = 1 - e^-1e4 rounds to 1; sigmoid(-1e4) = e^-1e4 (underflows to 0): finite, never NaN.
    assertTrue(Arrays.equals(new double[] {1, 0, 1, 0, nan, 0.5, 1, 0}, y), "sigmoid " + Arrays.toString(y));
    kernels().tanh(x.length, x, 0, y, 0);
    assertTrue(Arrays.equals(new double[] {1, -1, 1, -1, nan, 0, 1, -1}, y), "tanh " + Arrays.toString(y));
    kernels().exp(x.length, x, 0, y, 0);
    assertTrue(Arrays.equals(new double[] {inf, 0, inf, 0, nan, 1, inf, 0}, y), "exp " + Arrays.toString(y));
    kernels().relu(x.length, x, 0, y, 0);
    assertTrue(Arrays.equals(new double[] {1e4, 0, inf, 0, nan, 0, 1000, 0}, y), "relu " + Arrays.toString(y));
    double[] lx = {0, -1, inf, nan, 1, -inf};
    double[] ly = new double[lx.length];
    kernels().log(lx.length, lx, 0, ly, 0);
    // log(0) = -Inf, log(x < 0) = NaN, log(Inf) = Inf, log(1) = 0.
    assertTrue(Arrays.equals(new double[] {-inf, nan, inf, nan, 0, nan}, ly), "log " + Arrays.toString(ly));
  }

  @ParameterizedTest(name = "n={0}")
  @MethodSource("sizes")
  void backwardMapsMatchDefinitions(int n) {
    Random rnd = new Random(n + 1000);
    for (String name : new String[] {"sigmoid", "tanh", "relu", "exp", "log"}) {
      for (int alias = 0; alias < 3; alias++) { // 0: separate dx, 1: dx = v, 2: dx = dy
        TestValues.Source vs = switch (name) {
          case "sigmoid" -> uniform(0, 1);
          case "tanh" -> uniform(-1, 1);
          case "relu" -> mixed(8);
          default -> positive(10);
        };
        double[] v = guarded(rnd, n, vs);
        double[] dy = guarded(rnd, n, mixed(8));
        double[] v0 = v.clone();
        double[] dy0 = dy.clone();
        double[] dx = alias == 1 ? v : alias == 2 ? dy : guarded(rnd, n, mixed(1));
        double[] dx0 = dx.clone();
        switch (name) {
          case "sigmoid" -> kernels().sigmoidBackward(n, v, GUARD, dy, GUARD, dx, GUARD);
          case "tanh" -> kernels().tanhBackward(n, v, GUARD, dy, GUARD, dx, GUARD);
          case "relu" -> kernels().reluBackward(n, v, GUARD, dy, GUARD, dx, GUARD);
          case "exp" -> kernels().expBackward(n, v, GUARD, dy, GUARD, dx, GUARD);
          default -> kernels().logBackward(n, v, GUARD, dy, GUARD, dx, GUARD);
        }
        Checks.unchangedOutside(name + "Backward: dx", dx0, dx, GUARD, GUARD + n);
        if (alias != 1) {
          Checks.unchanged(name + "Backward: input", v0, v);
        }
        if (alias != 2) {
          Checks.unchanged(name + "Backward: dy", dy0, dy);
        }
        for (int i = 0; i < n; i++) {
          double vi = v0[GUARD + i];
          double gi = dy0[GUARD + i];
          String what = name + "Backward alias=" + alias + " [" + i + "] v=" + vi + " dy=" + gi;
          switch (name) {
            case "sigmoid" -> Checks.closeToExact(what, Exact.sigmoidBackward(vi, gi), dx[GUARD + i],
                EB.running(3, Math.abs(Exact.product(gi, vi)) * (1 + Math.abs(vi)))); // dy y (1 - y)
            case "tanh" -> Checks.closeToExact(what, Exact.tanhBackward(vi, gi), dx[GUARD + i],
                EB.running(3, Math.abs(gi) * (1 + Exact.product(vi, vi)))); // dy (1 - y^2)
            case "relu" -> assertEquals(vi > 0 ? gi : 0, dx[GUARD + i], what); // dy where y > 0, else 0
            case "exp" -> assertEquals(gi * vi, dx[GUARD + i], what); // one correctly rounded product
            default -> assertEquals(gi / vi, dx[GUARD + i], what); // one correctly rounded quotient
          }
        }
      }
    }
  }

  @Test
  void reluBackwardAtZeroIsZero() {
    double[] y = {0, -0.0, 1e-30, Double.NaN};
    double[] dy = {5, 5, 5, 5};
    double[] dx = new double[4];
    kernels().reluBackward(4, y, 0, dy, 0, dx, 0);
    // subgradient 0 at 0 (PyTorch); NaN > 0 is false, so 0.
    assertTrue(Arrays.equals(new double[] {0, 0, 5, 0}, dx), Arrays.toString(dx));
  }

  // ===============================================================================================================
  // Reductions
  // ===============================================================================================================

  @ParameterizedTest(name = "n={0}")
  @MethodSource("sizes")
  void sumAndSumOfSquares(int n) {
    double[] x = new double[n + 2];
    x[0] = 1e30;
    x[n + 1] = -1e30;
    for (int i = 0; i < n; i++) {
      x[1 + i] = i + 1;
    }
    long s = (long) n * (n + 1) / 2; // 1 + 2 + ... + n
    long q = (long) n * (n + 1) * (2L * n + 1) / 6; // 1 + 4 + ... + n^2
    Checks.close("sum 1..n", s, kernels().sum(n, x, 1), EB.running(n, s));
    Checks.close("sumOfSquares 1..n", q, kernels().sumOfSquares(n, x, 1), EB.running(n, q));
    Random rnd = new Random(n);
    double[] r = guarded(rnd, n, mixed(10));
    double[] r0 = r.clone();
    double[] ones = new double[r.length];
    Arrays.fill(ones, 1);
    double got = kernels().sum(n, r, GUARD);
    double gotSq = kernels().sumOfSquares(n, r, GUARD);
    Checks.unchanged("sum", r0, r);
    Checks.closeToExact("sum", Exact.dot(Checks.widen(r), GUARD, Checks.widen(ones), GUARD, n), got,
        EB.running(n, Exact.dotAbs(Checks.widen(r), GUARD, Checks.widen(ones), GUARD, n)));
    Checks.closeToExact("sumOfSquares", Exact.dot(Checks.widen(r), GUARD, Checks.widen(r), GUARD, n), gotSq,
        EB.running(n, Exact.dotAbs(Checks.widen(r), GUARD, Checks.widen(r), GUARD, n)));
  }

  @ParameterizedTest(name = "n={0}")
  @MethodSource("sizes")
  void maxIsExactAndPropagatesNaN(int n) {
    assertEquals(Double.NEGATIVE_INFINITY, kernels().max(0, new double[] {5}, 0), "max of nothing");
    if (n == 0) {
      return;
    }
    for (int at : new int[] {0, n / 2, n - 1}) {
      double[] x = new double[n + 2];
      x[0] = 1e9; // guards larger than every element
      x[n + 1] = 1e9;
      for (int i = 0; i < n; i++) {
        x[1 + i] = -(i % 7) - 1; // all in [-7, -1]
      }
      x[1 + at] = 0.5;
      assertEquals(0.5, kernels().max(n, x, 1), "max at " + at);
      x[1 + at] = Double.NaN;
      assertTrue(Double.isNaN(kernels().max(n, x, 1)), "NaN at " + at);
      x[1 + at] = Double.POSITIVE_INFINITY;
      assertEquals(Double.POSITIVE_INFINITY, kernels().max(n, x, 1), "+Inf at " + at);
    }
    double[] negInf = new double[n];
    Arrays.fill(negInf, Double.NEGATIVE_INFINITY);
    assertEquals(Double.NEGATIVE_INFINITY, kernels().max(n, negInf, 0), "all -Inf");
  }

  @ParameterizedTest(name = "n={0}")
  @MethodSource("positiveSizes")
  void nanAndInfinityPropagateThroughReductions(int n) {
    double nan = Double.NaN;
    double inf = Double.POSITIVE_INFINITY;
    for (int at : new int[] {0, n / 2, n - 1}) {
      double[] x = new double[n];
      Arrays.fill(x, 1.5);
      double[] ones = x.clone();
      x[at] = nan;
      assertTrue(Double.isNaN(kernels().sum(n, x, 0)), "sum with NaN at " + at);
      assertTrue(Double.isNaN(kernels().sumOfSquares(n, x, 0)), "sumOfSquares with NaN at " + at);
      assertTrue(Double.isNaN(kernels().dot(n, x, 0, ones, 0)), "dot with NaN at " + at);
      assertTrue(Double.isNaN(kernels().dot(n, ones, 0, x, 0)), "dot with NaN at " + at);
      x[at] = inf;
      assertEquals(inf, kernels().sum(n, x, 0), "sum with +Inf at " + at);
      assertEquals(inf, kernels().sumOfSquares(n, x, 0), "sumOfSquares with +Inf at " + at);
      x[at] = -inf;
      assertEquals(inf, kernels().sumOfSquares(n, x, 0), "sumOfSquares with -Inf at " + at);
      assertEquals(-inf, kernels().dot(n, x, 0, ones, 0), "dot with -Inf at " + at);
      if (n > 1) {
        x[(at + 1) % n] = inf; // +Inf + -Inf = NaN
        assertTrue(Double.isNaN(kernels().sum(n, x, 0)), "sum of +Inf and -Inf");
      }
      // gemm: NaN in row `at` of A (m = n rows, k = 3) poisons exactly row `at` of C, even with beta = 0.
      double[] a = new double[n * 3];
      Arrays.fill(a, 0.5);
      a[at * 3 + 1] = nan;
      double[] b = {1, 2, 3, 4, 5, 6}; // 3 x 2
      double[] c = new double[n * 2];
      kernels().gemm(false, false, n, 2, 3, 1, a, 0, 3, b, 0, 2, 0, c, 0, 2);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < 2; j++) {
          // row of A without NaN: 0.5 (1 + 3 + 5) = 4.5 and 0.5 (2 + 4 + 6) = 6
          double want = i == at ? nan : j == 0 ? 4.5 : 6;
          assertEquals(want, c[i * 2 + j], "gemm C[" + i + ", " + j + "] with NaN in A[" + at + ", 1]");
        }
      }
    }
  }

  @Test
  @Tag(WIDTH_INDEPENDENT)
  void addColumnSumsHandComputed() {
    // x = [[1, 2, 3], [4, 5, 6]] stored with ld 4 (one padding element per row, 100); out = [10, 20, 30] + [5, 7, 9].
    double[] x = {1, 2, 3, 100, 4, 5, 6, 100};
    double[] out = {-1, 10, 20, 30, -1};
    kernels().addColumnSums(2, 3, x, 0, 4, out, 1);
    assertTrue(Arrays.equals(new double[] {-1, 15, 27, 39, -1}, out), Arrays.toString(out));
  }

  @ParameterizedTest(name = "cols={0}")
  @MethodSource("sizes")
  void addColumnSumsMatchesExact(int cols) {
    Random rnd = new Random(cols);
    for (int rows : new int[] {0, 1, 3, 17}) {
      int ldx = cols + 2;
      double[] x = array(rnd, GUARD + rows * ldx + GUARD, mixed(8));
      double[] out = guarded(rnd, cols, mixed(8));
      double[] x0 = x.clone();
      double[] out0 = out.clone();
      kernels().addColumnSums(rows, cols, x, GUARD, ldx, out, GUARD);
      Checks.unchanged("addColumnSums: x", x0, x);
      Checks.unchangedOutside("addColumnSums: out", out0, out, GUARD, GUARD + cols);
      for (int j = 0; j < cols; j++) {
        double[] col = new double[rows + 1];
        col[rows] = out0[GUARD + j];
        for (int i = 0; i < rows; i++) {
          col[i] = x0[GUARD + i * ldx + j];
        }
        double[] ones = new double[rows + 1];
        Arrays.fill(ones, 1);
        Checks.closeToExact("addColumnSums rows=" + rows + " [" + j + "]",
            Exact.dot(Checks.widen(col), 0, Checks.widen(ones), 0, rows + 1), out[GUARD + j],
            EB.running(rows + 1, Exact.dotAbs(Checks.widen(col), 0, Checks.widen(ones), 0, rows + 1)));
      }
    }
  }

  // ===============================================================================================================
  // Softmax
  // ===============================================================================================================

  @Test
  @Tag(WIDTH_INDEPENDENT)
  void softmaxHandComputed() {
    // A constant row of 4 gives 1/4 each; [0, 0] gives 1/2; huge rows are shifted by their maximum first:
    // [1e4, 1e4] -> [1/2, 1/2]; [-1e4, -1e4, -1e4, -1e4] -> 1/4 each; [1e4, -1e4] -> [1, e^-2e4 = 0].
    double[] x = {3, 3, 3, 3, 1e4, 1e4, -1e4, -1e4, -1e4, -1e4, 1e4, -1e4};
    double[] y = new double[4];
    kernels().softmax(1, 4, x, 0, 4, y, 0, 4);
    assertTrue(Arrays.equals(new double[] {0.25, 0.25, 0.25, 0.25}, y), Arrays.toString(y));
    kernels().softmax(1, 2, x, 4, 2, y, 0, 2);
    assertEquals(0.5, y[0]);
    assertEquals(0.5, y[1]);
    kernels().softmax(1, 4, x, 6, 4, y, 0, 4);
    assertTrue(Arrays.equals(new double[] {0.25, 0.25, 0.25, 0.25}, y), Arrays.toString(y));
    kernels().softmax(1, 2, x, 10, 2, y, 0, 2);
    assertEquals(1, y[0]);
    assertEquals(0, y[1]);
    // logSoftmax: [3, 3, 3, 3] -> -log 4 each; [1e4, -1e4] -> [0, -2e4] (log(1 + e^-2e4) is 0 in floating point).
    kernels().logSoftmax(1, 4, x, 0, 4, y, 0, 4);
    for (int j = 0; j < 4; j++) {
      Checks.closeToExact("logSoftmax const [" + j + "]", -Exact.log(4), y[j],
          EB.logSoftmax(4, Math.log(4), 0, 0, 3 + Math.log(4), Math.log(4)));
    }
    kernels().logSoftmax(1, 2, x, 10, 2, y, 0, 2);
    assertEquals(0, y[0]);
    assertEquals(-2e4, y[1]);
  }

  @Test
  void softmaxOfInfinitiesIsNaN() {
    // A row with +Inf gives NaN (Inf - Inf), a row of -Inf gives NaN (0/0), as in PyTorch.
    double inf = Double.POSITIVE_INFINITY;
    double[] x = {inf, 1, -inf, -inf};
    double[] y = new double[2];
    kernels().softmax(1, 2, x, 0, 2, y, 0, 2);
    assertTrue(Double.isNaN(y[0]), Arrays.toString(y));
    kernels().softmax(1, 2, x, 2, 2, y, 0, 2);
    assertTrue(Double.isNaN(y[0]) && Double.isNaN(y[1]), Arrays.toString(y));
    kernels().logSoftmax(1, 2, x, 0, 2, y, 0, 2);
    assertTrue(Double.isNaN(y[0]), Arrays.toString(y));
  }

  @ParameterizedTest(name = "cols={0}")
  @MethodSource("sizes")
  void softmaxAndLogSoftmaxMatchExact(int cols) {
    Random rnd = new Random(cols + 77);
    int rows = 3;
    int ldx = cols + 3;
    for (boolean log : new boolean[] {false, true}) {
      double[] input = array(rnd, GUARD + rows * ldx + GUARD, mixed(6));
      for (int j = 0; j < cols; j++) {
        input[GUARD + ldx + j] += 1e4; // row 1 is huge and positive
        input[GUARD + 2 * ldx + j] -= 1e4; // row 2 huge and negative
      }
      // Expected rows from the definition (computed once, used for both the out-of-place and the in-place call).
      var rowsIn = new double /*f32:double*/[rows][];
      var rowsWant = new double /*f32:double*/[rows][];
      for (int r = 0; r < rows; r++) {
        rowsIn[r] = Checks.widen(Arrays.copyOfRange(input, GUARD + r * ldx, GUARD + r * ldx + cols));
        rowsWant[r] = log ? Exact.logSoftmax(rowsIn[r], 0, cols) : Exact.softmax(rowsIn[r], 0, cols);
      }
      for (boolean inPlace : new boolean[] {false, true}) {
        int ldy = inPlace ? ldx : cols + 1;
        double[] x = input.clone();
        double[] y = inPlace ? x : array(rnd, GUARD + rows * ldy + GUARD, mixed(1));
        double[] y0 = y.clone();
        if (log) {
          kernels().logSoftmax(rows, cols, x, GUARD, ldx, y, GUARD, ldy);
        } else {
          kernels().softmax(rows, cols, x, GUARD, ldx, y, GUARD, ldy);
        }
        String op = (log ? "logSoftmax" : "softmax") + " in place=" + inPlace + " cols=" + cols;
        if (!inPlace) {
          Checks.unchanged(op + ": x", input, x);
        }
        Checks.unchangedOutsideMatrix(op + ": y", y0, y, rows, cols, GUARD, ldy);
        for (int r = 0; r < rows; r++) {
          var row = rowsIn[r];
          var want = rowsWant[r];
          var max = Exact.max(row);
          var maxArgument = cols == 0 ? 0 : max - Exact.min(row);
          // log sum_j exp(x_j - max) lies in [0, log cols] (each term <= 1, one term = 1): use the upper end.
          var logS = Math.log(Math.max(1, cols));
          for (int j = 0; j < cols; j++) {
            var bound = log
                ? EB.logSoftmax(cols, want[j], max - row[j], maxArgument, Math.abs(max) + logS, logS)
                : EB.softmax(cols, want[j], max - row[j], maxArgument);
            Checks.closeToExact(op + " [" + r + ", " + j + "]", want[j], y[GUARD + r * ldy + j], bound);
          }
        }
      }
    }
  }

  @Test
  @Tag(WIDTH_INDEPENDENT)
  void softmaxBackwardHandComputed() {
    // y = [1/2, 1/2], dy = [1, 0]: s = 1/2; dx = [1/2 (1 - 1/2), 1/2 (0 - 1/2)] = [1/4, -1/4].
    double[] y = {0.5, 0.5};
    double[] dy = {1, 0};
    double[] dx = new double[2];
    kernels().softmaxBackward(1, 2, y, 0, dy, 0, dx, 0);
    assertTrue(Arrays.equals(new double[] {0.25, -0.25}, dx), Arrays.toString(dx));
    // logSoftmaxBackward with y = log [1/4, 3/4] would not be exact; use y = [0, -Inf]: exp(y) = [1, 0],
    // dy = [2, 3]: sum = 5, dx = [2 - 5, 3 - 0] = [-3, 3].
    double[] ly = {0, Double.NEGATIVE_INFINITY};
    double[] ldy = {2, 3};
    kernels().logSoftmaxBackward(1, 2, ly, 0, ldy, 0, dx, 0);
    assertTrue(Arrays.equals(new double[] {-3, 3}, dx), Arrays.toString(dx));
  }

  @ParameterizedTest(name = "cols={0}")
  @MethodSource("sizes")
  void softmaxBackwardsMatchExact(int cols) {
    Random rnd = new Random(cols + 99);
    int rows = 2;
    for (boolean log : new boolean[] {false, true}) {
      for (boolean inPlace : new boolean[] {false, true}) {
        double[] y = guarded(rnd, rows * cols, log ? uniform(-12, 0) : uniform(0, 1));
        double[] dy = guarded(rnd, rows * cols, mixed(6));
        double[] y0 = y.clone();
        double[] dy0 = dy.clone();
        double[] dx = inPlace ? dy : guarded(rnd, rows * cols, mixed(1));
        double[] dx0 = dx.clone();
        if (log) {
          kernels().logSoftmaxBackward(rows, cols, y, GUARD, dy, GUARD, dx, GUARD);
        } else {
          kernels().softmaxBackward(rows, cols, y, GUARD, dy, GUARD, dx, GUARD);
        }
        String op = (log ? "logSoftmaxBackward" : "softmaxBackward") + " in place=" + inPlace + " cols=" + cols;
        Checks.unchanged(op + ": y", y0, y);
        if (!inPlace) {
          Checks.unchanged(op + ": dy", dy0, dy);
        }
        Checks.unchangedOutside(op + ": dx", dx0, dx, GUARD, GUARD + rows * cols);
        var wy = Checks.widen(y0);
        var wdy = Checks.widen(dy0);
        var ones = new double /*f32:double*/[wy.length];
        Arrays.fill(ones, 1);
        for (int r = 0; r < rows; r++) {
          int o = GUARD + r * cols;
          var s = log ? Exact.dot(wdy, o, ones, 0, cols) : Exact.dot(wdy, o, wy, o, cols);
          var sumAbs = log ? Exact.dotAbs(wdy, o, ones, 0, cols) : Exact.dotAbs(wdy, o, wy, o, cols);
          for (int j = 0; j < cols; j++) {
            var yj = wy[o + j];
            var dyj = wdy[o + j];
            // softmax: y_j (dy_j - s); log: dy_j - exp(y_j) s. s is rounded once (relative 2^-53), exp(y_j) too, and
            // the final expression once more: the float64 evaluation of the expected value is within
            // REF.running(3, ...) of the exact one.
            var e = Exact.exp(yj);
            var want = log ? Exact.sum(dyj, -Exact.product(e, s)) : Exact.product(yj, Exact.sum(dyj, -s));
            var bound = log
                ? EB.logSoftmaxBackward(cols, e, dyj, s, sumAbs) + REF.running(3, Math.abs(dyj) + e * sumAbs)
                : EB.softmaxBackward(cols, yj, dyj, sumAbs) + REF.running(3, Math.abs(yj) * (Math.abs(dyj) + sumAbs));
            Checks.closeToExact(op + " [" + r + ", " + j + "]", want, dx[o + j], bound);
          }
        }
      }
    }
  }

  // ===============================================================================================================
  // LSTM
  // ===============================================================================================================

  @Test
  @Tag(WIDTH_INDEPENDENT)
  void lstmForwardHandComputed() {
    // All pre-activations 0: i = f = o = sigmoid(0) = 1/2, g = tanh(0) = 0; c = 1/2 cPrev + 1/2 * 0 = cPrev / 2;
    // with cPrev = 0: c = 0, h = 1/2 tanh(0) = 0.
    double[] gates = new double[8];
    double[] cPrev = {0, 4};
    double[] c = new double[2];
    double[] h = new double[2];
    kernels().lstmForward(1, 2, gates, 0, cPrev, 0, c, 0, h, 0);
    assertTrue(Arrays.equals(new double[] {0.5, 0.5, 0.5, 0.5, 0, 0, 0.5, 0.5}, gates), Arrays.toString(gates));
    assertEquals(0, c[0]);
    assertEquals(0, h[0]);
    assertEquals(2, c[1]); // cPrev / 2 = 2
    Checks.closeToExact("h = tanh(2) / 2", Exact.tanh(2) / 2, h[1], EB.lstmForward(0.5, 0.5, 0, 0.5, 4, 2)[1]);
  }

  @ParameterizedTest(name = "hidden={0}")
  @MethodSource("hiddenSizes")
  void lstmForwardMatchesEquations(int hidden) {
    Random rnd = new Random(hidden + 5);
    int batch = 3;
    int state = batch * hidden;
    double[] gatesIn = guarded(rnd, 4 * state, mixed(3));
    double[] cPrevIn = guarded(rnd, state, mixed(2));
    gatesIn[GUARD] = 1e4; // saturated gates must stay finite
    gatesIn[GUARD + 1] = -1e4;
    // Expected activations, c and h from the equations (computed once for both calls below).
    var want = new double /*f32:double*/[state][];
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < hidden; j++) {
        int g = GUARD + b * 4 * hidden + j;
        want[b * hidden + j] = Formulas.lstmForward(gatesIn[g], gatesIn[g + hidden], gatesIn[g + 2 * hidden],
            gatesIn[g + 3 * hidden], cPrevIn[GUARD + b * hidden + j]);
      }
    }
    for (boolean alias : new boolean[] {false, true}) {
      double[] gates = gatesIn.clone();
      double[] cPrev = cPrevIn.clone();
      double[] c = alias ? cPrev : guarded(rnd, state, mixed(1));
      double[] c0 = c.clone();
      double[] h = guarded(rnd, state, mixed(1));
      double[] h0 = h.clone();
      kernels().lstmForward(batch, hidden, gates, GUARD, cPrev, GUARD, c, GUARD, h, GUARD);
      String op = "lstmForward hidden=" + hidden + " c=cPrev: " + alias;
      if (!alias) {
        Checks.unchanged(op + ": cPrev", cPrevIn, cPrev);
      }
      Checks.unchangedOutside(op + ": gates", gatesIn, gates, GUARD, GUARD + 4 * state);
      Checks.unchangedOutside(op + ": c", c0, c, GUARD, GUARD + state);
      Checks.unchangedOutside(op + ": h", h0, h, GUARD, GUARD + state);
      for (int b = 0; b < batch; b++) {
        for (int j = 0; j < hidden; j++) {
          int g = GUARD + b * 4 * hidden + j;
          int s = GUARD + b * hidden + j;
          var w = want[b * hidden + j];
          String at = op + " [" + b + ", " + j + "] ";
          for (int q = 0; q < 4; q++) {
            Checks.closeToExact(at + "gate " + "ifgo".charAt(q), w[q], gates[g + q * hidden],
                q == 2 ? EB.tanh(w[q]) : EB.sigmoid(w[q]));
          }
          // The expected c and h are evaluated in float64 from correctly rounded activations: their own error is
          // within REF's bound for the same formula.
          var bc = EB.lstmForward(w[0], w[1], w[2], w[3], cPrevIn[s], w[4]);
          var rc = REF.lstmForward(w[0], w[1], w[2], w[3], cPrevIn[s], w[4]);
          Checks.closeToExact(at + "c", w[4], c[s], bc[0] + rc[0]);
          Checks.closeToExact(at + "h", w[5], h[s], bc[1] + rc[1]);
        }
      }
    }
  }

  @ParameterizedTest(name = "hidden={0}")
  @MethodSource("hiddenSizes")
  void lstmBackwardMatchesEquations(int hidden) {
    Random rnd = new Random(hidden + 9);
    int batch = 2;
    int state = batch * hidden;
    double[] gates = guarded(rnd, 4 * state, uniform(0, 1));
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < hidden; j++) {
        gates[GUARD + b * 4 * hidden + 2 * hidden + j] = (double) uniform(-1, 1).next(rnd);
      }
    }
    double[] cPrev = guarded(rnd, state, mixed(2));
    double[] c = guarded(rnd, state, mixed(2));
    double[] dh = guarded(rnd, state, mixed(3));
    double[] dc = guarded(rnd, state, mixed(3));
    double[] dGates = guarded(rnd, 4 * state, mixed(1));
    double[] gates0 = gates.clone();
    double[] cPrev0 = cPrev.clone();
    double[] c0 = c.clone();
    double[] dh0 = dh.clone();
    double[] dc0 = dc.clone();
    double[] dGates0 = dGates.clone();
    kernels().lstmBackward(batch, hidden, gates, GUARD, cPrev, GUARD, c, GUARD, dh, GUARD, dc, GUARD, dGates, GUARD);
    String op = "lstmBackward hidden=" + hidden;
    Checks.unchanged(op + ": gates", gates0, gates);
    Checks.unchanged(op + ": cPrev", cPrev0, cPrev);
    Checks.unchanged(op + ": c", c0, c);
    Checks.unchanged(op + ": dh", dh0, dh);
    Checks.unchangedOutside(op + ": dc", dc0, dc, GUARD, GUARD + state);
    Checks.unchangedOutside(op + ": dGates", dGates0, dGates, GUARD, GUARD + 4 * state);
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < hidden; j++) {
        int g = GUARD + b * 4 * hidden + j;
        int s = GUARD + b * hidden + j;
        double i = gates0[g];
        double f = gates0[g + hidden];
        double gg = gates0[g + 2 * hidden];
        double o = gates0[g + 3 * hidden];
        var want = Formulas.lstmBackward(i, f, gg, o, cPrev0[s], c0[s], dh0[s], dc0[s]);
        var bound = EB.lstmBackward(i, f, gg, o, cPrev0[s], c0[s], dh0[s], dc0[s]);
        var ref = REF.lstmBackward(i, f, gg, o, cPrev0[s], c0[s], dh0[s], dc0[s]);
        String at = op + " [" + b + ", " + j + "] ";
        for (int q = 0; q < 4; q++) {
          Checks.closeToExact(at + "d" + "ifgo".charAt(q), want[q], dGates[g + q * hidden], bound[q] + ref[q]);
        }
        Checks.closeToExact(at + "dcPrev", want[4], dc[s], bound[4] + ref[4]);
      }
    }
  }

  /**
   * The backward kernel is the gradient of the forward: with the loss {@code L = dh . h + dc . c}, dGates must be
   * dL/d(pre-activations) and the new dc must be dL/dcPrev, checked by central differences of the LSTM equations in
   * float64 ({@link Formulas#derivative}). The kernel receives the activations its own forward produced. Tolerance:
   * the finite-difference error ({@link Formulas#FD_TOLERANCE}) plus 128u times the gradient's absolute-value form
   * (each of at most five factors carries the forward's error of at most 16u relative to its absolute-value form, plus
   * the backward's own roundings, 5 * 16 + 16 + 8 < 128).
   */
  @Test
  @Tag(WIDTH_INDEPENDENT)
  void lstmBackwardIsTheGradientOfTheForward() {
    Random rnd = new Random(3);
    int batch = 2;
    int hidden = 7;
    int state = batch * hidden;
    double[] pre = array(rnd, 4 * state, uniform(-3, 3));
    double[] cPrev = array(rnd, state, uniform(-2, 2));
    double[] dh = array(rnd, state, uniform(-2, 2));
    double[] dcIn = array(rnd, state, uniform(-2, 2));
    double[] gates = pre.clone();
    double[] c = new double[state];
    double[] h = new double[state];
    kernels().lstmForward(batch, hidden, gates, 0, cPrev, 0, c, 0, h, 0);
    double[] dc = dcIn.clone();
    double[] dGates = new double[4 * state];
    kernels().lstmBackward(batch, hidden, gates, 0, cPrev, 0, c, 0, dh, 0, dc, 0, dGates, 0);
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < hidden; j++) {
        int g = b * 4 * hidden + j;
        int s = b * hidden + j;
        double[] p = {pre[g], pre[g + hidden], pre[g + 2 * hidden], pre[g + 3 * hidden], cPrev[s]};
        double dhs = dh[s];
        double dcs = dcIn[s];
        for (int q = 0; q < 5; q++) {
          final int which = q;
          var fd = Formulas.derivative(t -> {
            var v = Checks.widen(p);
            v[which] = t;
            return Formulas.lstmLoss(v[0], v[1], v[2], v[3], v[4], dhs, dcs);
          }, p[q]);
          // Upper bound of the absolute-value forms of all five gradients (o, i, f <= 1, |g|, |tc| <= 1, so
          // |dcTotal| <= |dc| + 2|dh| in absolute-value form, and i (1 + i) <= 2 etc.).
          var scale = 2 * (Math.abs(dcs) + 2 * Math.abs(dhs)) * (1 + Math.abs(p[4])) + 2 * Math.abs(dhs);
          double got = q < 4 ? dGates[g + q * hidden] : dc[s];
          Checks.close("lstm gradient [" + b + ", " + j + "] of " + (q < 4 ? "gate " + "ifgo".charAt(q) : "cPrev"),
              fd, got, Formulas.FD_TOLERANCE * (1 + scale) + 128 * EB.u() * scale);
        }
      }
    }
  }

  /**
   * dGates written over gates (the contract allows the same range) gives the same bits as a separate dGates: the
   * kernel must read a unit's activations before it writes that unit's gradients, and keep no scratch in dGates
   * that it reads after writing the gradients of other units.
   */
  @ParameterizedTest(name = "hidden={0}")
  @MethodSource("hiddenSizes")
  void lstmBackwardInPlaceGivesTheSameBits(int hidden) {
    Random rnd = new Random(hidden + 29);
    int batch = 3;
    int state = batch * hidden;
    double[] gates = guarded(rnd, 4 * state, uniform(0, 1));
    double[] cPrev = guarded(rnd, state, mixed(2));
    double[] c = guarded(rnd, state, mixed(2));
    double[] dh = guarded(rnd, state, mixed(3));
    double[] dc = guarded(rnd, state, mixed(3));
    double[] separate = guarded(rnd, 4 * state, mixed(1));
    double[] dcSeparate = dc.clone();
    kernels().lstmBackward(batch, hidden, gates, GUARD, cPrev, GUARD, c, GUARD, dh, GUARD, dcSeparate, GUARD,
        separate, GUARD);
    double[] inPlace = gates.clone();
    double[] dcInPlace = dc.clone();
    kernels().lstmBackward(batch, hidden, inPlace, GUARD, cPrev, GUARD, c, GUARD, dh, GUARD, dcInPlace, GUARD,
        inPlace, GUARD);
    String op = "lstmBackward in place hidden=" + hidden;
    Checks.unchangedOutside(op + ": gates", gates, inPlace, GUARD, GUARD + 4 * state);
    Checks.unchanged(op + ": dGates", Arrays.copyOfRange(separate, GUARD, GUARD + 4 * state),
        Arrays.copyOfRange(inPlace, GUARD, GUARD + 4 * state));
    Checks.unchanged(op + ": dc", dcSeparate, dcInPlace);
  }

  // ===============================================================================================================
  // GRU
  // ===============================================================================================================

  @Test
  @Tag(WIDTH_INDEPENDENT)
  void gruForwardHandComputed() {
    // gi = gh = 0: r = z = 1/2, n = tanh(0 + 1/2 * 0) = 0, h = (1 - 1/2) * 0 + 1/2 * hPrev = hPrev / 2.
    double[] gi = new double[3];
    double[] gh = new double[3];
    double[] h = new double[1];
    kernels().gruForward(1, 1, gi, 0, gh, 0, new double[] {3}, 0, h, 0);
    assertTrue(Arrays.equals(new double[] {0.5, 0.5, 0}, gi), Arrays.toString(gi));
    assertEquals(1.5, h[0]);
  }

  @ParameterizedTest(name = "hidden={0}")
  @MethodSource("hiddenSizes")
  void gruForwardMatchesEquations(int hidden) {
    Random rnd = new Random(hidden + 11);
    int batch = 3;
    int state = batch * hidden;
    double[] gi = guarded(rnd, 3 * state, mixed(3));
    double[] gh = guarded(rnd, 3 * state, mixed(3));
    double[] hPrev = guarded(rnd, state, mixed(1));
    double[] h = guarded(rnd, state, mixed(1));
    if (state > 0) {
      gi[GUARD] = 1e4;
      gh[GUARD + hidden] = -1e4;
    }
    double[] gi0 = gi.clone();
    double[] gh0 = gh.clone();
    double[] hPrev0 = hPrev.clone();
    double[] h0 = h.clone();
    kernels().gruForward(batch, hidden, gi, GUARD, gh, GUARD, hPrev, GUARD, h, GUARD);
    String op = "gruForward hidden=" + hidden;
    Checks.unchanged(op + ": gh", gh0, gh);
    Checks.unchanged(op + ": hPrev", hPrev0, hPrev);
    Checks.unchangedOutside(op + ": gi", gi0, gi, GUARD, GUARD + 3 * state);
    Checks.unchangedOutside(op + ": h", h0, h, GUARD, GUARD + state);
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < hidden; j++) {
        int x = GUARD + b * 3 * hidden + j;
        int s = GUARD + b * hidden + j;
        var want = Formulas.gruForward(gi0[x], gh0[x], gi0[x + hidden], gh0[x + hidden], gi0[x + 2 * hidden],
            gh0[x + 2 * hidden], hPrev0[s]);
        var bound = EB.gruForward(gi0[x], gh0[x], gi0[x + hidden], gh0[x + hidden], gi0[x + 2 * hidden],
            gh0[x + 2 * hidden], hPrev0[s]);
        var ref = REF.gruForward(gi0[x], gh0[x], gi0[x + hidden], gh0[x + hidden], gi0[x + 2 * hidden],
            gh0[x + 2 * hidden], hPrev0[s]);
        String at = op + " [" + b + ", " + j + "] ";
        for (int q = 0; q < 3; q++) {
          Checks.closeToExact(at + "rzn".charAt(q), want[q], gi[x + q * hidden], bound[q] + ref[q]);
        }
        Checks.closeToExact(at + "h", want[3], h[s], bound[3] + ref[3]);
      }
    }
  }

  @ParameterizedTest(name = "hidden={0}")
  @MethodSource("hiddenSizes")
  void gruBackwardMatchesEquations(int hidden) {
    Random rnd = new Random(hidden + 13);
    int batch = 2;
    int state = batch * hidden;
    for (boolean alias : new boolean[] {false, true}) {
      double[] gi = guarded(rnd, 3 * state, uniform(0, 1));
      for (int b = 0; b < batch; b++) {
        for (int j = 0; j < hidden; j++) {
          gi[GUARD + b * 3 * hidden + 2 * hidden + j] = (double) uniform(-1, 1).next(rnd);
        }
      }
      double[] gh = guarded(rnd, 3 * state, mixed(3));
      double[] hPrev = guarded(rnd, state, mixed(1));
      double[] dh = guarded(rnd, state, mixed(3));
      double[] dgi = guarded(rnd, 3 * state, mixed(1));
      double[] dgh = guarded(rnd, 3 * state, mixed(1));
      double[] dhPrev = alias ? dh : guarded(rnd, state, mixed(1));
      double[] gi0 = gi.clone();
      double[] gh0 = gh.clone();
      double[] hPrev0 = hPrev.clone();
      double[] dh0 = dh.clone();
      double[] dgi0 = dgi.clone();
      double[] dgh0 = dgh.clone();
      double[] dhPrev0 = dhPrev.clone();
      kernels().gruBackward(batch, hidden, gi, GUARD, gh, GUARD, hPrev, GUARD, dh, GUARD, dgi, GUARD, dgh, GUARD,
          dhPrev, GUARD);
      String op = "gruBackward hidden=" + hidden + " dhPrev=dh: " + alias;
      Checks.unchanged(op + ": gi", gi0, gi);
      Checks.unchanged(op + ": gh", gh0, gh);
      Checks.unchanged(op + ": hPrev", hPrev0, hPrev);
      if (!alias) {
        Checks.unchanged(op + ": dh", dh0, dh);
      }
      Checks.unchangedOutside(op + ": dgi", dgi0, dgi, GUARD, GUARD + 3 * state);
      Checks.unchangedOutside(op + ": dgh", dgh0, dgh, GUARD, GUARD + 3 * state);
      Checks.unchangedOutside(op + ": dhPrev", dhPrev0, dhPrev, GUARD, GUARD + state);
      for (int b = 0; b < batch; b++) {
        for (int j = 0; j < hidden; j++) {
          int x = GUARD + b * 3 * hidden + j;
          int s = GUARD + b * hidden + j;
          var want = Formulas.gruBackward(gi0[x], gi0[x + hidden], gi0[x + 2 * hidden], gh0[x + 2 * hidden],
              hPrev0[s], dh0[s]);
          var bound = EB.gruBackward(gi0[x], gi0[x + hidden], gi0[x + 2 * hidden], gh0[x + 2 * hidden], hPrev0[s],
              dh0[s]);
          var ref = REF.gruBackward(gi0[x], gi0[x + hidden], gi0[x + 2 * hidden], gh0[x + 2 * hidden], hPrev0[s],
              dh0[s]);
          String at = op + " [" + b + ", " + j + "] ";
          for (int q = 0; q < 3; q++) {
            Checks.closeToExact(at + "dgi " + "rzn".charAt(q), want[q], dgi[x + q * hidden], bound[q] + ref[q]);
            int w = q == 2 ? 3 : q;
            Checks.closeToExact(at + "dgh " + "rzn".charAt(q), want[w], dgh[x + q * hidden], bound[w] + ref[w]);
          }
          Checks.closeToExact(at + "dhPrev", want[4], dhPrev[s], bound[4] + ref[4]);
        }
      }
    }
  }

  /** dgi written over gi and dgh over gh give the same bits as separate outputs (see the LSTM case). */
  @ParameterizedTest(name = "hidden={0}")
  @MethodSource("hiddenSizes")
  void gruBackwardInPlaceGivesTheSameBits(int hidden) {
    Random rnd = new Random(hidden + 31);
    int batch = 3;
    int state = batch * hidden;
    double[] gi = guarded(rnd, 3 * state, uniform(0, 1));
    double[] gh = guarded(rnd, 3 * state, mixed(3));
    double[] hPrev = guarded(rnd, state, mixed(1));
    double[] dh = guarded(rnd, state, mixed(3));
    double[] dgi = guarded(rnd, 3 * state, mixed(1));
    double[] dgh = guarded(rnd, 3 * state, mixed(1));
    double[] dhPrev = guarded(rnd, state, mixed(1));
    double[] dhPrevInPlace = dhPrev.clone();
    kernels().gruBackward(batch, hidden, gi, GUARD, gh, GUARD, hPrev, GUARD, dh, GUARD, dgi, GUARD, dgh, GUARD,
        dhPrev, GUARD);
    double[] giInPlace = gi.clone();
    double[] ghInPlace = gh.clone();
    kernels().gruBackward(batch, hidden, giInPlace, GUARD, ghInPlace, GUARD, hPrev, GUARD, dh, GUARD,
        giInPlace, GUARD, ghInPlace, GUARD, dhPrevInPlace, GUARD);
    String op = "gruBackward in place hidden=" + hidden;
    Checks.unchangedOutside(op + ": gi", gi, giInPlace, GUARD, GUARD + 3 * state);
    Checks.unchangedOutside(op + ": gh", gh, ghInPlace, GUARD, GUARD + 3 * state);
    Checks.unchanged(op + ": dgi", Arrays.copyOfRange(dgi, GUARD, GUARD + 3 * state),
        Arrays.copyOfRange(giInPlace, GUARD, GUARD + 3 * state));
    Checks.unchanged(op + ": dgh", Arrays.copyOfRange(dgh, GUARD, GUARD + 3 * state),
        Arrays.copyOfRange(ghInPlace, GUARD, GUARD + 3 * state));
    Checks.unchanged(op + ": dhPrev", dhPrev, dhPrevInPlace);
  }

  /**
   * With {@code L = dh . h}, dgi and dgh are dL/dgi and dL/dgh and dhPrev is dL/dhPrev with gi and gh held fixed
   * (the part through gh is the caller's GEMM), checked by central differences of the GRU equations in float64.
   * Tolerance as in {@link #lstmBackwardIsTheGradientOfTheForward}.
   */
  @Test
  @Tag(WIDTH_INDEPENDENT)
  void gruBackwardIsTheGradientOfTheForward() {
    Random rnd = new Random(4);
    int batch = 2;
    int hidden = 7;
    int state = batch * hidden;
    double[] giPre = array(rnd, 3 * state, uniform(-3, 3));
    double[] gh = array(rnd, 3 * state, uniform(-3, 3));
    double[] hPrev = array(rnd, state, uniform(-1, 1));
    double[] dh = array(rnd, state, uniform(-2, 2));
    double[] gi = giPre.clone();
    double[] h = new double[state];
    kernels().gruForward(batch, hidden, gi, 0, gh, 0, hPrev, 0, h, 0);
    double[] dgi = new double[3 * state];
    double[] dgh = new double[3 * state];
    double[] dhPrev = new double[state];
    kernels().gruBackward(batch, hidden, gi, 0, gh, 0, hPrev, 0, dh, 0, dgi, 0, dgh, 0, dhPrev, 0);
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < hidden; j++) {
        int x = b * 3 * hidden + j;
        int s = b * hidden + j;
        // variables: giR, ghR, giZ, ghZ, giN, ghN, hPrev
        double[] p = {giPre[x], gh[x], giPre[x + hidden], gh[x + hidden], giPre[x + 2 * hidden], gh[x + 2 * hidden],
            hPrev[s]};
        double[] got = {dgi[x], dgh[x], dgi[x + hidden], dgh[x + hidden], dgi[x + 2 * hidden], dgh[x + 2 * hidden],
            dhPrev[s]};
        double dhs = dh[s];
        // Upper bound of the absolute-value forms of the gradients: dn <= 4|dh|, dr <= 8|dh||gh_n|,
        // dz <= 2|dh|(|hPrev| + 1), dhPrev <= |dh|.
        var scale = Math.abs(dhs) * (8 * (1 + Math.abs(p[5])) + 2 * (1 + Math.abs(p[6])));
        for (int q = 0; q < 7; q++) {
          final int which = q;
          var fd = Formulas.derivative(t -> {
            var v = Checks.widen(p);
            v[which] = t;
            return Formulas.gruLoss(v[0], v[1], v[2], v[3], v[4], v[5], v[6], dhs);
          }, p[q]);
          Checks.close("gru gradient [" + b + ", " + j + "] variable " + q, fd, got[q],
              Formulas.FD_TOLERANCE * (1 + scale) + 128 * EB.u() * scale);
        }
      }
    }
  }

  // ===============================================================================================================
  // Optimizers
  // ===============================================================================================================

  @Test
  @Tag(WIDTH_INDEPENDENT)
  void sgdHandComputed() {
    // Plain: p = 1 - 0.5 * 0.5 = 0.75 (lr 0.5, g 0.5).
    double[] p = {1};
    double[] v = {123};
    kernels().sgdUpdate(1, 0.5, 0, 0, 0, false, true, p, 0, new double[] {0.5}, 0, v, 0);
    assertEquals(0.75, p[0]);
    assertEquals(123, v[0], "velocity untouched without momentum");
    // Momentum 0.5, lr 0.5, g 1: step 1: v = g = 1, p = 1 - 0.5 = 0.5; step 2: v = 0.5 * 1 + 1 = 1.5,
    // p = 0.5 - 0.75 = -0.25.
    p[0] = 1;
    kernels().sgdUpdate(1, 0.5, 0.5, 0, 0, false, true, p, 0, new double[] {1}, 0, v, 0);
    assertEquals(0.5, p[0]);
    assertEquals(1, v[0]);
    kernels().sgdUpdate(1, 0.5, 0.5, 0, 0, false, false, p, 0, new double[] {1}, 0, v, 0);
    assertEquals(-0.25, p[0]);
    assertEquals(1.5, v[0]);
    // Nesterov, same numbers, first step: v = 1, g' = 1 + 0.5 * 1 = 1.5, p = 1 - 0.75 = 0.25.
    // Weight decay 0.5 with p = 1, grad 0: g = 0.5, no momentum: p = 1 - 0.25 = 0.75 (checked on element 1).
    double[] pn = {1, 1};
    double[] vn = {0, 0};
    kernels().sgdUpdate(1, 0.5, 0.5, 0, 0, true, true, pn, 0, new double[] {1}, 0, vn, 0);
    assertEquals(0.25, pn[0]);
    kernels().sgdUpdate(1, 0.5, 0, 0, 0.5, false, false, pn, 1, new double[] {0, 0}, 1, vn, 1);
    assertEquals(0.75, pn[1]);
    assertEquals(0.25, pn[0], "outside the range");
  }

  @Test
  void sgdStepsMatchFormulas() {
    Random rnd = new Random(21);
    int n = 17;
    double[][] configs = { // lr, momentum, dampening, weightDecay, nesterov (1 / 0)
        {0.1, 0, 0, 0, 0}, {0.1, 0.9, 0, 0, 0}, {0.05, 0.9, 0.1, 0.01, 0}, {0.05, 0.8, 0, 0.001, 1}};
    for (double[] cfg : configs) {
      double lr = (double) cfg[0];
      double momentum = (double) cfg[1];
      double dampening = (double) cfg[2];
      double wd = (double) cfg[3];
      boolean nesterov = cfg[4] == 1;
      double[] p = guarded(rnd, n, mixed(2));
      double[] v = guarded(rnd, n, mixed(2));
      for (int step = 1; step <= 3; step++) {
        double[] grad = guarded(rnd, n, mixed(3));
        double[] p0 = p.clone();
        double[] v0 = v.clone();
        double[] grad0 = grad.clone();
        kernels().sgdUpdate(n, lr, momentum, dampening, wd, nesterov, step == 1, p, GUARD, grad, GUARD, v, GUARD);
        String op = "sgd lr=" + lr + " momentum=" + momentum + " dampening=" + dampening + " wd=" + wd + " nesterov="
            + nesterov + " step " + step;
        Checks.unchanged(op + ": grad", grad0, grad);
        Checks.unchangedOutside(op + ": param", p0, p, GUARD, GUARD + n);
        if (momentum == 0) {
          Checks.unchanged(op + ": velocity", v0, v);
        } else {
          Checks.unchangedOutside(op + ": velocity", v0, v, GUARD, GUARD + n);
        }
        for (int i = GUARD; i < GUARD + n; i++) {
          var want = Formulas.sgdStep(lr, momentum, dampening, wd, nesterov, step == 1, p0[i], grad0[i], v0[i]);
          var bound = EB.sgd(lr, momentum, dampening, wd, nesterov, step == 1, p0[i], grad0[i], v0[i]);
          var ref = REF.sgd(lr, momentum, dampening, wd, nesterov, step == 1, p0[i], grad0[i], v0[i]);
          Checks.closeToExact(op + " param[" + i + "]", want[0], p[i], bound[0] + ref[0]);
          if (momentum != 0) {
            Checks.closeToExact(op + " velocity[" + i + "]", want[1], v[i], bound[1] + ref[1]);
          }
        }
      }
    }
  }

  @Test
  @Tag(WIDTH_INDEPENDENT)
  void adamHandComputed() {
    // Dyadic hyper-parameters (exact in both precisions): lr = 1/8, beta1 = 3/4, beta2 = 7/8, eps = 1/1024.
    // Step 1 from m = v = 0, p = 1, g = 1/2: m = (1/4)(1/2) = 1/8, v = (1/8)(1/4) = 1/32; bias1 = 1/4, bias2 = 1/8;
    // m^ = 1/2, v^ = 1/4, sqrt = 1/2; p = 1 - (1/8)(1/2) / (1/2 + 1/1024) = 1 - 64/513 = 449/513.
    // Step 2 with g = -1/2: m = (3/4)(1/8) - (1/4)(1/2) = -1/32, v = (7/8)(1/32) + (1/8)(1/4) = 15/256;
    // bias1 = 1 - 9/16 = 7/16, bias2 = 1 - 49/64 = 15/64; m^ = -1/14, v^ = 1/4, sqrt = 1/2;
    // p = 449/513 + (1/8)(1/14) / (513/1024) = 449/513 + 64/3591 = 3207/3591.
    double lr = 0.125;
    double b1 = 0.75;
    double b2 = 0.875;
    double eps = 1.0 / 1024;
    double[] p = {1};
    double[] m = {0};
    double[] v = {0};
    kernels().adamUpdate(1, lr, b1, b2, eps, 0, false, 1, p, 0, new double[] {0.5}, 0, m, 0, v, 0);
    assertEquals(0.125, m[0]);
    assertEquals(1.0 / 32, v[0]);
    Checks.closeToExact("adam step 1", 449.0 / 513, p[0], EB.adam(lr, b1, b2, eps, 0, false, 1, 1, 0.5, 0, 0)[0]);
    double p1 = p[0];
    kernels().adamUpdate(1, lr, b1, b2, eps, 0, false, 2, p, 0, new double[] {-0.5}, 0, m, 0, v, 0);
    assertEquals(-1.0 / 32, m[0]);
    assertEquals(15.0 / 256, v[0]);
    // The kernel continues from its own p1; the exact step from there is 64/3591.
    Checks.closeToExact("adam step 2", Exact.sum(p1, 64.0 / 3591), p[0],
        EB.adam(lr, b1, b2, eps, 0, false, 2, p1, -0.5, 0.125, 1.0 / 32)[0]);
    Checks.closeToExact("adam step 2 total", 3207.0 / 3591, p[0],
        EB.adam(lr, b1, b2, eps, 0, false, 2, p1, -0.5, 0.125, 1.0 / 32)[0] + Math.abs(p1 - 449.0 / 513));
    // AdamW with weight decay 1/2: p is first scaled by 1 - lr/2 = 15/16, then the same step 1: 15/16 - 64/513.
    p[0] = 1;
    m[0] = 0;
    v[0] = 0;
    kernels().adamUpdate(1, lr, b1, b2, eps, 0.5, true, 1, p, 0, new double[] {0.5}, 0, m, 0, v, 0);
    Checks.closeToExact("adamw step 1", 15.0 / 16 - 64.0 / 513, p[0],
        EB.adam(lr, b1, b2, eps, 0.5, true, 1, 1, 0.5, 0, 0)[0]);
    // Adam with L2 weight decay 1/2: g = 1/2 + (1/2)(1) = 1: m^ = 1, v^ = 1; p = 1 - (1/8) / (1 + 1/1024)
    // = 1 - 128/1025 = 897/1025.
    p[0] = 1;
    m[0] = 0;
    v[0] = 0;
    kernels().adamUpdate(1, lr, b1, b2, eps, 0.5, false, 1, p, 0, new double[] {0.5}, 0, m, 0, v, 0);
    Checks.closeToExact("adam L2 step 1", 897.0 / 1025, p[0], EB.adam(lr, b1, b2, eps, 0.5, false, 1, 1, 0.5, 0, 0)[0]);
  }

  @Test
  void adamStepsMatchFormulas() {
    Random rnd = new Random(22);
    int n = 19;
    for (boolean decoupled : new boolean[] {false, true}) {
      for (double wd : new double[] {0, 0.01}) {
        double[] p = guarded(rnd, n, mixed(2));
        double[] m = guarded(rnd, n, mixed(2));
        double[] v = guarded(rnd, n, positive(4));
        for (int i = GUARD; i < GUARD + n; i++) {
          m[i] = 0; // a fresh optimizer
          v[i] = 0;
        }
        for (int step = 1; step <= 4; step++) {
          double[] grad = guarded(rnd, n, mixed(3));
          double[] p0 = p.clone();
          double[] m0 = m.clone();
          double[] v0 = v.clone();
          double[] grad0 = grad.clone();
          kernels().adamUpdate(n, 1e-3, 0.9, 0.999, 1e-8, wd, decoupled, step, p, GUARD, grad, GUARD, m, GUARD, v,
              GUARD);
          String op = "adam decoupled=" + decoupled + " wd=" + wd + " step " + step;
          Checks.unchanged(op + ": grad", grad0, grad);
          Checks.unchangedOutside(op + ": param", p0, p, GUARD, GUARD + n);
          Checks.unchangedOutside(op + ": m", m0, m, GUARD, GUARD + n);
          Checks.unchangedOutside(op + ": v", v0, v, GUARD, GUARD + n);
          for (int i = GUARD; i < GUARD + n; i++) {
            var want = Formulas.adamStep(1e-3, 0.9, 0.999, 1e-8, wd, decoupled, step, p0[i], grad0[i], m0[i], v0[i]);
            var bound = EB.adam(1e-3, 0.9, 0.999, 1e-8, wd, decoupled, step, p0[i], grad0[i], m0[i], v0[i]);
            var ref = REF.adam(1e-3, 0.9, 0.999, 1e-8, wd, decoupled, step, p0[i], grad0[i], m0[i], v0[i]);
            Checks.closeToExact(op + " param[" + i + "]", want[0], p[i], bound[0] + ref[0]);
            Checks.closeToExact(op + " m[" + i + "]", want[1], m[i], bound[1] + ref[1]);
            Checks.closeToExact(op + " v[" + i + "]", want[2], v[i], bound[2] + ref[2]);
          }
        }
      }
    }
  }

  // ===============================================================================================================
  // Size 0
  // ===============================================================================================================

  @Test
  @Tag(WIDTH_INDEPENDENT)
  void sizeZeroTouchesNothingAndReductionsReturnTheirIdentity() {
    double[] a = {Double.NaN, 1, 2};
    double[] b = {3, Double.NaN, 4};
    double[] o = {5, 6, Double.NaN};
    double[] a0 = a.clone();
    double[] b0 = b.clone();
    double[] o0 = o.clone();
    DoubleKernels k = kernels();
    k.gemm(false, false, 0, 0, 0, 1, a, 0, 1, b, 0, 1, 1, o, 0, 1);
    k.gemm(true, true, 0, 2, 2, 1, a, 0, 1, b, 0, 1, 0, o, 0, 1);
    k.gemv(false, 0, 2, 1, a, 0, 2, b, 0, 0, o, 0);
    k.gemv(true, 2, 0, 1, a, 0, 1, b, 0, 0, o, 0);
    k.axpy(0, 2, a, 0, o, 0);
    k.scal(0, 2, o, 0);
    k.add(0, a, 0, b, 0, o, 0);
    k.sub(0, a, 0, b, 0, o, 0);
    k.mul(0, a, 0, b, 0, o, 0);
    k.div(0, a, 0, b, 0, o, 0);
    k.scale(0, 2, a, 0, o, 0);
    k.addScalar(0, 2, a, 0, o, 0);
    k.fill(0, 2, o, 0);
    k.copy(0, a, 0, o, 0);
    k.sigmoid(0, a, 0, o, 0);
    k.sigmoidBackward(0, a, 0, b, 0, o, 0);
    k.tanh(0, a, 0, o, 0);
    k.tanhBackward(0, a, 0, b, 0, o, 0);
    k.relu(0, a, 0, o, 0);
    k.reluBackward(0, a, 0, b, 0, o, 0);
    k.exp(0, a, 0, o, 0);
    k.expBackward(0, a, 0, b, 0, o, 0);
    k.log(0, a, 0, o, 0);
    k.logBackward(0, a, 0, b, 0, o, 0);
    k.addColumnSums(0, 2, a, 0, 2, o, 0);
    k.addColumnSums(2, 0, a, 0, 1, o, 0);
    k.softmax(0, 2, a, 0, 2, o, 0, 2);
    k.softmax(2, 0, a, 0, 1, o, 0, 1);
    k.softmaxBackward(0, 2, a, 0, b, 0, o, 0);
    k.logSoftmax(0, 2, a, 0, 2, o, 0, 2);
    k.logSoftmaxBackward(2, 0, a, 0, b, 0, o, 0);
    k.lstmForward(0, 3, a, 0, b, 0, o, 0, o, 0);
    k.lstmForward(2, 0, a, 0, b, 0, o, 0, o, 0);
    k.lstmBackward(0, 3, a, 0, b, 0, a, 0, b, 0, o, 0, o, 0);
    k.gruForward(0, 3, a, 0, b, 0, b, 0, o, 0);
    k.gruBackward(2, 0, a, 0, b, 0, b, 0, b, 0, o, 0, o, 0, o, 0);
    k.sgdUpdate(0, 0.1, 0.9, 0, 0, false, false, o, 0, a, 0, b, 0);
    k.adamUpdate(0, 0.1, 0.9, 0.999, 1e-8, 0, false, 1, o, 0, a, 0, b, 0, b, 0);
    Checks.unchanged("size 0: a", a0, a);
    Checks.unchanged("size 0: b", b0, b);
    Checks.unchanged("size 0: out", o0, o);
    assertEquals(0, k.dot(0, a, 0, b, 0));
    assertEquals(0, k.sum(0, a, 0));
    assertEquals(0, k.sumOfSquares(0, a, 0));
    assertEquals(Double.NEGATIVE_INFINITY, k.max(0, a, 0));
  }
}
