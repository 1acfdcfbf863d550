package dev.rnn4j.kernels.simd;

// rnn4j:generate-float

import dev.rnn4j.kernels.DoubleKernels;
import dev.rnn4j.kernels.DoublePackedMatrix;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD twin of {@link dev.rnn4j.kernels.ScalarDoubleKernels} on the Java Vector API ({@code jdk.incubator.vector}),
 * with the methods in the same order as the spec. This class is a thin facade: each kernel family is a
 * package-private class of static methods on one species, {@link PanamaDoubleSpecies#SPECIES},
 * <ul>
 *   <li>{@link PanamaDoubleGemm}: gemm and its packed forms, with the cache blocking and packing, over the register
 *       tiles of {@link PanamaDoubleMicroKernels};</li>
 *   <li>{@link PanamaDoubleBlas}: gemv, axpy, dot, scal;</li>
 *   <li>{@link PanamaDoubleMaps}: elementwise kernels, relu and the backward maps, reductions, softmax;</li>
 *   <li>{@link PanamaDoubleMath}: exp, log, sigmoid and tanh, with their scalar twins for the tails;</li>
 *   <li>{@link PanamaDoubleRecurrent}: the fused LSTM and GRU pointwise kernels;</li>
 *   <li>{@link PanamaDoubleOptimizers}: the fused SGD and Adam updates;</li>
 * </ul>
 * and this object owns the per-thread scratch ({@link PanamaDoubleScratch}) that gemm, the transposed gemv,
 * addColumnSums, log-softmax and the LSTM backward reuse across calls, so that after warm-up no kernel allocates.
 *
 * <p>Every loop runs whole vectors of the species first and finishes the remaining {@code n % LANES} elements with a
 * scalar tail that computes exactly what the spec computes; hot loops contain no masked operations.
 *
 * <h2>Accuracy</h2>
 * <ul>
 *   <li>Sums (dot, gemm, gemv, sum, sumOfSquares, softmax denominators) use several accumulators and fused
 *       multiply-add, so they are reassociated: a length-k sum of products is within
 *       {@code gamma(k) * sum|a_i * b_i|} of the exact value, as the contract states; elementwise arithmetic is
 *       exactly rounded, as in the spec. The lanes of an accumulator are added in a fixed tree order
 *       ({@link PanamaDoubleSpecies#FOLDS}), never with {@code reduceLanes(ADD)}, whose order is unspecified and
 *       differs between C2 and the Java fallback.</li>
 *   <li>{@code exp}, {@code tanh} and {@code log} (and sigmoid, softmax and the LSTM/GRU kernels through them) are
 *       computed from exact per-lane operations only, with at most 2u, 7.3u and 2.9u relative error (u = 2^-53 or
 *       2^-24), within the 4 ulps (8u) the kernel tolerances assume; see {@link PanamaDoubleMath}.</li>
 *   <li><b>Determinism</b>: with these two rules every kernel computes the same bits in the interpreter, C1 and
 *       C2 for a given species ({@code PanamaTierIndependenceTest}); different species may still differ, as the
 *       accumulators then hold other partial sums.</li>
 *   <li>{@code sigmoid} is computed as {@code 1 / (1 + e)} for {@code x >= 0} and {@code e / (1 + e)} otherwise,
 *       with {@code e = exp(-|x|)} in (0, 1], so it never overflows and is never NaN for non-NaN x. Its relative
 *       error is at most 6u (exp 2u, its share in {@code 1 + e} u, that sum's rounding u, the numerator 2u, the
 *       division u), so within 6 ulps of the exact value; measured about 2.</li>
 * </ul>
 */
public final class PanamaDoubleKernels implements DoubleKernels {

  private final PanamaDoubleScratch scratch = new PanamaDoubleScratch();

  /** The kernels on {@link PanamaDoubleSpecies#SPECIES}. */
  public PanamaDoubleKernels() {}

  /** The species these kernels use. */
  public VectorSpecies<Double> species() {
    return PanamaDoubleSpecies.SPECIES;
  }

  /** The gemm blocking derived for this machine. */
  @Override
  public String tuning() {
    return "gemm float64: " + PanamaDoubleGemm.BLOCKING.describe();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // BLAS-like
  // ---------------------------------------------------------------------------------------------------------------

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k,
                   double alpha, double[] a, int aOff, int lda,
                   double[] b, int bOff, int ldb,
                   double beta, double[] c, int cOff, int ldc) {
    PanamaDoubleGemm.gemm(scratch, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
  }

  @Override
  public DoublePackedMatrix packB(boolean transB, int k, int n, double[] b, int bOff, int ldb,
                                  DoublePackedMatrix reuse) {
    return PanamaDoubleGemm.packB(scratch, transB, k, n, b, bOff, ldb, reuse);
  }

  @Override
  public void gemmPacked(boolean transA, int m, double alpha, double[] a, int aOff, int lda, DoublePackedMatrix pm,
                         double beta, double[] c, int cOff, int ldc) {
    PanamaDoubleGemm.gemmPacked(scratch, transA, m, alpha, a, aOff, lda, pm, beta, c, cOff, ldc);
  }

  @Override
  public void gemmPackedBias(boolean transA, int m, double alpha, double[] a, int aOff, int lda,
                             DoublePackedMatrix pm, double[] bias, int biasOff, double[] c, int cOff, int ldc) {
    PanamaDoubleGemm.gemmPackedBias(scratch, transA, m, alpha, a, aOff, lda, pm, bias, biasOff, c, cOff, ldc);
  }

  @Override
  public void gemv(boolean trans, int m, int n,
                   double alpha, double[] a, int aOff, int lda,
                   double[] x, int xOff,
                   double beta, double[] y, int yOff) {
    PanamaDoubleBlas.gemv(scratch, trans, m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
  }

  @Override
  public void axpy(int n, double alpha, double[] x, int xOff, double[] y, int yOff) {
    PanamaDoubleBlas.axpy(n, alpha, x, xOff, y, yOff);
  }

  @Override
  public double dot(int n, double[] x, int xOff, double[] y, int yOff) {
    return PanamaDoubleBlas.dot(n, x, xOff, y, yOff);
  }

  @Override
  public void scal(int n, double alpha, double[] x, int xOff) {
    PanamaDoubleBlas.scal(n, alpha, x, xOff);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Elementwise
  // ---------------------------------------------------------------------------------------------------------------

  @Override
  public void add(int n, double[] a, int aOff, double[] b, int bOff, double[] out, int outOff) {
    PanamaDoubleMaps.add(n, a, aOff, b, bOff, out, outOff);
  }

  @Override
  public void sub(int n, double[] a, int aOff, double[] b, int bOff, double[] out, int outOff) {
    PanamaDoubleMaps.sub(n, a, aOff, b, bOff, out, outOff);
  }

  @Override
  public void mul(int n, double[] a, int aOff, double[] b, int bOff, double[] out, int outOff) {
    PanamaDoubleMaps.mul(n, a, aOff, b, bOff, out, outOff);
  }

  @Override
  public void div(int n, double[] a, int aOff, double[] b, int bOff, double[] out, int outOff) {
    PanamaDoubleMaps.div(n, a, aOff, b, bOff, out, outOff);
  }

  @Override
  public void scale(int n, double alpha, double[] x, int xOff, double[] out, int outOff) {
    PanamaDoubleMaps.scale(n, alpha, x, xOff, out, outOff);
  }

  @Override
  public void addScalar(int n, double alpha, double[] x, int xOff, double[] out, int outOff) {
    PanamaDoubleMaps.addScalar(n, alpha, x, xOff, out, outOff);
  }

  @Override
  public void fill(int n, double value, double[] out, int outOff) {
    PanamaDoubleMaps.fill(n, value, out, outOff);
  }

  @Override
  public void copy(int n, double[] x, int xOff, double[] out, int outOff) {
    PanamaDoubleMaps.copy(n, x, xOff, out, outOff);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Maps and their backward forms
  // ---------------------------------------------------------------------------------------------------------------

  @Override
  public void sigmoid(int n, double[] x, int xOff, double[] y, int yOff) {
    PanamaDoubleMath.sigmoid(n, x, xOff, y, yOff);
  }

  @Override
  public void sigmoidBackward(int n, double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff) {
    PanamaDoubleMaps.sigmoidBackward(n, y, yOff, dy, dyOff, dx, dxOff);
  }

  @Override
  public void tanh(int n, double[] x, int xOff, double[] y, int yOff) {
    PanamaDoubleMath.tanh(n, x, xOff, y, yOff);
  }

  @Override
  public void tanhBackward(int n, double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff) {
    PanamaDoubleMaps.tanhBackward(n, y, yOff, dy, dyOff, dx, dxOff);
  }

  @Override
  public void relu(int n, double[] x, int xOff, double[] y, int yOff) {
    PanamaDoubleMaps.relu(n, x, xOff, y, yOff);
  }

  @Override
  public void reluBackward(int n, double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff) {
    PanamaDoubleMaps.reluBackward(n, y, yOff, dy, dyOff, dx, dxOff);
  }

  @Override
  public void exp(int n, double[] x, int xOff, double[] y, int yOff) {
    PanamaDoubleMath.exp(n, x, xOff, y, yOff);
  }

  @Override
  public void expBackward(int n, double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff) {
    PanamaDoubleMaps.expBackward(n, y, yOff, dy, dyOff, dx, dxOff);
  }

  @Override
  public void log(int n, double[] x, int xOff, double[] y, int yOff) {
    PanamaDoubleMath.log(n, x, xOff, y, yOff);
  }

  @Override
  public void logBackward(int n, double[] x, int xOff, double[] dy, int dyOff, double[] dx, int dxOff) {
    PanamaDoubleMaps.logBackward(n, x, xOff, dy, dyOff, dx, dxOff);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Reductions
  // ---------------------------------------------------------------------------------------------------------------

  @Override
  public double sum(int n, double[] x, int xOff) {
    return PanamaDoubleMaps.sum(n, x, xOff);
  }

  @Override
  public double max(int n, double[] x, int xOff) {
    return PanamaDoubleMaps.max(n, x, xOff);
  }

  @Override
  public double sumOfSquares(int n, double[] x, int xOff) {
    return PanamaDoubleMaps.sumOfSquares(n, x, xOff);
  }

  @Override
  public void addColumnSums(int rows, int cols, double[] x, int xOff, int ldx, double[] out, int outOff) {
    PanamaDoubleMaps.addColumnSums(scratch, rows, cols, x, xOff, ldx, out, outOff);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Row-wise softmax
  // ---------------------------------------------------------------------------------------------------------------

  @Override
  public void softmax(int rows, int cols, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy) {
    PanamaDoubleMaps.softmax(rows, cols, x, xOff, ldx, y, yOff, ldy);
  }

  @Override
  public void softmaxBackward(int rows, int cols, double[] y, int yOff, double[] dy, int dyOff,
                              double[] dx, int dxOff) {
    PanamaDoubleMaps.softmaxBackward(rows, cols, y, yOff, dy, dyOff, dx, dxOff);
  }

  @Override
  public void logSoftmax(int rows, int cols, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy) {
    PanamaDoubleMaps.logSoftmax(scratch, rows, cols, x, xOff, ldx, y, yOff, ldy);
  }

  @Override
  public void logSoftmaxBackward(int rows, int cols, double[] y, int yOff, double[] dy, int dyOff,
                                 double[] dx, int dxOff) {
    PanamaDoubleMaps.logSoftmaxBackward(scratch, rows, cols, y, yOff, dy, dyOff, dx, dxOff);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Fused recurrent pointwise kernels
  // ---------------------------------------------------------------------------------------------------------------

  @Override
  public void lstmForward(int batch, int hidden, double[] gates, int gatesOff, double[] cPrev, int cPrevOff,
                          double[] c, int cOff, double[] h, int hOff) {
    PanamaDoubleRecurrent.lstmForward(batch, hidden, gates, gatesOff, cPrev, cPrevOff, c, cOff, h, hOff);
  }

  @Override
  public void lstmBackward(int batch, int hidden, double[] gates, int gatesOff, double[] cPrev, int cPrevOff,
                           double[] c, int cOff, double[] dh, int dhOff, double[] dc, int dcOff,
                           double[] dGates, int dGatesOff) {
    PanamaDoubleRecurrent.lstmBackward(scratch, batch, hidden, gates, gatesOff, cPrev, cPrevOff, c, cOff, dh, dhOff, dc,
        dcOff, dGates, dGatesOff);
  }

  @Override
  public void gruForward(int batch, int hidden, double[] gi, int giOff, double[] gh, int ghOff,
                         double[] hPrev, int hPrevOff, double[] h, int hOff) {
    PanamaDoubleRecurrent.gruForward(batch, hidden, gi, giOff, gh, ghOff, hPrev, hPrevOff, h, hOff);
  }

  @Override
  public void gruBackward(int batch, int hidden, double[] gi, int giOff, double[] gh, int ghOff,
                          double[] hPrev, int hPrevOff, double[] dh, int dhOff,
                          double[] dgi, int dgiOff, double[] dgh, int dghOff, double[] dhPrev, int dhPrevOff) {
    PanamaDoubleRecurrent.gruBackward(batch, hidden, gi, giOff, gh, ghOff, hPrev, hPrevOff, dh, dhOff, dgi, dgiOff, dgh,
        dghOff, dhPrev, dhPrevOff);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Fused optimizer updates
  // ---------------------------------------------------------------------------------------------------------------

  @Override
  public void sgdUpdate(int n, double lr, double momentum, double dampening, double weightDecay, boolean nesterov,
                        boolean firstStep, double[] param, int paramOff, double[] grad, int gradOff,
                        double[] velocity, int velocityOff) {
    PanamaDoubleOptimizers.sgdUpdate(n, lr, momentum, dampening, weightDecay, nesterov, firstStep, param, paramOff,
        grad, gradOff, velocity, velocityOff);
  }

  @Override
  public void adamUpdate(int n, double lr, double beta1, double beta2, double eps, double weightDecay,
                         boolean decoupledWeightDecay, int step, double[] param, int paramOff,
                         double[] grad, int gradOff, double[] m, int mOff, double[] v, int vOff) {
    PanamaDoubleOptimizers.adamUpdate(n, lr, beta1, beta2, eps, weightDecay, decoupledWeightDecay, step, param,
        paramOff, grad, gradOff, m, mOff, v, vOff);
  }
}
