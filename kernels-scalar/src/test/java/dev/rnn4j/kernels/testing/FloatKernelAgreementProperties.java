package dev.rnn4j.kernels.testing;

// Generated from DoubleKernelAgreementProperties.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

import static dev.rnn4j.kernels.testing.ErrorBounds.agreement;
import static dev.rnn4j.kernels.testing.TestValues.mixed;
import static dev.rnn4j.kernels.testing.TestValues.positive;
import static dev.rnn4j.kernels.testing.TestValues.size;
import static dev.rnn4j.kernels.testing.TestValues.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.kernels.FloatPackedMatrix;
import dev.rnn4j.kernels.ScalarFloatKernels;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Agreement of a candidate {@link FloatKernels} with the scalar spec {@link ScalarFloatKernels}, for every kernel,
 * over random sizes (odd sizes, sizes around vector widths, zero), leading dimensions larger than the row, all
 * transposes, nonzero offsets, the aliasing the contract allows, and random values of mixed magnitude and sign.
 *
 * <p>Subclass it and supply the candidate:
 * <pre>{@code
 * class SimdFloatKernelsAgreementProperties extends FloatKernelAgreementProperties {
 *   protected FloatKernels candidate() { return new SimdFloatKernels(); }
 * }
 * }</pre>
 * jqwik runs the inherited {@code @Property} methods for each concrete subclass.
 *
 * <p>Each property draws a seed; the case is built from it by a public static {@code xxxCase(Random)} factory, and
 * checked by a public static {@code checkXxx(reference, candidate, case)} that throws {@link AssertionError} on
 * disagreement, so other tests (such as the mutant tests) can call the checks directly. Every check also verifies
 * that the candidate left its inputs unchanged and touched nothing outside its output ranges. Tolerances come from
 * {@link ErrorBounds} ({@code agreement(bound)} = twice the one-implementation bound); exact operations
 * (add, mul, copy, max, relu ...) must agree exactly.
 */
@SuppressWarnings("cast")
public abstract class FloatKernelAgreementProperties {

  private static final ErrorBounds EB = ErrorBounds.F32;
  private static final FloatKernels SPEC = new ScalarFloatKernels();

  /** Largest gemm / gemv dimension drawn. */
  private static final int MAX_DIM = 24;
  /** Largest vector length drawn. */
  private static final int MAX_LEN = 80;

  /** The implementation under test. */
  protected abstract FloatKernels candidate();

  /** The scalar spec every candidate is compared with. */
  public static FloatKernels spec() {
    return SPEC;
  }

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

  @Property(tries = 20)
  public void addAgrees(@ForAll long seed) {
    checkAdd(SPEC, candidate(), binaryCase(new Random(seed)));
  }

  @Property(tries = 20)
  public void subAgrees(@ForAll long seed) {
    checkSub(SPEC, candidate(), binaryCase(new Random(seed)));
  }

  @Property(tries = 20)
  public void mulAgrees(@ForAll long seed) {
    checkMul(SPEC, candidate(), binaryCase(new Random(seed)));
  }

  @Property(tries = 20)
  public void divAgrees(@ForAll long seed) {
    checkDiv(SPEC, candidate(), binaryCase(new Random(seed)));
  }

  @Property(tries = 20)
  public void scaleAgrees(@ForAll long seed) {
    checkScale(SPEC, candidate(), vectorCase(new Random(seed)));
  }

  @Property(tries = 20)
  public void addScalarAgrees(@ForAll long seed) {
    checkAddScalar(SPEC, candidate(), vectorCase(new Random(seed)));
  }

  @Property(tries = 20)
  public void fillAgrees(@ForAll long seed) {
    checkFill(SPEC, candidate(), vectorCase(new Random(seed)));
  }

  @Property(tries = 20)
  public void copyAgrees(@ForAll long seed) {
    checkCopy(SPEC, candidate(), copyCase(new Random(seed)));
  }

  @Property(tries = 30)
  public void sigmoidAgrees(@ForAll long seed) {
    checkSigmoid(SPEC, candidate(), mapCase(new Random(seed), withSpecials(mixed(5))));
  }

  @Property(tries = 30)
  public void sigmoidBackwardAgrees(@ForAll long seed) {
    checkSigmoidBackward(SPEC, candidate(), backwardCase(new Random(seed), uniform(0, 1)));
  }

  @Property(tries = 30)
  public void tanhAgrees(@ForAll long seed) {
    checkTanh(SPEC, candidate(), mapCase(new Random(seed), withSpecials(mixed(5))));
  }

  @Property(tries = 30)
  public void tanhBackwardAgrees(@ForAll long seed) {
    checkTanhBackward(SPEC, candidate(), backwardCase(new Random(seed), uniform(-1, 1)));
  }

  @Property(tries = 20)
  public void reluAgrees(@ForAll long seed) {
    checkRelu(SPEC, candidate(), mapCase(new Random(seed), withSpecials(mixed(8))));
  }

  @Property(tries = 20)
  public void reluBackwardAgrees(@ForAll long seed) {
    checkReluBackward(SPEC, candidate(), backwardCase(new Random(seed), mixed(8)));
  }

  @Property(tries = 30)
  public void expAgrees(@ForAll long seed) {
    checkExp(SPEC, candidate(), mapCase(new Random(seed), withSpecials(uniform(-80, 80))));
  }

  @Property(tries = 20)
  public void expBackwardAgrees(@ForAll long seed) {
    checkExpBackward(SPEC, candidate(), backwardCase(new Random(seed), positive(10)));
  }

  @Property(tries = 30)
  public void logAgrees(@ForAll long seed) {
    checkLog(SPEC, candidate(), mapCase(new Random(seed), withSpecials(positive(30))));
  }

  @Property(tries = 20)
  public void logBackwardAgrees(@ForAll long seed) {
    checkLogBackward(SPEC, candidate(), backwardCase(new Random(seed), positive(10)));
  }

  @Property(tries = 30)
  public void sumAgrees(@ForAll long seed) {
    checkSum(SPEC, candidate(), vectorCase(new Random(seed)));
  }

  @Property(tries = 30)
  public void maxAgrees(@ForAll long seed) {
    checkMax(SPEC, candidate(), maxCase(new Random(seed)));
  }

  @Property(tries = 30)
  public void sumOfSquaresAgrees(@ForAll long seed) {
    checkSumOfSquares(SPEC, candidate(), vectorCase(new Random(seed)));
  }

  @Property(tries = 30)
  public void addColumnSumsAgrees(@ForAll long seed) {
    checkAddColumnSums(SPEC, candidate(), matrixCase(new Random(seed)));
  }

  @Property(tries = 30)
  public void softmaxAgrees(@ForAll long seed) {
    checkSoftmax(SPEC, candidate(), rowsCase(new Random(seed)));
  }

  @Property(tries = 30)
  public void softmaxBackwardAgrees(@ForAll long seed) {
    checkSoftmaxBackward(SPEC, candidate(), rowsBackwardCase(new Random(seed), uniform(0, 1)));
  }

  @Property(tries = 30)
  public void logSoftmaxAgrees(@ForAll long seed) {
    checkLogSoftmax(SPEC, candidate(), rowsCase(new Random(seed)));
  }

  @Property(tries = 30)
  public void logSoftmaxBackwardAgrees(@ForAll long seed) {
    checkLogSoftmaxBackward(SPEC, candidate(), rowsBackwardCase(new Random(seed), uniform(-12, 0)));
  }

  @Property(tries = 30)
  public void lstmForwardAgrees(@ForAll long seed) {
    checkLstmForward(SPEC, candidate(), lstmForwardCase(new Random(seed)));
  }

  @Property(tries = 30)
  public void lstmBackwardAgrees(@ForAll long seed) {
    checkLstmBackward(SPEC, candidate(), lstmBackwardCase(new Random(seed)));
  }

  @Property(tries = 30)
  public void gruForwardAgrees(@ForAll long seed) {
    checkGruForward(SPEC, candidate(), gruForwardCase(new Random(seed)));
  }

  @Property(tries = 30)
  public void gruBackwardAgrees(@ForAll long seed) {
    checkGruBackward(SPEC, candidate(), gruBackwardCase(new Random(seed)));
  }

  @Property(tries = 30)
  public void sgdUpdateAgrees(@ForAll long seed) {
    checkSgdUpdate(SPEC, candidate(), sgdCase(new Random(seed)));
  }

  @Property(tries = 30)
  public void adamUpdateAgrees(@ForAll long seed) {
    checkAdamUpdate(SPEC, candidate(), adamCase(new Random(seed)));
  }

  // ===============================================================================================================
  // Cases. Arrays are larger than the ranges the kernel may touch (offsets before, slack after, ld > row length);
  // every element is random, so any write outside the stated range shows up as a changed element. Where two
  // record components are the same array object, the case tests aliasing.
  // ===============================================================================================================

  /** Arguments of gemm. */
  public record GemmCase(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
                         int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
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
  public record GemmBiasCase(GemmCase g, float[] bias, int biasOff) {
    @Override
    public String toString() {
      return "gemmPackedBias from " + g + " without beta, biasOff=" + biasOff;
    }
  }

  /** Arguments of gemv. */
  public record GemvCase(boolean trans, int m, int n, float alpha, float[] a, int aOff, int lda, float[] x,
                         int xOff, float beta, float[] y, int yOff) {
    @Override
    public String toString() {
      return "gemv(trans=" + trans + ", m=" + m + ", n=" + n + ", alpha=" + alpha + ", aOff=" + aOff + ", lda=" + lda
          + ", xOff=" + xOff + ", beta=" + beta + ", yOff=" + yOff + ")";
    }
  }

  /** A scalar and two vectors (axpy, dot, scal, scale, addScalar, fill, copy, reductions); y may be x. */
  public record VectorCase(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
    @Override
    public String toString() {
      return "(n=" + n + ", alpha=" + alpha + ", xOff=" + xOff + ", yOff=" + yOff + ", aliased=" + (x == y) + ")";
    }
  }

  /** Two inputs and an output (add, sub, mul, div); out may be a or b. */
  public record BinaryCase(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
    @Override
    public String toString() {
      return "(n=" + n + ", aOff=" + aOff + ", bOff=" + bOff + ", outOff=" + outOff + ", out=a: " + (out == a)
          + ", out=b: " + (out == b) + ")";
    }
  }

  /** A map {@code y = f(x)}; y may be x. */
  public record MapCase(int n, float[] x, int xOff, float[] y, int yOff) {
    @Override
    public String toString() {
      return "(n=" + n + ", xOff=" + xOff + ", yOff=" + yOff + ", in place=" + (x == y) + ")";
    }
  }

  /** A backward map {@code dx = g(v, dy)} (v is y or x); dx may be v or dy. */
  public record BackwardCase(int n, float[] v, int vOff, float[] dy, int dyOff, float[] dx, int dxOff) {
    @Override
    public String toString() {
      return "(n=" + n + ", vOff=" + vOff + ", dyOff=" + dyOff + ", dxOff=" + dxOff + ", dx=v: " + (dx == v)
          + ", dx=dy: " + (dx == dy) + ")";
    }
  }

  /** A strided rows x cols matrix and a vector of cols (addColumnSums). */
  public record MatrixCase(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff) {
    @Override
    public String toString() {
      return "(rows=" + rows + ", cols=" + cols + ", xOff=" + xOff + ", ldx=" + ldx + ", outOff=" + outOff + ")";
    }
  }

  /** Row-wise softmax forward arguments; y may be x (same offset and ld). */
  public record RowsCase(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
    @Override
    public String toString() {
      return "(rows=" + rows + ", cols=" + cols + ", xOff=" + xOff + ", ldx=" + ldx + ", yOff=" + yOff + ", ldy="
          + ldy + ", in place=" + (x == y) + ")";
    }
  }

  /** Row-wise softmax backward arguments (contiguous rows); dx may be dy. */
  public record RowsBackwardCase(int rows, int cols, float[] y, int yOff, float[] dy, int dyOff, float[] dx,
                                 int dxOff) {
    @Override
    public String toString() {
      return "(rows=" + rows + ", cols=" + cols + ", yOff=" + yOff + ", dyOff=" + dyOff + ", dxOff=" + dxOff
          + ", in place=" + (dx == dy) + ")";
    }
  }

  /** lstmForward arguments; c may be cPrev. */
  public record LstmForwardCase(int batch, int hidden, float[] gates, int gatesOff, float[] cPrev, int cPrevOff,
                                float[] c, int cOff, float[] h, int hOff) {
    @Override
    public String toString() {
      return "lstmForward(batch=" + batch + ", hidden=" + hidden + ", gatesOff=" + gatesOff + ", cPrevOff="
          + cPrevOff + ", cOff=" + cOff + ", hOff=" + hOff + ", c=cPrev: " + (c == cPrev) + ")";
    }
  }

  /** lstmBackward arguments (gates hold activations). */
  public record LstmBackwardCase(int batch, int hidden, float[] gates, int gatesOff, float[] cPrev, int cPrevOff,
                                 float[] c, int cOff, float[] dh, int dhOff, float[] dc, int dcOff,
                                 float[] dGates, int dGatesOff) {
    @Override
    public String toString() {
      return "lstmBackward(batch=" + batch + ", hidden=" + hidden + ", gatesOff=" + gatesOff + ", dGatesOff="
          + dGatesOff + ")";
    }
  }

  /** gruForward arguments. */
  public record GruForwardCase(int batch, int hidden, float[] gi, int giOff, float[] gh, int ghOff,
                               float[] hPrev, int hPrevOff, float[] h, int hOff) {
    @Override
    public String toString() {
      return "gruForward(batch=" + batch + ", hidden=" + hidden + ", giOff=" + giOff + ", ghOff=" + ghOff + ")";
    }
  }

  /** gruBackward arguments (gi holds activations); dhPrev may be dh. */
  public record GruBackwardCase(int batch, int hidden, float[] gi, int giOff, float[] gh, int ghOff,
                                float[] hPrev, int hPrevOff, float[] dh, int dhOff, float[] dgi, int dgiOff,
                                float[] dgh, int dghOff, float[] dhPrev, int dhPrevOff) {
    @Override
    public String toString() {
      return "gruBackward(batch=" + batch + ", hidden=" + hidden + ", dhPrev=dh: " + (dhPrev == dh) + ")";
    }
  }

  /** sgdUpdate arguments. */
  public record SgdCase(int n, float lr, float momentum, float dampening, float weightDecay, boolean nesterov,
                        boolean firstStep, float[] param, int paramOff, float[] grad, int gradOff,
                        float[] velocity, int velocityOff) {
    @Override
    public String toString() {
      return "sgdUpdate(n=" + n + ", lr=" + lr + ", momentum=" + momentum + ", dampening=" + dampening
          + ", weightDecay=" + weightDecay + ", nesterov=" + nesterov + ", firstStep=" + firstStep + ")";
    }
  }

  /** adamUpdate arguments. */
  public record AdamCase(int n, float lr, float beta1, float beta2, float eps, float weightDecay,
                         boolean decoupled, int step, float[] param, int paramOff, float[] grad, int gradOff,
                         float[] m, int mOff, float[] v, int vOff) {
    @Override
    public String toString() {
      return "adamUpdate(n=" + n + ", lr=" + lr + ", beta1=" + beta1 + ", beta2=" + beta2 + ", eps=" + eps
          + ", weightDecay=" + weightDecay + ", decoupled=" + decoupled + ", step=" + step + ")";
    }
  }

  /** A random array of {@code length} values from {@code source}. */
  public static float[] array(Random rnd, int length, TestValues.Source source) {
    float[] x = new float[length];
    for (int i = 0; i < length; i++) {
      x[i] = (float) source.next(rnd);
    }
    return x;
  }

  /** The source, with one value in 16 replaced by NaN, +-Inf, +-0 or +-huge. */
  public static TestValues.Source withSpecials(TestValues.Source source) {
    float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0.0f, -0.0f, 1e4f, -1e4f};
    return rnd -> rnd.nextInt(16) == 0 ? specials[rnd.nextInt(specials.length)] : source.next(rnd);
  }

  private static int offset(Random rnd) {
    return rnd.nextInt(4);
  }

  private static int slack(Random rnd) {
    return rnd.nextInt(4);
  }

  private static float coefficient(Random rnd) {
    switch (rnd.nextInt(5)) {
      case 0:
        return 1;
      case 1:
        return -1;
      case 2:
        return 0;
      default:
        return (float) mixed(3).next(rnd);
    }
  }

  /** A random gemm: any transposes, sizes 0..24, ld = row length + 0..3, offsets 0..3, NaN in C when beta = 0. */
  public static GemmCase gemmCase(Random rnd) {
    boolean ta = rnd.nextBoolean();
    boolean tb = rnd.nextBoolean();
    int m = size(rnd, MAX_DIM);
    int n = size(rnd, MAX_DIM);
    int k = size(rnd, MAX_DIM);
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
    float[] a = array(rnd, aOff + aRows * lda + slack(rnd), mixed(4));
    float[] b = array(rnd, bOff + bRows * ldb + slack(rnd), mixed(4));
    float[] c = array(rnd, cOff + m * ldc + slack(rnd), mixed(4));
    float alpha = coefficient(rnd);
    float beta = rnd.nextInt(3) == 0 ? 0 : coefficient(rnd);
    if (beta == 0 && rnd.nextBoolean()) {
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          c[cOff + i * ldc + j] = Float.NaN; // must not propagate: C is not read when beta == 0
        }
      }
    }
    return new GemmCase(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
  }

  /** A random gemm case's product with a random bias row; NaN in C in half of the cases. */
  public static GemmBiasCase gemmPackedBiasCase(Random rnd) {
    GemmCase g = gemmCase(rnd);
    int biasOff = offset(rnd);
    float[] bias = array(rnd, biasOff + g.n() + slack(rnd), mixed(4));
    if (rnd.nextBoolean()) {
      for (int i = 0; i < g.m(); i++) {
        Arrays.fill(g.c(), g.cOff() + i * g.ldc(), g.cOff() + i * g.ldc() + g.n(), Float.NaN);
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
    float[] a = array(rnd, aOff + m * lda + slack(rnd), mixed(4));
    float[] x = array(rnd, xOff + xLen + slack(rnd), mixed(4));
    float[] y = array(rnd, yOff + yLen + slack(rnd), mixed(4));
    float alpha = coefficient(rnd);
    float beta = rnd.nextInt(3) == 0 ? 0 : coefficient(rnd);
    if (beta == 0 && rnd.nextBoolean()) {
      for (int i = 0; i < yLen; i++) {
        y[yOff + i] = Float.NaN;
      }
    }
    return new GemvCase(trans, m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
  }

  /** Two random vectors of mixed magnitudes; in one case of four y is the same range as x. */
  public static VectorCase vectorCase(Random rnd) {
    int n = size(rnd, MAX_LEN);
    int xOff = offset(rnd);
    float[] x = array(rnd, xOff + n + slack(rnd), mixed(8));
    float alpha = coefficient(rnd);
    if (rnd.nextInt(4) == 0) {
      return new VectorCase(n, alpha, x, xOff, x, xOff);
    }
    int yOff = offset(rnd);
    return new VectorCase(n, alpha, x, xOff, array(rnd, yOff + n + slack(rnd), mixed(8)), yOff);
  }

  /** A vector for max: mixed values with occasional NaN, +-Inf and +-0. */
  public static VectorCase maxCase(Random rnd) {
    int n = size(rnd, MAX_LEN);
    int xOff = offset(rnd);
    float[] x = array(rnd, xOff + n + slack(rnd), withSpecials(mixed(8)));
    return new VectorCase(n, 0, x, xOff, x, xOff);
  }

  /** copy, with overlapping source and destination ranges in one case of two (memmove semantics). */
  public static VectorCase copyCase(Random rnd) {
    int n = size(rnd, MAX_LEN);
    if (rnd.nextBoolean()) {
      int xOff = 3 + offset(rnd);
      int yOff = xOff + rnd.nextInt(7) - 3;
      float[] x = array(rnd, Math.max(xOff, yOff) + n + slack(rnd), mixed(8));
      return new VectorCase(n, 0, x, xOff, x, yOff);
    }
    int xOff = offset(rnd);
    int yOff = offset(rnd);
    return new VectorCase(n, 0, array(rnd, xOff + n + slack(rnd), mixed(8)), xOff,
        array(rnd, yOff + n + slack(rnd), mixed(8)), yOff);
  }

  /** Two inputs and an output, which in one case of three each is the first or the second input. */
  public static BinaryCase binaryCase(Random rnd) {
    int n = size(rnd, MAX_LEN);
    int aOff = offset(rnd);
    int bOff = offset(rnd);
    float[] a = array(rnd, aOff + n + slack(rnd), mixed(8));
    float[] b = array(rnd, bOff + n + slack(rnd), mixed(8));
    switch (rnd.nextInt(3)) {
      case 0:
        return new BinaryCase(n, a, aOff, b, bOff, a, aOff);
      case 1:
        return new BinaryCase(n, a, aOff, b, bOff, b, bOff);
      default:
        int outOff = offset(rnd);
        return new BinaryCase(n, a, aOff, b, bOff, array(rnd, outOff + n + slack(rnd), mixed(8)), outOff);
    }
  }

  /** A map's input from {@code source}; in place in one case of three. */
  public static MapCase mapCase(Random rnd, TestValues.Source source) {
    int n = size(rnd, MAX_LEN);
    int xOff = offset(rnd);
    float[] x = array(rnd, xOff + n + slack(rnd), source);
    if (rnd.nextInt(3) == 0) {
      return new MapCase(n, x, xOff, x, xOff);
    }
    int yOff = offset(rnd);
    return new MapCase(n, x, xOff, array(rnd, yOff + n + slack(rnd), mixed(2)), yOff);
  }

  /** A backward map: v from {@code source}, dy of mixed magnitudes; dx is v or dy in one case of four each. */
  public static BackwardCase backwardCase(Random rnd, TestValues.Source source) {
    int n = size(rnd, MAX_LEN);
    int vOff = offset(rnd);
    int dyOff = offset(rnd);
    float[] v = array(rnd, vOff + n + slack(rnd), source);
    float[] dy = array(rnd, dyOff + n + slack(rnd), mixed(8));
    switch (rnd.nextInt(4)) {
      case 0:
        return new BackwardCase(n, v, vOff, dy, dyOff, v, vOff);
      case 1:
        return new BackwardCase(n, v, vOff, dy, dyOff, dy, dyOff);
      default:
        int dxOff = offset(rnd);
        return new BackwardCase(n, v, vOff, dy, dyOff, array(rnd, dxOff + n + slack(rnd), mixed(2)), dxOff);
    }
  }

  /** A strided matrix and a vector for addColumnSums. */
  public static MatrixCase matrixCase(Random rnd) {
    int rows = size(rnd, 40);
    int cols = size(rnd, 40);
    int ldx = Math.max(1, cols + slack(rnd));
    int xOff = offset(rnd);
    int outOff = offset(rnd);
    return new MatrixCase(rows, cols, array(rnd, xOff + rows * ldx + slack(rnd), mixed(8)), xOff, ldx,
        array(rnd, outOff + cols + slack(rnd), mixed(8)), outOff);
  }

  /** Rows for softmax: mixed values up to about 2^7, one row in four shifted by +-1e4; in place in one of three. */
  public static RowsCase rowsCase(Random rnd) {
    int rows = size(rnd, 12);
    int cols = size(rnd, 40);
    int ldx = Math.max(1, cols + slack(rnd));
    int xOff = offset(rnd);
    float[] x = array(rnd, xOff + rows * ldx + slack(rnd), mixed(6));
    for (int r = 0; r < rows; r++) {
      if (rnd.nextInt(4) == 0) {
        float shift = rnd.nextBoolean() ? 1e4f : -1e4f;
        for (int j = 0; j < cols; j++) {
          x[xOff + r * ldx + j] += shift;
        }
      }
    }
    if (rnd.nextInt(3) == 0) {
      return new RowsCase(rows, cols, x, xOff, ldx, x, xOff, ldx);
    }
    int ldy = Math.max(1, cols + slack(rnd));
    int yOff = offset(rnd);
    return new RowsCase(rows, cols, x, xOff, ldx, array(rnd, yOff + rows * ldy + slack(rnd), mixed(2)), yOff, ldy);
  }

  /** Contiguous rows for the softmax backward forms: y from {@code source}; dx is dy in one case of three. */
  public static RowsBackwardCase rowsBackwardCase(Random rnd, TestValues.Source source) {
    int rows = size(rnd, 12);
    int cols = size(rnd, 40);
    int yOff = offset(rnd);
    int dyOff = offset(rnd);
    float[] y = array(rnd, yOff + rows * cols + slack(rnd), source);
    float[] dy = array(rnd, dyOff + rows * cols + slack(rnd), mixed(6));
    if (rnd.nextInt(3) == 0) {
      return new RowsBackwardCase(rows, cols, y, yOff, dy, dyOff, dy, dyOff);
    }
    int dxOff = offset(rnd);
    return new RowsBackwardCase(rows, cols, y, yOff, dy, dyOff, array(rnd, dxOff + rows * cols + slack(rnd),
        mixed(2)), dxOff);
  }

  /** Random LSTM pre-activations (up to +-32) and cell states; c is cPrev in one case of three. */
  public static LstmForwardCase lstmForwardCase(Random rnd) {
    int batch = TestValues.positiveSize(rnd, 4);
    int hidden = size(rnd, 40);
    int gatesOff = offset(rnd);
    int cPrevOff = offset(rnd);
    int hOff = offset(rnd);
    int state = batch * hidden;
    float[] gates = array(rnd, gatesOff + 4 * state + slack(rnd), mixed(4));
    float[] cPrev = array(rnd, cPrevOff + state + slack(rnd), mixed(3));
    float[] h = array(rnd, hOff + state + slack(rnd), mixed(2));
    if (rnd.nextInt(3) == 0) {
      return new LstmForwardCase(batch, hidden, gates, gatesOff, cPrev, cPrevOff, cPrev, cPrevOff, h, hOff);
    }
    int cOff = offset(rnd);
    float[] c = array(rnd, cOff + state + slack(rnd), mixed(2));
    return new LstmForwardCase(batch, hidden, gates, gatesOff, cPrev, cPrevOff, c, cOff, h, hOff);
  }

  /** Random LSTM activations (i, f, o in (0, 1), g in (-1, 1)), states and gradients. */
  public static LstmBackwardCase lstmBackwardCase(Random rnd) {
    int batch = TestValues.positiveSize(rnd, 4);
    int hidden = size(rnd, 40);
    int state = batch * hidden;
    int gatesOff = offset(rnd);
    float[] gates = array(rnd, gatesOff + 4 * state + slack(rnd), uniform(0, 1));
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < hidden; j++) {
        gates[gatesOff + b * 4 * hidden + 2 * hidden + j] = (float) uniform(-1, 1).next(rnd);
      }
    }
    int cPrevOff = offset(rnd);
    int cOff = offset(rnd);
    int dhOff = offset(rnd);
    int dcOff = offset(rnd);
    int dGatesOff = offset(rnd);
    return new LstmBackwardCase(batch, hidden, gates, gatesOff,
        array(rnd, cPrevOff + state + slack(rnd), mixed(3)), cPrevOff,
        array(rnd, cOff + state + slack(rnd), mixed(3)), cOff,
        array(rnd, dhOff + state + slack(rnd), mixed(4)), dhOff,
        array(rnd, dcOff + state + slack(rnd), mixed(4)), dcOff,
        array(rnd, dGatesOff + 4 * state + slack(rnd), mixed(2)), dGatesOff);
  }

  /** Random GRU projections (up to +-16) and previous states. */
  public static GruForwardCase gruForwardCase(Random rnd) {
    int batch = TestValues.positiveSize(rnd, 4);
    int hidden = size(rnd, 40);
    int state = batch * hidden;
    int giOff = offset(rnd);
    int ghOff = offset(rnd);
    int hPrevOff = offset(rnd);
    int hOff = offset(rnd);
    return new GruForwardCase(batch, hidden,
        array(rnd, giOff + 3 * state + slack(rnd), mixed(3)), giOff,
        array(rnd, ghOff + 3 * state + slack(rnd), mixed(3)), ghOff,
        array(rnd, hPrevOff + state + slack(rnd), mixed(2)), hPrevOff,
        array(rnd, hOff + state + slack(rnd), mixed(2)), hOff);
  }

  /** Random GRU activations (r, z in (0, 1), n in (-1, 1)) and gradients; dhPrev is dh in one case of three. */
  public static GruBackwardCase gruBackwardCase(Random rnd) {
    int batch = TestValues.positiveSize(rnd, 4);
    int hidden = size(rnd, 40);
    int state = batch * hidden;
    int giOff = offset(rnd);
    float[] gi = array(rnd, giOff + 3 * state + slack(rnd), uniform(0, 1));
    for (int b = 0; b < batch; b++) {
      for (int j = 0; j < hidden; j++) {
        gi[giOff + b * 3 * hidden + 2 * hidden + j] = (float) uniform(-1, 1).next(rnd);
      }
    }
    int ghOff = offset(rnd);
    int hPrevOff = offset(rnd);
    int dhOff = offset(rnd);
    int dgiOff = offset(rnd);
    int dghOff = offset(rnd);
    float[] gh = array(rnd, ghOff + 3 * state + slack(rnd), mixed(3));
    float[] hPrev = array(rnd, hPrevOff + state + slack(rnd), mixed(2));
    float[] dh = array(rnd, dhOff + state + slack(rnd), mixed(4));
    float[] dgi = array(rnd, dgiOff + 3 * state + slack(rnd), mixed(2));
    float[] dgh = array(rnd, dghOff + 3 * state + slack(rnd), mixed(2));
    if (rnd.nextInt(3) == 0) {
      return new GruBackwardCase(batch, hidden, gi, giOff, gh, ghOff, hPrev, hPrevOff, dh, dhOff, dgi, dgiOff,
          dgh, dghOff, dh, dhOff);
    }
    int dhPrevOff = offset(rnd);
    return new GruBackwardCase(batch, hidden, gi, giOff, gh, ghOff, hPrev, hPrevOff, dh, dhOff, dgi, dgiOff,
        dgh, dghOff, array(rnd, dhPrevOff + state + slack(rnd), mixed(2)), dhPrevOff);
  }

  /** Random SGD hyper-parameters (momentum 0 in one case of three) and state. */
  public static SgdCase sgdCase(Random rnd) {
    int n = size(rnd, MAX_LEN);
    float lr = (float) uniform(1e-3f, 0.5f).next(rnd);
    float momentum = rnd.nextInt(3) == 0 ? 0 : (float) uniform(0, 0.99f).next(rnd);
    float dampening = rnd.nextBoolean() ? 0 : (float) uniform(0, 0.5f).next(rnd);
    float weightDecay = rnd.nextBoolean() ? 0 : (float) uniform(0, 0.1f).next(rnd);
    int pOff = offset(rnd);
    int gOff = offset(rnd);
    int vOff = offset(rnd);
    return new SgdCase(n, lr, momentum, dampening, weightDecay, rnd.nextBoolean(), rnd.nextInt(4) == 0,
        array(rnd, pOff + n + slack(rnd), mixed(4)), pOff, array(rnd, gOff + n + slack(rnd), mixed(6)), gOff,
        array(rnd, vOff + n + slack(rnd), mixed(6)), vOff);
  }

  /** Random Adam / AdamW hyper-parameters, step 1..100, and state (v >= 0). */
  public static AdamCase adamCase(Random rnd) {
    int n = size(rnd, MAX_LEN);
    float lr = (float) uniform(1e-4f, 0.1f).next(rnd);
    float beta1 = rnd.nextBoolean() ? 0.9f : (float) uniform(0.5f, 0.99f).next(rnd);
    float beta2 = rnd.nextBoolean() ? 0.999f : (float) uniform(0.9f, 0.9999f).next(rnd);
    float eps = rnd.nextBoolean() ? 1e-8f : 1e-6f;
    float weightDecay = rnd.nextBoolean() ? 0 : (float) uniform(0, 0.1f).next(rnd);
    int pOff = offset(rnd);
    int gOff = offset(rnd);
    int mOff = offset(rnd);
    int vOff = offset(rnd);
    return new AdamCase(n, lr, beta1, beta2, eps, weightDecay, rnd.nextBoolean(), 1 + rnd.nextInt(100),
        array(rnd, pOff + n + slack(rnd), mixed(4)), pOff, array(rnd, gOff + n + slack(rnd), mixed(6)), gOff,
        array(rnd, mOff + n + slack(rnd), mixed(6)), mOff, array(rnd, vOff + n + slack(rnd), positive(8)), vOff);
  }

  // ===============================================================================================================
  // Checks
  // ===============================================================================================================

  /** The value widened to float32 (identity in the float32 suite): bounds are accumulated in float32. */
  private static double wide(float x) {
    return x;
  }

  /** Copies of the arrays of one call, preserving aliasing (the same array object maps to the same copy). */
  private static final class Copies {
    private final java.util.IdentityHashMap<float[], float[]> map = new java.util.IdentityHashMap<>();

    float[] of(float[] original) {
      return map.computeIfAbsent(original, o -> o.clone());
    }
  }

  /** C[i, j] within gamma(k + 2) (|alpha| sum_p |A[i, p] B[p, j]| + |beta C[i, j]|), twice (two implementations). */
  public static void checkGemm(FloatKernels reference, FloatKernels candidate, GemmCase g) {
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
   * (m = 1) must equal, bit for bit, the same row of the whole product.
   */
  public static void checkGemmPacked(FloatKernels reference, FloatKernels candidate, GemmCase g) {
    String op = "gemmPacked from " + g;
    Copies r = new Copies();
    Copies c = new Copies();
    reference.gemm(g.transA(), g.transB(), g.m(), g.n(), g.k(), g.alpha(), r.of(g.a()), g.aOff(), g.lda(),
        r.of(g.b()), g.bOff(), g.ldb(), g.beta(), r.of(g.c()), g.cOff(), g.ldc());
    float[] junk = new float[(g.k() + 3) * (g.n() + 5)];
    Arrays.fill(junk, Float.NaN);
    FloatPackedMatrix earlier = candidate.packB(false, g.k() + 3, g.n() + 5, junk, 0, g.n() + 5, null);
    FloatPackedMatrix p = candidate.packB(g.transB(), g.k(), g.n(), c.of(g.b()), g.bOff(), g.ldb(), earlier);
    Checks.unchanged(op + ": B (packB)", g.b(), c.of(g.b()));
    assertEquals(g.k(), p.rows(), op + ": rows of the packed matrix");
    assertEquals(g.n(), p.cols(), op + ": cols of the packed matrix");
    candidate.gemmPacked(g.transA(), g.m(), g.alpha(), c.of(g.a()), g.aOff(), g.lda(), p, g.beta(), c.of(g.c()),
        g.cOff(), g.ldc());
    Checks.unchanged(op + ": A", g.a(), c.of(g.a()));
    float[] got = c.of(g.c());
    compareGemm(op, g, r.of(g.c()), got);
    checkRowsAlone(op, g, got, (rowA, alone, rowC) -> candidate.gemmPacked(g.transA(), 1, g.alpha(), g.a(), rowA,
        g.lda(), p, g.beta(), alone, rowC, g.ldc()));
  }

  /**
   * gemmPackedBias of the candidate against the reference's gemm with beta = 1 on a C whose rows hold the bias (the
   * contract's definition), with gemm's bound (|beta c_ij| = |bias_j|); then row independence as for gemmPacked.
   */
  public static void checkGemmPackedBias(FloatKernels reference, FloatKernels candidate, GemmBiasCase bc) {
    GemmCase g = bc.g();
    String op = bc.toString();
    float[] biasRows = g.c().clone();
    for (int i = 0; i < g.m(); i++) {
      System.arraycopy(bc.bias(), bc.biasOff(), biasRows, g.cOff() + i * g.ldc(), g.n());
    }
    GemmCase betaOne = new GemmCase(g.transA(), g.transB(), g.m(), g.n(), g.k(), g.alpha(), g.a(), g.aOff(), g.lda(),
        g.b(), g.bOff(), g.ldb(), 1, biasRows, g.cOff(), g.ldc());
    float[] want = biasRows.clone();
    reference.gemm(g.transA(), g.transB(), g.m(), g.n(), g.k(), g.alpha(), g.a(), g.aOff(), g.lda(), g.b(), g.bOff(),
        g.ldb(), 1, want, g.cOff(), g.ldc());
    Copies c = new Copies();
    FloatPackedMatrix p = candidate.packB(g.transB(), g.k(), g.n(), c.of(g.b()), g.bOff(), g.ldb(), null);
    candidate.gemmPackedBias(g.transA(), g.m(), g.alpha(), c.of(g.a()), g.aOff(), g.lda(), p, c.of(bc.bias()),
        bc.biasOff(), c.of(g.c()), g.cOff(), g.ldc());
    Checks.unchanged(op + ": A", g.a(), c.of(g.a()));
    Checks.unchanged(op + ": bias", bc.bias(), c.of(bc.bias()));
    Checks.unchangedOutsideMatrix(op + ": C", g.c(), c.of(g.c()), g.m(), g.n(), g.cOff(), g.ldc());
    float[] got = c.of(g.c());
    compareGemm(op, betaOne, want, got);
    checkRowsAlone(op, g, got, (rowA, alone, rowC) -> candidate.gemmPackedBias(g.transA(), 1, g.alpha(), g.a(), rowA,
        g.lda(), p, bc.bias(), bc.biasOff(), alone, rowC, g.ldc()));
  }

  /** One row of a product: op(A)'s row at rowA, C's row at rowC of c. */
  @FunctionalInterface
  private interface RowProduct {
    void run(int rowA, float[] c, int rowC);
  }

  /**
   * Every row of the product g, computed alone (m = 1) from the case's own C, equals bit for bit the same row of got,
   * the whole product.
   */
  private static void checkRowsAlone(String op, GemmCase g, float[] got, RowProduct row) {
    for (int i = 0; i < g.m(); i++) {
      float[] alone = g.c().clone();
      row.run(g.aOff() + (g.transA() ? i : i * g.lda()), alone, g.cOff() + i * g.ldc());
      for (int j = 0; j < g.n(); j++) {
        int ij = g.cOff() + i * g.ldc() + j;
        if (Float.compare(alone[ij], got[ij]) != 0) {
          throw new AssertionError(op + ": row " + i + " computed alone differs from the same row of the whole "
              + "product at column " + j + ": " + alone[ij] + " vs " + got[ij]);
        }
      }
    }
  }

  /** C within gamma(k + 2) (|alpha| sum_p |a_ip b_pj| + |beta c_ij|) of the reference, twice; nothing else touched. */
  private static void compareGemm(String op, GemmCase g, float[] want, float[] got) {
    Checks.unchangedOutsideMatrix(op + ": C", g.c(), got, g.m(), g.n(), g.cOff(), g.ldc());
    for (int i = 0; i < g.m(); i++) {
      for (int j = 0; j < g.n(); j++) {
        var abs = wide(0);
        for (int p = 0; p < g.k(); p++) {
          float aip = g.transA() ? g.a()[g.aOff() + p * g.lda() + i] : g.a()[g.aOff() + i * g.lda() + p];
          float bpj = g.transB() ? g.b()[g.bOff() + j * g.ldb() + p] : g.b()[g.bOff() + p * g.ldb() + j];
          abs += Math.abs(wide(aip) * bpj);
        }
        int ij = g.cOff() + i * g.ldc() + j;
        abs = Math.abs(wide(g.alpha())) * abs + (g.beta() == 0 ? 0 : Math.abs(wide(g.beta()) * g.c()[ij]));
        Checks.close(op + " C[" + i + ", " + j + "]", want[ij], got[ij], agreement(EB.running(g.k() + 2, abs)));
      }
    }
  }

  /** y_i within gamma(len + 2) (|alpha| sum_j |A_ij x_j| + |beta y_i|), twice. */
  public static void checkGemv(FloatKernels reference, FloatKernels candidate, GemvCase g) {
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
        float aij = g.trans() ? g.a()[g.aOff() + j * g.lda() + i] : g.a()[g.aOff() + i * g.lda() + j];
        abs += Math.abs(wide(aij) * g.x()[g.xOff() + j]);
      }
      abs = Math.abs(wide(g.alpha())) * abs + (g.beta() == 0 ? 0 : Math.abs(wide(g.beta()) * g.y()[g.yOff() + i]));
      Checks.close(op + " y[" + i + "]", r.of(g.y())[g.yOff() + i], c.of(g.y())[g.yOff() + i],
          agreement(EB.running(inLen + 2, abs)));
    }
  }

  /** y_i within gamma(2) (|y_i| + |alpha x_i|), twice (with or without a fused multiply-add). */
  public static void checkAxpy(FloatKernels reference, FloatKernels candidate, VectorCase v) {
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
  public static void checkDot(FloatKernels reference, FloatKernels candidate, VectorCase v) {
    String op = "dot" + v;
    float[] x = v.x().clone();
    float[] y = v.x() == v.y() ? x : v.y().clone();
    float want = reference.dot(v.n(), v.x(), v.xOff(), v.y(), v.yOff());
    float got = candidate.dot(v.n(), x, v.xOff(), y, v.yOff());
    Checks.unchanged(op + ": x", v.x(), x);
    Checks.unchanged(op + ": y", v.y(), y);
    var abs = wide(0);
    for (int i = 0; i < v.n(); i++) {
      abs += Math.abs(wide(v.x()[v.xOff() + i]) * v.y()[v.yOff() + i]);
    }
    Checks.close(op, want, got, agreement(EB.running(v.n(), abs)));
  }

  /** Exact: one correctly rounded product per element. */
  public static void checkScal(FloatKernels reference, FloatKernels candidate, VectorCase v) {
    String op = "scal" + v;
    float[] want = v.x().clone();
    float[] got = v.x().clone();
    reference.scal(v.n(), v.alpha(), want, v.xOff());
    candidate.scal(v.n(), v.alpha(), got, v.xOff());
    Checks.unchangedOutside(op, v.x(), got, v.xOff(), v.xOff() + v.n());
    Checks.closeRange(op, want, got, v.xOff(), v.n(), i -> 0);
  }

  /** Binary elementwise kernels. */
  @FunctionalInterface
  public interface BinaryKernel {
    void apply(FloatKernels k, int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff);
  }

  /** Exact (one correctly rounded operation per element). */
  public static void checkAdd(FloatKernels reference, FloatKernels candidate, BinaryCase c) {
    checkBinary("add", reference, candidate, c, FloatKernels::add);
  }

  /** Exact. */
  public static void checkSub(FloatKernels reference, FloatKernels candidate, BinaryCase c) {
    checkBinary("sub", reference, candidate, c, FloatKernels::sub);
  }

  /** Exact. */
  public static void checkMul(FloatKernels reference, FloatKernels candidate, BinaryCase c) {
    checkBinary("mul", reference, candidate, c, FloatKernels::mul);
  }

  /** Exact. */
  public static void checkDiv(FloatKernels reference, FloatKernels candidate, BinaryCase c) {
    checkBinary("div", reference, candidate, c, FloatKernels::div);
  }

  private static void checkBinary(String name, FloatKernels reference, FloatKernels candidate, BinaryCase v,
                                  BinaryKernel kernel) {
    String op = name + v;
    Copies r = new Copies();
    Copies c = new Copies();
    kernel.apply(reference, v.n(), r.of(v.a()), v.aOff(), r.of(v.b()), v.bOff(), r.of(v.out()), v.outOff());
    kernel.apply(candidate, v.n(), c.of(v.a()), v.aOff(), c.of(v.b()), v.bOff(), c.of(v.out()), v.outOff());
    if (v.out() != v.a()) {
      Checks.unchanged(op + ": a", v.a(), c.of(v.a()));
    }
    if (v.out() != v.b()) {
      Checks.unchanged(op + ": b", v.b(), c.of(v.b()));
    }
    Checks.unchangedOutside(op + ": out", v.out(), c.of(v.out()), v.outOff(), v.outOff() + v.n());
    Checks.closeRange(op, r.of(v.out()), c.of(v.out()), v.outOff(), v.n(), i -> 0);
  }

  /** Exact: out = alpha * x (y is the output). */
  public static void checkScale(FloatKernels reference, FloatKernels candidate, VectorCase v) {
    checkVectorOut("scale", reference, candidate, v, (k, n, a, x, xo, y, yo) -> k.scale(n, a, x, xo, y, yo));
  }

  /** Exact: out = x + alpha. */
  public static void checkAddScalar(FloatKernels reference, FloatKernels candidate, VectorCase v) {
    checkVectorOut("addScalar", reference, candidate, v, (k, n, a, x, xo, y, yo) -> k.addScalar(n, a, x, xo, y, yo));
  }

  /** Exact: y_i = alpha. */
  public static void checkFill(FloatKernels reference, FloatKernels candidate, VectorCase v) {
    checkVectorOut("fill", reference, candidate, v, (k, n, a, x, xo, y, yo) -> k.fill(n, a, y, yo));
  }

  /** Exact, memmove semantics for overlapping ranges. */
  public static void checkCopy(FloatKernels reference, FloatKernels candidate, VectorCase v) {
    checkVectorOut("copy", reference, candidate, v, (k, n, a, x, xo, y, yo) -> k.copy(n, x, xo, y, yo));
  }

  /** A kernel of a scalar, an input vector and an output vector. */
  @FunctionalInterface
  public interface VectorKernel {
    void apply(FloatKernels k, int n, float alpha, float[] x, int xOff, float[] y, int yOff);
  }

  private static void checkVectorOut(String name, FloatKernels reference, FloatKernels candidate, VectorCase v,
                                     VectorKernel kernel) {
    String op = name + v;
    Copies r = new Copies();
    Copies c = new Copies();
    kernel.apply(reference, v.n(), v.alpha(), r.of(v.x()), v.xOff(), r.of(v.y()), v.yOff());
    kernel.apply(candidate, v.n(), v.alpha(), c.of(v.x()), v.xOff(), c.of(v.y()), v.yOff());
    if (v.x() != v.y()) {
      Checks.unchanged(op + ": x", v.x(), c.of(v.x()));
    }
    Checks.unchangedOutside(op + ": out", v.y(), c.of(v.y()), v.yOff(), v.yOff() + v.n());
    Checks.closeRange(op, r.of(v.y()), c.of(v.y()), v.yOff(), v.n(), i -> 0);
  }

  /** A map or backward map of two arrays into a third. */
  @FunctionalInterface
  public interface MapKernel {
    void apply(FloatKernels k, int n, float[] x, int xOff, float[] y, int yOff);
  }

  /** Within {@link ErrorBounds#sigmoid} of the output, twice. */
  public static void checkSigmoid(FloatKernels reference, FloatKernels candidate, MapCase c) {
    checkMap("sigmoid", reference, candidate, c, FloatKernels::sigmoid, (x, y) -> agreement(EB.sigmoid(y)));
  }

  /** Within {@link ErrorBounds#tanh} of the output, twice. */
  public static void checkTanh(FloatKernels reference, FloatKernels candidate, MapCase c) {
    checkMap("tanh", reference, candidate, c, FloatKernels::tanh, (x, y) -> agreement(EB.tanh(y)));
  }

  /** Exact. */
  public static void checkRelu(FloatKernels reference, FloatKernels candidate, MapCase c) {
    checkMap("relu", reference, candidate, c, FloatKernels::relu, (x, y) -> 0);
  }

  /** Within {@link ErrorBounds#exp} of the output, twice. */
  public static void checkExp(FloatKernels reference, FloatKernels candidate, MapCase c) {
    checkMap("exp", reference, candidate, c, FloatKernels::exp, (x, y) -> agreement(EB.exp(y)));
  }

  /** Within {@link ErrorBounds#log} of the output, twice. */
  public static void checkLog(FloatKernels reference, FloatKernels candidate, MapCase c) {
    checkMap("log", reference, candidate, c, FloatKernels::log, (x, y) -> agreement(EB.log(y)));
  }

  private static void checkMap(String name, FloatKernels reference, FloatKernels candidate, MapCase m,
                               MapKernel kernel, Checks.PointBound bound) {
    String op = name + m;
    Copies r = new Copies();
    Copies c = new Copies();
    kernel.apply(reference, m.n(), r.of(m.x()), m.xOff(), r.of(m.y()), m.yOff());
    kernel.apply(candidate, m.n(), c.of(m.x()), m.xOff(), c.of(m.y()), m.yOff());
    if (m.x() != m.y()) {
      Checks.unchanged(op + ": x", m.x(), c.of(m.x()));
    }
    Checks.unchangedOutside(op + ": y", m.y(), c.of(m.y()), m.yOff(), m.yOff() + m.n());
    float[] want = r.of(m.y());
    Checks.closeRange(op, want, c.of(m.y()), m.yOff(), m.n(),
        i -> bound.at(m.x()[m.xOff() + i], want[m.yOff() + i]));
  }

  /** A backward map {@code (v, dy) -> dx}. */
  @FunctionalInterface
  public interface BackwardKernel {
    void apply(FloatKernels k, int n, float[] v, int vOff, float[] dy, int dyOff, float[] dx, int dxOff);
  }

  /** dx = dy y (1 - y): gamma(3) |dy| |y| (1 + |y|), twice. */
  public static void checkSigmoidBackward(FloatKernels reference, FloatKernels candidate, BackwardCase c) {
    checkBackward("sigmoidBackward", reference, candidate, c, FloatKernels::sigmoidBackward,
        (y, dy) -> agreement(EB.running(3, Math.abs(dy * y) * (1 + Math.abs(y)))));
  }

  /** dx = dy (1 - y^2): gamma(3) |dy| (1 + y^2), twice. */
  public static void checkTanhBackward(FloatKernels reference, FloatKernels candidate, BackwardCase c) {
    checkBackward("tanhBackward", reference, candidate, c, FloatKernels::tanhBackward,
        (y, dy) -> agreement(EB.running(3, Math.abs(dy) * (1 + y * y))));
  }

  /** Exact (a selection). */
  public static void checkReluBackward(FloatKernels reference, FloatKernels candidate, BackwardCase c) {
    checkBackward("reluBackward", reference, candidate, c, FloatKernels::reluBackward, (y, dy) -> 0);
  }

  /** Exact (one product). */
  public static void checkExpBackward(FloatKernels reference, FloatKernels candidate, BackwardCase c) {
    checkBackward("expBackward", reference, candidate, c, FloatKernels::expBackward, (y, dy) -> 0);
  }

  /** Exact (one quotient). */
  public static void checkLogBackward(FloatKernels reference, FloatKernels candidate, BackwardCase c) {
    checkBackward("logBackward", reference, candidate, c, FloatKernels::logBackward, (x, dy) -> 0);
  }

  private static void checkBackward(String name, FloatKernels reference, FloatKernels candidate, BackwardCase b,
                                    BackwardKernel kernel, Checks.PointBound bound) {
    String op = name + b;
    Copies r = new Copies();
    Copies c = new Copies();
    kernel.apply(reference, b.n(), r.of(b.v()), b.vOff(), r.of(b.dy()), b.dyOff(), r.of(b.dx()), b.dxOff());
    kernel.apply(candidate, b.n(), c.of(b.v()), b.vOff(), c.of(b.dy()), b.dyOff(), c.of(b.dx()), b.dxOff());
    if (b.dx() != b.v()) {
      Checks.unchanged(op + ": input", b.v(), c.of(b.v()));
    }
    if (b.dx() != b.dy()) {
      Checks.unchanged(op + ": dy", b.dy(), c.of(b.dy()));
    }
    Checks.unchangedOutside(op + ": dx", b.dx(), c.of(b.dx()), b.dxOff(), b.dxOff() + b.n());
    Checks.closeRange(op, r.of(b.dx()), c.of(b.dx()), b.dxOff(), b.n(),
        i -> bound.at(b.v()[b.vOff() + i], b.dy()[b.dyOff() + i]));
  }

  /** Within gamma(n) sum |x_i|, twice. */
  public static void checkSum(FloatKernels reference, FloatKernels candidate, VectorCase v) {
    String op = "sum" + v;
    float[] x = v.x().clone();
    float want = reference.sum(v.n(), v.x(), v.xOff());
    float got = candidate.sum(v.n(), x, v.xOff());
    Checks.unchanged(op, v.x(), x);
    var abs = wide(0);
    for (int i = 0; i < v.n(); i++) {
      abs += Math.abs(wide(v.x()[v.xOff() + i]));
    }
    Checks.close(op, want, got, agreement(EB.running(v.n(), abs)));
  }

  /** Exact, NaN if any element is NaN, -Inf for n = 0. */
  public static void checkMax(FloatKernels reference, FloatKernels candidate, VectorCase v) {
    String op = "max" + v;
    float[] x = v.x().clone();
    float want = reference.max(v.n(), v.x(), v.xOff());
    float got = candidate.max(v.n(), x, v.xOff());
    Checks.unchanged(op, v.x(), x);
    Checks.close(op, want, got, 0);
  }

  /** Within gamma(n) sum x_i^2, twice. */
  public static void checkSumOfSquares(FloatKernels reference, FloatKernels candidate, VectorCase v) {
    String op = "sumOfSquares" + v;
    float[] x = v.x().clone();
    float want = reference.sumOfSquares(v.n(), v.x(), v.xOff());
    float got = candidate.sumOfSquares(v.n(), x, v.xOff());
    Checks.unchanged(op, v.x(), x);
    var abs = wide(0);
    for (int i = 0; i < v.n(); i++) {
      abs += wide(v.x()[v.xOff() + i]) * v.x()[v.xOff() + i];
    }
    Checks.close(op, want, got, agreement(EB.running(v.n(), abs)));
  }

  /** out_j within gamma(rows + 1) (|out_j| + sum_i |x_ij|), twice. */
  public static void checkAddColumnSums(FloatKernels reference, FloatKernels candidate, MatrixCase m) {
    String op = "addColumnSums" + m;
    float[] wantOut = m.out().clone();
    float[] x = m.x().clone();
    float[] gotOut = m.out().clone();
    reference.addColumnSums(m.rows(), m.cols(), m.x(), m.xOff(), m.ldx(), wantOut, m.outOff());
    candidate.addColumnSums(m.rows(), m.cols(), x, m.xOff(), m.ldx(), gotOut, m.outOff());
    Checks.unchanged(op + ": x", m.x(), x);
    Checks.unchangedOutside(op + ": out", m.out(), gotOut, m.outOff(), m.outOff() + m.cols());
    Checks.closeRange(op, wantOut, gotOut, m.outOff(), m.cols(), j -> {
      var abs = Math.abs(wide(m.out()[m.outOff() + j]));
      for (int i = 0; i < m.rows(); i++) {
        abs += Math.abs(wide(m.x()[m.xOff() + i * m.ldx() + j]));
      }
      return agreement(EB.running(m.rows() + 1, abs));
    });
  }

  /** Per element within {@link ErrorBounds#softmax}, twice; rows of +-1e4 included. */
  public static void checkSoftmax(FloatKernels reference, FloatKernels candidate, RowsCase s) {
    checkRows("softmax", reference, candidate, s, false);
  }

  /** Per element within {@link ErrorBounds#logSoftmax}, twice. */
  public static void checkLogSoftmax(FloatKernels reference, FloatKernels candidate, RowsCase s) {
    checkRows("logSoftmax", reference, candidate, s, true);
  }

  private static void checkRows(String name, FloatKernels reference, FloatKernels candidate, RowsCase s,
                                boolean log) {
    String op = name + s;
    Copies r = new Copies();
    Copies c = new Copies();
    if (log) {
      reference.logSoftmax(s.rows(), s.cols(), r.of(s.x()), s.xOff(), s.ldx(), r.of(s.y()), s.yOff(), s.ldy());
      candidate.logSoftmax(s.rows(), s.cols(), c.of(s.x()), s.xOff(), s.ldx(), c.of(s.y()), s.yOff(), s.ldy());
    } else {
      reference.softmax(s.rows(), s.cols(), r.of(s.x()), s.xOff(), s.ldx(), r.of(s.y()), s.yOff(), s.ldy());
      candidate.softmax(s.rows(), s.cols(), c.of(s.x()), s.xOff(), s.ldx(), c.of(s.y()), s.yOff(), s.ldy());
    }
    if (s.x() != s.y()) {
      Checks.unchanged(op + ": x", s.x(), c.of(s.x()));
    }
    Checks.unchangedOutsideMatrix(op + ": y", s.y(), c.of(s.y()), s.rows(), s.cols(), s.yOff(), s.ldy());
    float[] want = r.of(s.y());
    float[] got = c.of(s.y());
    for (int row = 0; row < s.rows(); row++) {
      int xr = s.xOff() + row * s.ldx();
      int yr = s.yOff() + row * s.ldy();
      var max = wide(s.x()[xr]);
      for (int j = 1; j < s.cols(); j++) {
        max = Math.max(max, s.x()[xr + j]);
      }
      var maxArgument = wide(0);
      var sum = wide(0);
      for (int j = 0; j < s.cols(); j++) {
        maxArgument = Math.max(maxArgument, Math.abs(s.x()[xr + j] - max));
        sum += Math.exp(s.x()[xr + j] - max);
      }
      var logS = Math.log(sum);
      for (int j = 0; j < s.cols(); j++) {
        var argument = Math.abs(s.x()[xr + j] - max);
        var bound = log
            ? EB.logSoftmax(s.cols(), want[yr + j], argument, maxArgument, max + logS, logS)
            : EB.softmax(s.cols(), want[yr + j], argument, maxArgument);
        Checks.close(op + " [" + row + ", " + j + "]", want[yr + j], got[yr + j], agreement(bound));
      }
    }
  }

  /** Per element within {@link ErrorBounds#softmaxBackward}, twice. */
  public static void checkSoftmaxBackward(FloatKernels reference, FloatKernels candidate, RowsBackwardCase s) {
    checkRowsBackward("softmaxBackward", reference, candidate, s, false);
  }

  /** Per element within {@link ErrorBounds#logSoftmaxBackward}, twice. */
  public static void checkLogSoftmaxBackward(FloatKernels reference, FloatKernels candidate, RowsBackwardCase s) {
    checkRowsBackward("logSoftmaxBackward", reference, candidate, s, true);
  }

  private static void checkRowsBackward(String name, FloatKernels reference, FloatKernels candidate,
                                        RowsBackwardCase s, boolean log) {
    String op = name + s;
    Copies r = new Copies();
    Copies c = new Copies();
    if (log) {
      reference.logSoftmaxBackward(s.rows(), s.cols(), r.of(s.y()), s.yOff(), r.of(s.dy()), s.dyOff(), r.of(s.dx()),
          s.dxOff());
      candidate.logSoftmaxBackward(s.rows(), s.cols(), c.of(s.y()), s.yOff(), c.of(s.dy()), s.dyOff(), c.of(s.dx()),
          s.dxOff());
    } else {
      reference.softmaxBackward(s.rows(), s.cols(), r.of(s.y()), s.yOff(), r.of(s.dy()), s.dyOff(), r.of(s.dx()),
          s.dxOff());
      candidate.softmaxBackward(s.rows(), s.cols(), c.of(s.y()), s.yOff(), c.of(s.dy()), s.dyOff(), c.of(s.dx()),
          s.dxOff());
    }
    Checks.unchanged(op + ": y", s.y(), c.of(s.y()));
    if (s.dx() != s.dy()) {
      Checks.unchanged(op + ": dy", s.dy(), c.of(s.dy()));
    }
    int len = s.rows() * s.cols();
    Checks.unchangedOutside(op + ": dx", s.dx(), c.of(s.dx()), s.dxOff(), s.dxOff() + len);
    float[] want = r.of(s.dx());
    float[] got = c.of(s.dx());
    for (int row = 0; row < s.rows(); row++) {
      int o = row * s.cols();
      var sumAbs = wide(0);
      var sum = wide(0);
      for (int j = 0; j < s.cols(); j++) {
        float dy = s.dy()[s.dyOff() + o + j];
        float y = s.y()[s.yOff() + o + j];
        sumAbs += log ? Math.abs(wide(dy)) : Math.abs(wide(dy) * y);
        sum += dy;
      }
      for (int j = 0; j < s.cols(); j++) {
        float dy = s.dy()[s.dyOff() + o + j];
        float y = s.y()[s.yOff() + o + j];
        var bound = log
            ? EB.logSoftmaxBackward(s.cols(), Math.exp(y), dy, sum, sumAbs)
            : EB.softmaxBackward(s.cols(), y, dy, sumAbs);
        int at = s.dxOff() + o + j;
        Checks.close(op + " [" + row + ", " + j + "]", want[at], got[at], agreement(bound));
      }
    }
  }

  /** Activations within the map bounds; c and h within {@link ErrorBounds#lstmForward}, twice. */
  public static void checkLstmForward(FloatKernels reference, FloatKernels candidate, LstmForwardCase l) {
    String op = l.toString();
    Copies r = new Copies();
    Copies c = new Copies();
    reference.lstmForward(l.batch(), l.hidden(), r.of(l.gates()), l.gatesOff(), r.of(l.cPrev()), l.cPrevOff(),
        r.of(l.c()), l.cOff(), r.of(l.h()), l.hOff());
    candidate.lstmForward(l.batch(), l.hidden(), c.of(l.gates()), l.gatesOff(), c.of(l.cPrev()), l.cPrevOff(),
        c.of(l.c()), l.cOff(), c.of(l.h()), l.hOff());
    int hid = l.hidden();
    int state = l.batch() * hid;
    if (l.c() != l.cPrev()) {
      Checks.unchanged(op + ": cPrev", l.cPrev(), c.of(l.cPrev()));
    }
    Checks.unchangedOutside(op + ": gates", l.gates(), c.of(l.gates()), l.gatesOff(), l.gatesOff() + 4 * state);
    Checks.unchangedOutside(op + ": c", l.c(), c.of(l.c()), l.cOff(), l.cOff() + state);
    Checks.unchangedOutside(op + ": h", l.h(), c.of(l.h()), l.hOff(), l.hOff() + state);
    float[] gates = r.of(l.gates());
    for (int b = 0; b < l.batch(); b++) {
      int g = l.gatesOff() + b * 4 * hid;
      for (int j = 0; j < hid; j++) {
        String at = op + " [" + b + ", " + j + "] ";
        for (int q = 0; q < 4; q++) {
          int gi = g + q * hid + j;
          var bound = q == 2 ? EB.tanh(gates[gi]) : EB.sigmoid(gates[gi]);
          Checks.close(at + "gate " + "ifgo".charAt(q), gates[gi], c.of(l.gates())[gi], agreement(bound));
        }
        int s = b * hid + j;
        var bounds = EB.lstmForward(gates[g + j], gates[g + hid + j], gates[g + 2 * hid + j],
            gates[g + 3 * hid + j], l.cPrev()[l.cPrevOff() + s], r.of(l.c())[l.cOff() + s]);
        Checks.close(at + "c", r.of(l.c())[l.cOff() + s], c.of(l.c())[l.cOff() + s], agreement(bounds[0]));
        Checks.close(at + "h", r.of(l.h())[l.hOff() + s], c.of(l.h())[l.hOff() + s], agreement(bounds[1]));
      }
    }
  }

  /** Gate gradients and dcPrev within {@link ErrorBounds#lstmBackward}, twice. */
  public static void checkLstmBackward(FloatKernels reference, FloatKernels candidate, LstmBackwardCase l) {
    String op = l.toString();
    Copies r = new Copies();
    Copies c = new Copies();
    reference.lstmBackward(l.batch(), l.hidden(), r.of(l.gates()), l.gatesOff(), r.of(l.cPrev()), l.cPrevOff(),
        r.of(l.c()), l.cOff(), r.of(l.dh()), l.dhOff(), r.of(l.dc()), l.dcOff(), r.of(l.dGates()), l.dGatesOff());
    candidate.lstmBackward(l.batch(), l.hidden(), c.of(l.gates()), l.gatesOff(), c.of(l.cPrev()), l.cPrevOff(),
        c.of(l.c()), l.cOff(), c.of(l.dh()), l.dhOff(), c.of(l.dc()), l.dcOff(), c.of(l.dGates()), l.dGatesOff());
    int hid = l.hidden();
    int state = l.batch() * hid;
    Checks.unchanged(op + ": gates", l.gates(), c.of(l.gates()));
    Checks.unchanged(op + ": cPrev", l.cPrev(), c.of(l.cPrev()));
    Checks.unchanged(op + ": c", l.c(), c.of(l.c()));
    Checks.unchanged(op + ": dh", l.dh(), c.of(l.dh()));
    Checks.unchangedOutside(op + ": dc", l.dc(), c.of(l.dc()), l.dcOff(), l.dcOff() + state);
    Checks.unchangedOutside(op + ": dGates", l.dGates(), c.of(l.dGates()), l.dGatesOff(),
        l.dGatesOff() + 4 * state);
    for (int b = 0; b < l.batch(); b++) {
      int g = l.gatesOff() + b * 4 * hid;
      int dg = l.dGatesOff() + b * 4 * hid;
      for (int j = 0; j < hid; j++) {
        int s = b * hid + j;
        String at = op + " [" + b + ", " + j + "] ";
        var bounds = EB.lstmBackward(l.gates()[g + j], l.gates()[g + hid + j], l.gates()[g + 2 * hid + j],
            l.gates()[g + 3 * hid + j], l.cPrev()[l.cPrevOff() + s], l.c()[l.cOff() + s], l.dh()[l.dhOff() + s],
            l.dc()[l.dcOff() + s]);
        for (int q = 0; q < 4; q++) {
          int at2 = dg + q * hid + j;
          Checks.close(at + "d" + "ifgo".charAt(q), r.of(l.dGates())[at2], c.of(l.dGates())[at2],
              agreement(bounds[q]));
        }
        Checks.close(at + "dcPrev", r.of(l.dc())[l.dcOff() + s], c.of(l.dc())[l.dcOff() + s],
            agreement(bounds[4]));
      }
    }
  }

  /** Activations and h within {@link ErrorBounds#gruForward}, twice. */
  public static void checkGruForward(FloatKernels reference, FloatKernels candidate, GruForwardCase g) {
    String op = g.toString();
    Copies r = new Copies();
    Copies c = new Copies();
    reference.gruForward(g.batch(), g.hidden(), r.of(g.gi()), g.giOff(), r.of(g.gh()), g.ghOff(), r.of(g.hPrev()),
        g.hPrevOff(), r.of(g.h()), g.hOff());
    candidate.gruForward(g.batch(), g.hidden(), c.of(g.gi()), g.giOff(), c.of(g.gh()), g.ghOff(), c.of(g.hPrev()),
        g.hPrevOff(), c.of(g.h()), g.hOff());
    int hid = g.hidden();
    int state = g.batch() * hid;
    Checks.unchanged(op + ": gh", g.gh(), c.of(g.gh()));
    Checks.unchanged(op + ": hPrev", g.hPrev(), c.of(g.hPrev()));
    Checks.unchangedOutside(op + ": gi", g.gi(), c.of(g.gi()), g.giOff(), g.giOff() + 3 * state);
    Checks.unchangedOutside(op + ": h", g.h(), c.of(g.h()), g.hOff(), g.hOff() + state);
    for (int b = 0; b < g.batch(); b++) {
      int x = g.giOff() + b * 3 * hid;
      int y = g.ghOff() + b * 3 * hid;
      for (int j = 0; j < hid; j++) {
        int s = b * hid + j;
        String at = op + " [" + b + ", " + j + "] ";
        var bounds = EB.gruForward(g.gi()[x + j], g.gh()[y + j], g.gi()[x + hid + j], g.gh()[y + hid + j],
            g.gi()[x + 2 * hid + j], g.gh()[y + 2 * hid + j], g.hPrev()[g.hPrevOff() + s]);
        for (int q = 0; q < 3; q++) {
          int at2 = x + q * hid + j;
          Checks.close(at + "rzn".charAt(q), r.of(g.gi())[at2], c.of(g.gi())[at2], agreement(bounds[q]));
        }
        Checks.close(at + "h", r.of(g.h())[g.hOff() + s], c.of(g.h())[g.hOff() + s], agreement(bounds[3]));
      }
    }
  }

  /** dgi, dgh and dhPrev within {@link ErrorBounds#gruBackward}, twice. */
  public static void checkGruBackward(FloatKernels reference, FloatKernels candidate, GruBackwardCase g) {
    String op = g.toString();
    Copies r = new Copies();
    Copies c = new Copies();
    reference.gruBackward(g.batch(), g.hidden(), r.of(g.gi()), g.giOff(), r.of(g.gh()), g.ghOff(), r.of(g.hPrev()),
        g.hPrevOff(), r.of(g.dh()), g.dhOff(), r.of(g.dgi()), g.dgiOff(), r.of(g.dgh()), g.dghOff(),
        r.of(g.dhPrev()), g.dhPrevOff());
    candidate.gruBackward(g.batch(), g.hidden(), c.of(g.gi()), g.giOff(), c.of(g.gh()), g.ghOff(), c.of(g.hPrev()),
        g.hPrevOff(), c.of(g.dh()), g.dhOff(), c.of(g.dgi()), g.dgiOff(), c.of(g.dgh()), g.dghOff(),
        c.of(g.dhPrev()), g.dhPrevOff());
    int hid = g.hidden();
    int state = g.batch() * hid;
    Checks.unchanged(op + ": gi", g.gi(), c.of(g.gi()));
    Checks.unchanged(op + ": gh", g.gh(), c.of(g.gh()));
    Checks.unchanged(op + ": hPrev", g.hPrev(), c.of(g.hPrev()));
    if (g.dhPrev() != g.dh()) {
      Checks.unchanged(op + ": dh", g.dh(), c.of(g.dh()));
    }
    Checks.unchangedOutside(op + ": dgi", g.dgi(), c.of(g.dgi()), g.dgiOff(), g.dgiOff() + 3 * state);
    Checks.unchangedOutside(op + ": dgh", g.dgh(), c.of(g.dgh()), g.dghOff(), g.dghOff() + 3 * state);
    Checks.unchangedOutside(op + ": dhPrev", g.dhPrev(), c.of(g.dhPrev()), g.dhPrevOff(), g.dhPrevOff() + state);
    for (int b = 0; b < g.batch(); b++) {
      int x = g.giOff() + b * 3 * hid;
      int y = g.ghOff() + b * 3 * hid;
      int dx = g.dgiOff() + b * 3 * hid;
      int dy = g.dghOff() + b * 3 * hid;
      for (int j = 0; j < hid; j++) {
        int s = b * hid + j;
        String at = op + " [" + b + ", " + j + "] ";
        var bounds = EB.gruBackward(g.gi()[x + j], g.gi()[x + hid + j], g.gi()[x + 2 * hid + j],
            g.gh()[y + 2 * hid + j], g.hPrev()[g.hPrevOff() + s], g.dh()[g.dhOff() + s]);
        for (int q = 0; q < 3; q++) {
          Checks.close(at + "dgi " + "rzn".charAt(q), r.of(g.dgi())[dx + q * hid + j], c.of(g.dgi())[dx + q * hid + j],
              agreement(bounds[q]));
        }
        for (int q = 0; q < 3; q++) {
          Checks.close(at + "dgh " + "rzn".charAt(q), r.of(g.dgh())[dy + q * hid + j], c.of(g.dgh())[dy + q * hid + j],
              agreement(bounds[q == 2 ? 3 : q]));
        }
        Checks.close(at + "dhPrev", r.of(g.dhPrev())[g.dhPrevOff() + s], c.of(g.dhPrev())[g.dhPrevOff() + s],
            agreement(bounds[4]));
      }
    }
  }

  /** param and velocity within {@link ErrorBounds#sgd}, twice. */
  public static void checkSgdUpdate(FloatKernels reference, FloatKernels candidate, SgdCase s) {
    String op = s.toString();
    Copies r = new Copies();
    Copies c = new Copies();
    reference.sgdUpdate(s.n(), s.lr(), s.momentum(), s.dampening(), s.weightDecay(), s.nesterov(), s.firstStep(),
        r.of(s.param()), s.paramOff(), r.of(s.grad()), s.gradOff(), r.of(s.velocity()), s.velocityOff());
    candidate.sgdUpdate(s.n(), s.lr(), s.momentum(), s.dampening(), s.weightDecay(), s.nesterov(), s.firstStep(),
        c.of(s.param()), s.paramOff(), c.of(s.grad()), s.gradOff(), c.of(s.velocity()), s.velocityOff());
    Checks.unchanged(op + ": grad", s.grad(), c.of(s.grad()));
    Checks.unchangedOutside(op + ": param", s.param(), c.of(s.param()), s.paramOff(), s.paramOff() + s.n());
    if (s.momentum() == 0) {
      Checks.unchanged(op + ": velocity (momentum 0)", s.velocity(), c.of(s.velocity()));
    } else {
      Checks.unchangedOutside(op + ": velocity", s.velocity(), c.of(s.velocity()), s.velocityOff(),
          s.velocityOff() + s.n());
    }
    for (int i = 0; i < s.n(); i++) {
      var bounds = EB.sgd(s.lr(), s.momentum(), s.dampening(), s.weightDecay(), s.nesterov(), s.firstStep(),
          s.param()[s.paramOff() + i], s.grad()[s.gradOff() + i], s.velocity()[s.velocityOff() + i]);
      Checks.close(op + " param[" + i + "]", r.of(s.param())[s.paramOff() + i], c.of(s.param())[s.paramOff() + i],
          agreement(bounds[0]));
      Checks.close(op + " velocity[" + i + "]", r.of(s.velocity())[s.velocityOff() + i],
          c.of(s.velocity())[s.velocityOff() + i], agreement(bounds[1]));
    }
  }

  /** param, m and v within {@link ErrorBounds#adam}, twice. */
  public static void checkAdamUpdate(FloatKernels reference, FloatKernels candidate, AdamCase a) {
    String op = a.toString();
    Copies r = new Copies();
    Copies c = new Copies();
    reference.adamUpdate(a.n(), a.lr(), a.beta1(), a.beta2(), a.eps(), a.weightDecay(), a.decoupled(), a.step(),
        r.of(a.param()), a.paramOff(), r.of(a.grad()), a.gradOff(), r.of(a.m()), a.mOff(), r.of(a.v()), a.vOff());
    candidate.adamUpdate(a.n(), a.lr(), a.beta1(), a.beta2(), a.eps(), a.weightDecay(), a.decoupled(), a.step(),
        c.of(a.param()), a.paramOff(), c.of(a.grad()), a.gradOff(), c.of(a.m()), a.mOff(), c.of(a.v()), a.vOff());
    Checks.unchanged(op + ": grad", a.grad(), c.of(a.grad()));
    Checks.unchangedOutside(op + ": param", a.param(), c.of(a.param()), a.paramOff(), a.paramOff() + a.n());
    Checks.unchangedOutside(op + ": m", a.m(), c.of(a.m()), a.mOff(), a.mOff() + a.n());
    Checks.unchangedOutside(op + ": v", a.v(), c.of(a.v()), a.vOff(), a.vOff() + a.n());
    for (int i = 0; i < a.n(); i++) {
      var bounds = EB.adam(a.lr(), a.beta1(), a.beta2(), a.eps(), a.weightDecay(), a.decoupled(), a.step(),
          a.param()[a.paramOff() + i], a.grad()[a.gradOff() + i], a.m()[a.mOff() + i], a.v()[a.vOff() + i]);
      Checks.close(op + " param[" + i + "]", r.of(a.param())[a.paramOff() + i], c.of(a.param())[a.paramOff() + i],
          agreement(bounds[0]));
      Checks.close(op + " m[" + i + "]", r.of(a.m())[a.mOff() + i], c.of(a.m())[a.mOff() + i], agreement(bounds[1]));
      Checks.close(op + " v[" + i + "]", r.of(a.v())[a.vOff() + i], c.of(a.v())[a.vOff() + i], agreement(bounds[2]));
    }
  }
}
