package dev.rnn4j.kernels.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * gemm of the SIMD kernels on shapes chosen to cross every block boundary of the packed path (MR = 6 rows, panels of
 * NV = 4 vectors, KC and NC derived from the caches; row tails of every length from 1 to 5) and to take the small
 * path, in all four transpose combinations, with leading dimensions larger than the rows and non-zero offsets,
 * against a float64 reference.
 *
 * <p>Bound (Higham, 3.1): a length-k sum of products computed in any order, with or without FMA, is within
 * {@code gamma(k) * S}, {@code S = sum_p |a_ip b_pj|}, of the exact value, gamma(k) = k u / (1 - k u). The packed
 * path splits k into {@code pieces <= k / 256 + 1} blocks and for each block rounds twice more (scaling by alpha or
 * beta, adding into C), each time an error of at most {@code u (|alpha| S + |beta c|)}, the largest magnitude a partial
 * result can have. So {@code |C - exact| <= gamma(k) |alpha| S + 2 pieces u (|alpha| S + |beta c|)}. The float64
 * reference is within the same bound with u = 2^-53: for float32 it is added, for float64 the kernel and the
 * reference may each be off by the full bound, so twice it separates them.
 */
class PanamaGemmTest {

  private static final double U32 = 0x1p-24;
  private static final double U64 = 0x1p-53;

  static Stream<Arguments> shapes() {
    // Column blocks are wider for products shallower than a k block (GemmBlocking.ncFor): read them per depth.
    int nc32 = PanamaFloatGemm.BLOCKING.ncFor(300);
    int nc64 = PanamaDoubleGemm.BLOCKING.ncFor(270);
    int nc64Shallow = PanamaDoubleGemm.BLOCKING.ncFor(33);
    // The k block is derived from this machine's caches (GemmBlocking): 256 on some, 160 or 512 on others.
    int kc32 = PanamaFloatGemm.KC;
    int kc64 = PanamaDoubleGemm.KC;
    int[][] mnk = {
        {1, 1, 1}, {3, 70, 40}, {5, 129, 300}, // fewer than MR rows: small path
        {7, 8, 9}, {9, 5, 6}, // below the small-product threshold (8^3)
        {6, 64, 256}, {8, 65, 300}, {10, 64, 256}, {16, 96, 257}, {12, 128, 257}, {7, 65, 255}, {11, 49, 100},
        {13, 31, 513}, // tiles and edges of the packed path; row tails of 1, 2, 4 and 5 rows
        {6, 64, kc32}, {16, 96, kc32 + 1}, {7, 65, kc64 - 1}, {12, 128, kc64 + 1}, {13, 31, 2 * kc64 + 1},
        {9, 70, 2 * kc32 + 3}, // k at and around this machine's k blocks in both precisions
        {13, nc32 + 65, 300}, {19, nc64 + 9, 270}, {31, 2 * nc64Shallow + 1, 33}, // several column blocks
    };
    Stream.Builder<Arguments> b = Stream.builder();
    for (int[] s : mnk) {
      for (int t = 0; t < 4; t++) {
        b.add(Arguments.of(s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0));
      }
    }
    return b.build();
  }

  @ParameterizedTest(name = "float m={0} n={1} k={2} transA={3} transB={4}")
  @MethodSource("shapes")
  void floatGemmMatchesTheFloat64Reference(int m, int n, int k, boolean transA, boolean transB) {
    SplittableRandom rnd = new SplittableRandom(31L * m + 17L * n + k + (transA ? 1 : 0) + (transB ? 2 : 0));
    int lda = (transA ? m : k) + 3;
    int ldb = (transB ? k : n) + 5;
    int ldc = n + 2;
    int aOff = 7;
    int bOff = 11;
    int cOff = 13;
    float[] a = random(rnd, aOff + (transA ? k : m) * lda);
    float[] b = random(rnd, bOff + (transB ? n : k) * ldb);
    for (double beta : new double[] {0, 0.75}) {
      float alpha = 1.5f;
      float[] c = random(rnd, cOff + m * ldc);
      float[] before = c.clone();
      if (beta == 0) {
        Arrays.fill(c, Float.NaN); // beta == 0: C must not be read
      }
      new PanamaFloatKernels().gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, (float) beta,
          c, cOff, ldc);
      assertFloatProduct(m, n, k, transA, transB, alpha, a, aOff, lda, b, bOff, ldb, beta, before, c, cOff, ldc);
      assertUntouchedOutside(c, before, beta == 0, cOff, m, n, ldc);
    }
  }

  @ParameterizedTest(name = "double m={0} n={1} k={2} transA={3} transB={4}")
  @MethodSource("shapes")
  void doubleGemmMatchesTheReferenceWithinTheBound(int m, int n, int k, boolean transA, boolean transB) {
    SplittableRandom rnd = new SplittableRandom(37L * m + 13L * n + k + (transA ? 1 : 0) + (transB ? 2 : 0));
    int lda = (transA ? m : k) + 1;
    int ldb = (transB ? k : n) + 3;
    int ldc = n + 4;
    int aOff = 5;
    int bOff = 2;
    int cOff = 9;
    double[] a = randomDoubles(rnd, aOff + (transA ? k : m) * lda);
    double[] b = randomDoubles(rnd, bOff + (transB ? n : k) * ldb);
    for (double beta : new double[] {0, -0.5}) {
      double alpha = -0.75;
      double[] c = randomDoubles(rnd, cOff + m * ldc);
      double[] before = c.clone();
      if (beta == 0) {
        Arrays.fill(c, Double.NaN);
      }
      new PanamaDoubleKernels().gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta,
          c, cOff, ldc);
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double acc = 0;
          double abs = 0;
          for (int p = 0; p < k; p++) {
            double x = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
            double y = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
            acc += x * y;
            abs += Math.abs(x * y);
          }
          double old = before[cOff + i * ldc + j];
          double want = alpha * acc + beta * old;
          double bound = 2 * bound(k, U64, alpha, abs, beta, old);
          double got = c[cOff + i * ldc + j];
          int row = i;
          int col = j;
          assertTrue(Math.abs(got - want) <= bound,
              () -> "C[" + row + "," + col + "] = " + got + ", want " + want + " +- " + bound);
        }
      }
      for (int idx = 0; idx < c.length; idx++) {
        int r = (idx - cOff) / ldc;
        int col = (idx - cOff) % ldc;
        boolean inside = idx >= cOff && r < m && col < n;
        if (!inside) {
          assertEquals(beta == 0 ? Double.NaN : before[idx], c[idx], "C[" + idx + "] outside the matrix changed");
        }
      }
    }
  }

  /**
   * gemmPacked on the same shapes: within the bound of the float64 reference (the packed path is gemm's blocked
   * path, so the bound above holds), bit for bit gemm's result where gemm takes its blocked path (m >= MR and
   * m n k >= 8^3: the same micro-kernel on the same panels), and every row computed alone equal to the same row of
   * the whole product (row tails of at most 3 rows take the one-row kernel, which must build the same bits).
   */
  @ParameterizedTest(name = "float packed m={0} n={1} k={2} transA={3} transB={4}")
  @MethodSource("shapes")
  void floatGemmPackedMatchesGemmAndTheReference(int m, int n, int k, boolean transA, boolean transB) {
    SplittableRandom rnd = new SplittableRandom(41L * m + 19L * n + k + (transA ? 1 : 0) + (transB ? 2 : 0));
    int lda = (transA ? m : k) + 2;
    int ldb = (transB ? k : n) + 1;
    int ldc = n + 3;
    int aOff = 3;
    int bOff = 6;
    int cOff = 4;
    float[] a = random(rnd, aOff + (transA ? k : m) * lda);
    float[] b = random(rnd, bOff + (transB ? n : k) * ldb);
    PanamaFloatKernels kernels = new PanamaFloatKernels();
    var packed = kernels.packB(transB, k, n, b, bOff, ldb, null);
    for (float beta : new float[] {0, 0.75f}) {
      float alpha = -1.25f;
      float[] c = random(rnd, cOff + m * ldc);
      float[] before = c.clone();
      float[] viaGemm = c.clone();
      kernels.gemmPacked(transA, m, alpha, a, aOff, lda, packed, beta, c, cOff, ldc);
      assertFloatProduct(m, n, k, transA, transB, alpha, a, aOff, lda, b, bOff, ldb, beta, before, c, cOff, ldc);
      assertUntouchedOutside(c, before, false, cOff, m, n, ldc);
      if (m >= PanamaFloatGemm.MR && (long) m * n * k >= PanamaFloatGemm.SMALL_GEMM) {
        kernels.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, viaGemm, cOff, ldc);
        assertTrue(Arrays.equals(viaGemm, c), "gemmPacked differs from gemm's blocked path");
      }
      for (int i = 0; i < m; i++) {
        float[] alone = before.clone();
        kernels.gemmPacked(transA, 1, alpha, a, aOff + (transA ? i : i * lda), lda, packed, beta, alone,
            cOff + i * ldc, ldc);
        int from = cOff + i * ldc;
        assertTrue(Arrays.equals(Arrays.copyOfRange(alone, from, from + n), Arrays.copyOfRange(c, from, from + n)),
            "row " + i + " computed alone differs from the same row of the whole product");
      }
    }
  }

  /** Every element of the float32 C within the bound above of the float64 {@code alpha op(A) op(B) + beta C0}. */
  private static void assertFloatProduct(int m, int n, int k, boolean transA, boolean transB, double alpha, float[] a,
                                         int aOff, int lda, float[] b, int bOff, int ldb, double beta, float[] before,
                                         float[] c, int cOff, int ldc) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double acc = 0;
        double abs = 0;
        for (int p = 0; p < k; p++) {
          double x = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
          double y = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
          acc += x * y;
          abs += Math.abs(x * y);
        }
        double old = before[cOff + i * ldc + j];
        double want = alpha * acc + beta * old;
        double bound = bound(k, U32, alpha, abs, beta, old) + bound(k, U64, alpha, abs, beta, old);
        float got = c[cOff + i * ldc + j];
        int row = i;
        int col = j;
        assertTrue(Math.abs(got - want) <= bound,
            () -> "C[" + row + "," + col + "] = " + got + ", want " + want + " +- " + bound);
      }
    }
  }

  private static void assertUntouchedOutside(float[] c, float[] before, boolean nanFilled, int cOff, int m, int n,
                                             int ldc) {
    for (int idx = 0; idx < c.length; idx++) {
      int r = (idx - cOff) / ldc;
      int col = (idx - cOff) % ldc;
      boolean inside = idx >= cOff && r < m && col < n;
      if (!inside) {
        assertEquals(nanFilled ? Float.NaN : before[idx], c[idx], "C[" + idx + "] outside the matrix changed");
      }
    }
  }

  private static double bound(int k, double u, double alpha, double sumAbs, double beta, double old) {
    int pieces = k / 256 + 1;
    return gamma(k, u) * Math.abs(alpha) * sumAbs
        + 2 * pieces * u * (Math.abs(alpha) * sumAbs + Math.abs(beta * old));
  }

  private static double gamma(int k, double u) {
    return k * u / (1 - k * u);
  }

  private static float[] random(SplittableRandom rnd, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) rnd.nextDouble(-1, 1);
    }
    return x;
  }

  private static double[] randomDoubles(SplittableRandom rnd, int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = rnd.nextDouble(-1, 1);
    }
    return x;
  }
}
