package dev.rnn4j.kernels.testing;

// rnn4j:generate-float

import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.EB;
import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.MAX_DIM;
import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.SPEC;
import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.array;
import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.coefficient;
import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.offset;
import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.slack;
import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.vectorCase;
import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.wide;
import static dev.rnn4j.kernels.testing.ErrorBounds.agreement;
import static dev.rnn4j.kernels.testing.TestValues.mixed;
import static dev.rnn4j.kernels.testing.TestValues.size;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rnn4j.kernels.DoubleKernels;
import dev.rnn4j.kernels.DoublePackedMatrix;
import dev.rnn4j.kernels.testing.DoubleKernelTestSupport.Copies;
import dev.rnn4j.kernels.testing.DoubleKernelTestSupport.VectorCase;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Agreement with the scalar spec of the BLAS-like kernels: gemm, gemmPacked (with packB), gemmPackedBias, gemv, axpy,
 * dot and scal, with their cases ({@code xxxCase}) and checks ({@code checkXxx}). The first link of the agreement
 * suite's chain of family classes, so it declares {@link #candidate()}; implementations subclass
 * {@link DoubleKernelAgreementProperties}, which runs every family (its Javadoc says how cases and tolerances are
 * chosen).
 */
@SuppressWarnings("cast")
public abstract class DoubleBlasAgreementProperties {

  /** The implementation under test. */
  protected abstract DoubleKernels candidate();

  // ===============================================================================================================
  // Properties
  // ===============================================================================================================

  @Property(tries = 60)
  public void gemmAgrees(@ForAll long seed) {
    checkGemm(SPEC, candidate(), gemmCase(new Random(seed)));
  }

  @Property(tries = 40)
  public void gemmPackedAgrees(@ForAll long seed) {
    checkGemmPacked(SPEC, candidate(), gemmCase(new Random(seed)));
  }

  @Property(tries = 8)
  public void gemmPackedAgreesOnWidePanels(@ForAll long seed) {
    checkGemmPacked(SPEC, candidate(), wideGemmCase(new Random(seed)));
  }

  @Property(tries = 40)
  public void gemmPackedBiasAgrees(@ForAll long seed) {
    checkGemmPackedBias(SPEC, candidate(), gemmPackedBiasCase(new Random(seed)));
  }

  @Property(tries = 40)
  public void gemvAgrees(@ForAll long seed) {
    checkGemv(SPEC, candidate(), gemvCase(new Random(seed)));
  }

  @Property(tries = 30)
  public void axpyAgrees(@ForAll long seed) {
    checkAxpy(SPEC, candidate(), vectorCase(new Random(seed)));
  }

  @Property(tries = 30)
  public void dotAgrees(@ForAll long seed) {
    checkDot(SPEC, candidate(), vectorCase(new Random(seed)));
  }

  @Property(tries = 20)
  public void scalAgrees(@ForAll long seed) {
    checkScal(SPEC, candidate(), vectorCase(new Random(seed)));
  }

  // ===============================================================================================================
  // Cases. Arrays are larger than the ranges the kernel may touch (offsets before, slack after, ld > row length);
  // every element is random, so any write outside the stated range shows up as a changed element. Where two
  // record components are the same array object, the case tests aliasing.
  // ===============================================================================================================

  /** Arguments of gemm. */
  public record GemmCase(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff,
                         int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
    @Override
    public String toString() {
      return "gemm(transA=" + transA + ", transB=" + transB + ", m=" + m + ", n=" + n + ", k=" + k + ", alpha="
          + alpha + ", aOff=" + aOff + ", lda=" + lda + ", bOff=" + bOff + ", ldb=" + ldb + ", beta=" + beta
          + ", cOff=" + cOff + ", ldc=" + ldc + ")";
    }
  }

  /**
   * Arguments of gemmPackedBias: the product of a gemm case (its beta unused), the bias row at biasOff; C holds NaN
   * where it is written in some cases (it must not be read).
   */
  public record GemmBiasCase(GemmCase g, double[] bias, int biasOff) {
    @Override
    public String toString() {
      return "gemmPackedBias from " + g + " without beta, biasOff=" + biasOff;
    }
  }

  /** Arguments of gemv. */
  public record GemvCase(boolean trans, int m, int n, double alpha, double[] a, int aOff, int lda, double[] x,
                         int xOff, double beta, double[] y, int yOff) {
    @Override
    public String toString() {
      return "gemv(trans=" + trans + ", m=" + m + ", n=" + n + ", alpha=" + alpha + ", aOff=" + aOff + ", lda=" + lda
          + ", xOff=" + xOff + ", beta=" + beta + ", yOff=" + yOff + ")";
    }
  }

  /** A random gemm: any transposes, sizes 0..24, ld = row length + 0..3, offsets 0..3, NaN in C when beta = 0. */
  public static GemmCase gemmCase(Random rnd) {
    return gemmCase(rnd, MAX_DIM, MAX_DIM, MAX_DIM);
  }

  /**
   * A gemm case of up to 8 rows, 300 columns and 700 terms: a product the size of a recurrent layer's step, several
   * packed panels wide (two panels are multiplied at a time, an odd last one alone) and, where the k block is short,
   * more than one k block deep.
   */
  public static GemmCase wideGemmCase(Random rnd) {
    return gemmCase(rnd, 8, 300, 700);
  }

  private static GemmCase gemmCase(Random rnd, int maxM, int maxN, int maxK) {
    boolean ta = rnd.nextBoolean();
    boolean tb = rnd.nextBoolean();
    int m = size(rnd, maxM);
    int n = size(rnd, maxN);
    int k = size(rnd, maxK);
    int aRows = ta ? k : m;
    int aCols = ta ? m : k;
    int bRows = tb ? n : k;
    int bCols = tb ? k : n;
    int lda = Math.max(1, aCols + slack(rnd));
    int ldb = Math.max(1, bCols + slack(rnd));
    int ldc = Math.max(1, n + slack(rnd));
    int aOff = offset(rnd);
    int bOff = offset(rnd);
    int cOff = offset(rnd);
    double[] a = array(rnd, aOff + aRows * lda + slack(rnd), mixed(4));
    double[] b = array(rnd, bOff + bRows * ldb + slack(rnd), mixed(4));
    double[] c = array(rnd, cOff + m * ldc + slack(rnd), mixed(4));
    double alpha = coefficient(rnd);
    double beta = rnd.nextInt(3) == 0 ? 0 : coefficient(rnd);
    if (beta == 0 && rnd.nextBoolean()) {
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          c[cOff + i * ldc + j] = Double.NaN; // must not propagate: C is not read when beta == 0
        }
      }
    }
    return new GemmCase(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
  }

  /** A random gemm case's product with a random bias row; NaN in C in half of the cases. */
  public static GemmBiasCase gemmPackedBiasCase(Random rnd) {
    GemmCase g = gemmCase(rnd);
    int biasOff = offset(rnd);
    double[] bias = array(rnd, biasOff + g.n() + slack(rnd), mixed(4));
    if (rnd.nextBoolean()) {
      for (int i = 0; i < g.m(); i++) {
        Arrays.fill(g.c(), g.cOff() + i * g.ldc(), g.cOff() + i * g.ldc() + g.n(), Double.NaN);
      }
    }
    return new GemmBiasCase(g, bias, biasOff);
  }

  /** A random gemv, either orientation, NaN in y when beta = 0. */
  public static GemvCase gemvCase(Random rnd) {
    boolean trans = rnd.nextBoolean();
    int m = size(rnd, 2 * MAX_DIM);
    int n = size(rnd, 2 * MAX_DIM);
    int lda = Math.max(1, n + slack(rnd));
    int aOff = offset(rnd);
    int xOff = offset(rnd);
    int yOff = offset(rnd);
    int xLen = trans ? m : n;
    int yLen = trans ? n : m;
    double[] a = array(rnd, aOff + m * lda + slack(rnd), mixed(4));
    double[] x = array(rnd, xOff + xLen + slack(rnd), mixed(4));
    double[] y = array(rnd, yOff + yLen + slack(rnd), mixed(4));
    double alpha = coefficient(rnd);
    double beta = rnd.nextInt(3) == 0 ? 0 : coefficient(rnd);
    if (beta == 0 && rnd.nextBoolean()) {
      for (int i = 0; i < yLen; i++) {
        y[yOff + i] = Double.NaN;
      }
    }
    return new GemvCase(trans, m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
  }

  // ===============================================================================================================
  // Checks
  // ===============================================================================================================

  /** C[i, j] within gamma(k + 2) (|alpha| sum_p |A[i, p] B[p, j]| + |beta C[i, j]|), twice (two implementations). */
  public static void checkGemm(DoubleKernels reference, DoubleKernels candidate, GemmCase g) {
    String op = g.toString();
    Copies r = new Copies();
    Copies c = new Copies();
    reference.gemm(g.transA(), g.transB(), g.m(), g.n(), g.k(), g.alpha(), r.of(g.a()), g.aOff(), g.lda(),
        r.of(g.b()), g.bOff(), g.ldb(), g.beta(), r.of(g.c()), g.cOff(), g.ldc());
    candidate.gemm(g.transA(), g.transB(), g.m(), g.n(), g.k(), g.alpha(), c.of(g.a()), g.aOff(), g.lda(),
        c.of(g.b()), g.bOff(), g.ldb(), g.beta(), c.of(g.c()), g.cOff(), g.ldc());
    Checks.unchanged(op + ": A", g.a(), c.of(g.a()));
    Checks.unchanged(op + ": B", g.b(), c.of(g.b()));
    compareGemm(op, g, r.of(g.c()), c.of(g.c()));
  }

  /**
   * gemmPacked of the candidate (B packed by the candidate's packB, into the storage of an earlier, larger packed
   * matrix) against the reference's plain gemm, with gemm's bound; then row independence: every row computed alone
   * (m = 1) must equal, bit for bit, the same row of the whole product; and column independence (checkColumnsAlone).
   */
  public static void checkGemmPacked(DoubleKernels reference, DoubleKernels candidate, GemmCase g) {
    String op = "gemmPacked from " + g;
    Copies r = new Copies();
    Copies c = new Copies();
    reference.gemm(g.transA(), g.transB(), g.m(), g.n(), g.k(), g.alpha(), r.of(g.a()), g.aOff(), g.lda(),
        r.of(g.b()), g.bOff(), g.ldb(), g.beta(), r.of(g.c()), g.cOff(), g.ldc());
    double[] junk = new double[(g.k() + 3) * (g.n() + 5)];
    Arrays.fill(junk, Double.NaN);
    DoublePackedMatrix earlier = candidate.packB(false, g.k() + 3, g.n() + 5, junk, 0, g.n() + 5, null);
    DoublePackedMatrix p = candidate.packB(g.transB(), g.k(), g.n(), c.of(g.b()), g.bOff(), g.ldb(), earlier);
    Checks.unchanged(op + ": B (packB)", g.b(), c.of(g.b()));
    assertEquals(g.k(), p.rows(), op + ": rows of the packed matrix");
    assertEquals(g.n(), p.cols(), op + ": cols of the packed matrix");
    candidate.gemmPacked(g.transA(), g.m(), g.alpha(), c.of(g.a()), g.aOff(), g.lda(), p, g.beta(), c.of(g.c()),
        g.cOff(), g.ldc());
    Checks.unchanged(op + ": A", g.a(), c.of(g.a()));
    double[] got = c.of(g.c());
    compareGemm(op, g, r.of(g.c()), got);
    checkRowsAlone(op, g, got, (rowA, alone, rowC) -> candidate.gemmPacked(g.transA(), 1, g.alpha(), g.a(), rowA,
        g.lda(), p, g.beta(), alone, rowC, g.ldc()));
    checkColumnsAlone(op, g, null, 0, got, candidate, (sub, subBias, cs, ldc) -> candidate.gemmPacked(g.transA(),
        g.m(), g.alpha(), g.a(), g.aOff(), g.lda(), sub, g.beta(), cs, 0, ldc));
  }

  /**
   * gemmPackedBias of the candidate against the reference's gemm with beta = 1 on a C whose rows hold the bias (the
   * contract's definition), with gemm's bound (|beta c_ij| = |bias_j|); then row and column independence as for gemmPacked.
   */
  public static void checkGemmPackedBias(DoubleKernels reference, DoubleKernels candidate, GemmBiasCase bc) {
    GemmCase g = bc.g();
    String op = bc.toString();
    double[] biasRows = g.c().clone();
    for (int i = 0; i < g.m(); i++) {
      System.arraycopy(bc.bias(), bc.biasOff(), biasRows, g.cOff() + i * g.ldc(), g.n());
    }
    GemmCase betaOne = new GemmCase(g.transA(), g.transB(), g.m(), g.n(), g.k(), g.alpha(), g.a(), g.aOff(), g.lda(),
        g.b(), g.bOff(), g.ldb(), 1, biasRows, g.cOff(), g.ldc());
    double[] want = biasRows.clone();
    reference.gemm(g.transA(), g.transB(), g.m(), g.n(), g.k(), g.alpha(), g.a(), g.aOff(), g.lda(), g.b(), g.bOff(),
        g.ldb(), 1, want, g.cOff(), g.ldc());
    Copies c = new Copies();
    DoublePackedMatrix p = candidate.packB(g.transB(), g.k(), g.n(), c.of(g.b()), g.bOff(), g.ldb(), null);
    candidate.gemmPackedBias(g.transA(), g.m(), g.alpha(), c.of(g.a()), g.aOff(), g.lda(), p, c.of(bc.bias()),
        bc.biasOff(), c.of(g.c()), g.cOff(), g.ldc());
    Checks.unchanged(op + ": A", g.a(), c.of(g.a()));
    Checks.unchanged(op + ": bias", bc.bias(), c.of(bc.bias()));
    Checks.unchangedOutsideMatrix(op + ": C", g.c(), c.of(g.c()), g.m(), g.n(), g.cOff(), g.ldc());
    double[] got = c.of(g.c());
    compareGemm(op, betaOne, want, got);
    checkRowsAlone(op, g, got, (rowA, alone, rowC) -> candidate.gemmPackedBias(g.transA(), 1, g.alpha(), g.a(), rowA,
        g.lda(), p, bc.bias(), bc.biasOff(), alone, rowC, g.ldc()));
    checkColumnsAlone(op, g, bc.bias(), bc.biasOff(), got, candidate, (sub, subBias, cs, ldc) ->
        candidate.gemmPackedBias(g.transA(), g.m(), g.alpha(), g.a(), g.aOff(), g.lda(), sub, subBias, 0, cs, 0, ldc));
  }

  /** A product over a selection of op(B)'s columns, packed alone: C [m, ldc] and the bias (or null) selected alike. */
  @FunctionalInterface
  private interface ColumnProduct {
    void run(DoublePackedMatrix selection, double[] bias, double[] c, int ldc);
  }

  /**
   * Column independence: op(B)'s even columns in order, and its odd columns in reverse order, each packed alone (with
   * C's and the bias's same columns) give bit for bit the same columns as got, the whole product.
   */
  private static void checkColumnsAlone(String op, GemmCase g, double[] bias, int biasOff, double[] got,
                                        DoubleKernels candidate, ColumnProduct product) {
    int n = g.n();
    int[] even = new int[(n + 1) / 2];
    int[] oddReversed = new int[n / 2];
    for (int j = 0; j < even.length; j++) {
      even[j] = 2 * j;
    }
    for (int j = 0; j < oddReversed.length; j++) {
      oddReversed[j] = n - 1 - (n % 2) - 2 * j;
    }
    for (int[] cols : new int[][] {even, oddReversed}) {
      int ns = cols.length;
      if (ns == 0) {
        continue;
      }
      double[] b = new double[g.k() * ns];
      double[] c = new double[g.m() * ns];
      double[] subBias = bias == null ? null : new double[ns];
      for (int s = 0; s < ns; s++) {
        int j = cols[s];
        for (int p = 0; p < g.k(); p++) {
          b[p * ns + s] = g.transB() ? g.b()[g.bOff() + j * g.ldb() + p] : g.b()[g.bOff() + p * g.ldb() + j];
        }
        for (int i = 0; i < g.m(); i++) {
          c[i * ns + s] = g.c()[g.cOff() + i * g.ldc() + j];
        }
        if (bias != null) {
          subBias[s] = bias[biasOff + j];
        }
      }
      product.run(candidate.packB(false, g.k(), ns, b, 0, ns, null), subBias, c, ns);
      for (int i = 0; i < g.m(); i++) {
        for (int s = 0; s < ns; s++) {
          int ij = g.cOff() + i * g.ldc() + cols[s];
          if (Double.compare(c[i * ns + s], got[ij]) != 0) {
            throw new AssertionError(op + ": column " + cols[s] + " computed with " + ns + " of the columns packed "
                + "alone differs from the whole product at row " + i + ": " + c[i * ns + s] + " vs " + got[ij]);
          }
        }
      }
    }
  }

  /** One row of a product: op(A)'s row at rowA, C's row at rowC of c. */
  @FunctionalInterface
  private interface RowProduct {
    void run(int rowA, double[] c, int rowC);
  }

  /**
   * Every row of the product g, computed alone (m = 1) from the case's own C, equals bit for bit the same row of got,
   * the whole product.
   */
  private static void checkRowsAlone(String op, GemmCase g, double[] got, RowProduct row) {
    for (int i = 0; i < g.m(); i++) {
      double[] alone = g.c().clone();
      row.run(g.aOff() + (g.transA() ? i : i * g.lda()), alone, g.cOff() + i * g.ldc());
      for (int j = 0; j < g.n(); j++) {
        int ij = g.cOff() + i * g.ldc() + j;
        if (Double.compare(alone[ij], got[ij]) != 0) {
          throw new AssertionError(op + ": row " + i + " computed alone differs from the same row of the whole "
              + "product at column " + j + ": " + alone[ij] + " vs " + got[ij]);
        }
      }
    }
  }

  /** C within gamma(k + 2) (|alpha| sum_p |a_ip b_pj| + |beta c_ij|) of the reference, twice; nothing else touched. */
  private static void compareGemm(String op, GemmCase g, double[] want, double[] got) {
    Checks.unchangedOutsideMatrix(op + ": C", g.c(), got, g.m(), g.n(), g.cOff(), g.ldc());
    for (int i = 0; i < g.m(); i++) {
      for (int j = 0; j < g.n(); j++) {
        var abs = wide(0);
        for (int p = 0; p < g.k(); p++) {
          double aip = g.transA() ? g.a()[g.aOff() + p * g.lda() + i] : g.a()[g.aOff() + i * g.lda() + p];
          double bpj = g.transB() ? g.b()[g.bOff() + j * g.ldb() + p] : g.b()[g.bOff() + p * g.ldb() + j];
          abs += Math.abs(wide(aip) * bpj);
        }
        int ij = g.cOff() + i * g.ldc() + j;
        abs = Math.abs(wide(g.alpha())) * abs + (g.beta() == 0 ? 0 : Math.abs(wide(g.beta()) * g.c()[ij]));
        Checks.close(op + " C[" + i + ", " + j + "]", want[ij], got[ij], agreement(EB.running(g.k() + 2, abs)));
      }
    }
  }

  /** y_i within gamma(len + 2) (|alpha| sum_j |A_ij x_j| + |beta y_i|), twice. */
  public static void checkGemv(DoubleKernels reference, DoubleKernels candidate, GemvCase g) {
    String op = g.toString();
    Copies r = new Copies();
    Copies c = new Copies();
    reference.gemv(g.trans(), g.m(), g.n(), g.alpha(), r.of(g.a()), g.aOff(), g.lda(), r.of(g.x()), g.xOff(),
        g.beta(), r.of(g.y()), g.yOff());
    candidate.gemv(g.trans(), g.m(), g.n(), g.alpha(), c.of(g.a()), g.aOff(), g.lda(), c.of(g.x()), g.xOff(),
        g.beta(), c.of(g.y()), g.yOff());
    int outLen = g.trans() ? g.n() : g.m();
    int inLen = g.trans() ? g.m() : g.n();
    Checks.unchanged(op + ": A", g.a(), c.of(g.a()));
    Checks.unchanged(op + ": x", g.x(), c.of(g.x()));
    Checks.unchangedOutside(op + ": y", g.y(), c.of(g.y()), g.yOff(), g.yOff() + outLen);
    for (int i = 0; i < outLen; i++) {
      var abs = wide(0);
      for (int j = 0; j < inLen; j++) {
        double aij = g.trans() ? g.a()[g.aOff() + j * g.lda() + i] : g.a()[g.aOff() + i * g.lda() + j];
        abs += Math.abs(wide(aij) * g.x()[g.xOff() + j]);
      }
      abs = Math.abs(wide(g.alpha())) * abs + (g.beta() == 0 ? 0 : Math.abs(wide(g.beta()) * g.y()[g.yOff() + i]));
      Checks.close(op + " y[" + i + "]", r.of(g.y())[g.yOff() + i], c.of(g.y())[g.yOff() + i],
          agreement(EB.running(inLen + 2, abs)));
    }
  }

  /** y_i within gamma(2) (|y_i| + |alpha x_i|), twice (with or without a fused multiply-add). */
  public static void checkAxpy(DoubleKernels reference, DoubleKernels candidate, VectorCase v) {
    String op = "axpy" + v;
    Copies r = new Copies();
    Copies c = new Copies();
    reference.axpy(v.n(), v.alpha(), r.of(v.x()), v.xOff(), r.of(v.y()), v.yOff());
    candidate.axpy(v.n(), v.alpha(), c.of(v.x()), v.xOff(), c.of(v.y()), v.yOff());
    if (v.x() != v.y()) {
      Checks.unchanged(op + ": x", v.x(), c.of(v.x()));
    }
    Checks.unchangedOutside(op + ": y", v.y(), c.of(v.y()), v.yOff(), v.yOff() + v.n());
    Checks.closeRange(op, r.of(v.y()), c.of(v.y()), v.yOff(), v.n(), i -> agreement(EB.running(2,
        Math.abs(wide(v.y()[v.yOff() + i])) + Math.abs(wide(v.alpha()) * v.x()[v.xOff() + i]))));
  }

  /** Within gamma(n) sum |x_i y_i|, twice. */
  public static void checkDot(DoubleKernels reference, DoubleKernels candidate, VectorCase v) {
    String op = "dot" + v;
    double[] x = v.x().clone();
    double[] y = v.x() == v.y() ? x : v.y().clone();
    double want = reference.dot(v.n(), v.x(), v.xOff(), v.y(), v.yOff());
    double got = candidate.dot(v.n(), x, v.xOff(), y, v.yOff());
    Checks.unchanged(op + ": x", v.x(), x);
    Checks.unchanged(op + ": y", v.y(), y);
    var abs = wide(0);
    for (int i = 0; i < v.n(); i++) {
      abs += Math.abs(wide(v.x()[v.xOff() + i]) * v.y()[v.yOff() + i]);
    }
    Checks.close(op, want, got, agreement(EB.running(v.n(), abs)));
  }

  /** Exact: one correctly rounded product per element. */
  public static void checkScal(DoubleKernels reference, DoubleKernels candidate, VectorCase v) {
    String op = "scal" + v;
    double[] want = v.x().clone();
    double[] got = v.x().clone();
    reference.scal(v.n(), v.alpha(), want, v.xOff());
    candidate.scal(v.n(), v.alpha(), got, v.xOff());
    Checks.unchangedOutside(op, v.x(), got, v.xOff(), v.xOff() + v.n());
    Checks.closeRange(op, want, got, v.xOff(), v.n(), i -> 0);
  }
}
