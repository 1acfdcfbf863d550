package dev.rnn4j.kernels.simd;

// Generated from PanamaDoubleKernels.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.kernels.FloatPackedMatrix;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD twin of {@link dev.rnn4j.kernels.ScalarFloatKernels} on the Java Vector API ({@code jdk.incubator.vector}),
 * with the methods in the same order as the spec. This class is a thin facade: each kernel family is a
 * package-private class of static methods on one species, {@link PanamaFloatSpecies#SPECIES},
 * <ul>
 *   <li>{@link PanamaFloatGemm}: gemm and its packed forms, with the cache blocking and packing, over the register
 *       tiles of {@link PanamaFloatMicroKernels};</li>
 *   <li>{@link PanamaFloatBlas}: gemv, axpy, dot, scal;</li>
 *   <li>{@link PanamaFloatMaps}: elementwise kernels, relu and the backward maps, reductions, softmax;</li>
 *   <li>{@link PanamaFloatMath}: exp, log, sigmoid and tanh, with their scalar twins for the tails;</li>
 *   <li>{@link PanamaFloatRecurrent}: the fused LSTM and GRU pointwise kernels;</li>
 *   <li>{@link PanamaFloatOptimizers}: the fused SGD and Adam updates;</li>
 * </ul>
 * and this object owns the per-thread scratch ({@link PanamaFloatScratch}) that gemm, the transposed gemv,
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
 *       ({@link PanamaFloatSpecies#FOLDS}), never with {@code reduceLanes(ADD)}, whose order is unspecified and
 *       differs between C2 and the Java fallback.</li>
 *   <li>{@code exp}, {@code tanh} and {@code log} (and sigmoid, softmax and the LSTM/GRU kernels through them) are
 *       computed from exact per-lane operations only, with at most 2u, 7.3u and 2.9u relative error (u = 2^-53 or
 *       2^-24), within the 4 ulps (8u) the kernel tolerances assume; see {@link PanamaFloatMath}.</li>
 *   <li><b>Determinism</b>: with these two rules every kernel computes the same bits in the interpreter, C1 and
 *       C2 for a given species ({@code PanamaTierIndependenceTest}); different species may still differ, as the
 *       accumulators then hold other partial sums.</li>
 *   <li>{@code sigmoid} is computed as {@code 1 / (1 + e)} for {@code x >= 0} and {@code e / (1 + e)} otherwise,
 *       with {@code e = exp(-|x|)} in (0, 1], so it never overflows and is never NaN for non-NaN x. Its relative
 *       error is at most 6u (exp 2u, its share in {@code 1 + e} u, that sum's rounding u, the numerator 2u, the
 *       division u), so within 6 ulps of the exact value; measured about 2.</li>
 * </ul>
 */
public final class PanamaFloatKernels implements FloatKernels {

  private final PanamaFloatScratch scratch = new PanamaFloatScratch();

  /** The kernels on {@link PanamaFloatSpecies#SPECIES}. */
  public PanamaFloatKernels() {}

  /** The species these kernels use. */
  public VectorSpecies<Float> species() {
    return PanamaFloatSpecies.SPECIES;
  }

  /** The gemm blocking derived for this machine. */
  @Override
  public String tuning() {
    return "gemm float32: " + PanamaFloatGemm.BLOCKING.describe();
  }

  // ---------------------------------------------------------------------------------------------------------------
  // BLAS-like
  // ---------------------------------------------------------------------------------------------------------------

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k,
                   float alpha, float[] a, int aOff, int lda,
                   float[] b, int bOff, int ldb,
                   float beta, float[] c, int cOff, int ldc) {
    PanamaFloatGemm.gemm(scratch, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
  }

  @Override
  public FloatPackedMatrix packB(boolean transB, int k, int n, float[] b, int bOff, int ldb,
                                  FloatPackedMatrix reuse) {
    return PanamaFloatGemm.packB(scratch, transB, k, n, b, bOff, ldb, reuse);
  }

  @Override
  public void gemmPacked(boolean transA, int m, float alpha, float[] a, int aOff, int lda, FloatPackedMatrix pm,
                         float beta, float[] c, int cOff, int ldc) {
    PanamaFloatGemm.gemmPacked(scratch, transA, m, alpha, a, aOff, lda, pm, beta, c, cOff, ldc);
  }

  @Override
  public void gemmPackedBias(boolean transA, int m, float alpha, float[] a, int aOff, int lda,
                             FloatPackedMatrix pm, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
    PanamaFloatGemm.gemmPackedBias(scratch, transA, m, alpha, a, aOff, lda, pm, bias, biasOff, c, cOff, ldc);
  }

  @Override
  public void gemv(boolean trans, int m, int n,
                   float alpha, float[] a, int aOff, int lda,
                   float[] x, int xOff,
                   float beta, float[] y, int yOff) {
    PanamaFloatBlas.gemv(scratch, trans, m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
  }

  @Override
  public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
    PanamaFloatBlas.axpy(n, alpha, x, xOff, y, yOff);
  }

  @Override
  public float dot(int n, float[] x, int xOff, float[] y, int yOff) {
    return PanamaFloatBlas.dot(n, x, xOff, y, yOff);
  }

  @Override
  public void scal(int n, float alpha, float[] x, int xOff) {
    PanamaFloatBlas.scal(n, alpha, x, xOff);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Elementwise
  // ---------------------------------------------------------------------------------------------------------------

  @Override
  public void add(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
    PanamaFloatMaps.add(n, a, aOff, b, bOff, out, outOff);
  }

  @Override
  public void sub(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
    PanamaFloatMaps.sub(n, a, aOff, b, bOff, out, outOff);
  }

  @Override
  public void mul(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
    PanamaFloatMaps.mul(n, a, aOff, b, bOff, out, outOff);
  }

  @Override
  public void div(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
    PanamaFloatMaps.div(n, a, aOff, b, bOff, out, outOff);
  }

  @Override
  public void scale(int n, float alpha, float[] x, int xOff, float[] out, int outOff) {
    PanamaFloatMaps.scale(n, alpha, x, xOff, out, outOff);
  }

  @Override
  public void addScalar(int n, float alpha, float[] x, int xOff, float[] out, int outOff) {
    PanamaFloatMaps.addScalar(n, alpha, x, xOff, out, outOff);
  }

  @Override
  public void fill(int n, float value, float[] out, int outOff) {
    PanamaFloatMaps.fill(n, value, out, outOff);
  }

  @Override
  public void copy(int n, float[] x, int xOff, float[] out, int outOff) {
    PanamaFloatMaps.copy(n, x, xOff, out, outOff);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Maps and their backward forms
  // ---------------------------------------------------------------------------------------------------------------

  @Override
  public void sigmoid(int n, float[] x, int xOff, float[] y, int yOff) {
    PanamaFloatMath.sigmoid(n, x, xOff, y, yOff);
  }

  @Override
  public void sigmoidBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
    PanamaFloatMaps.sigmoidBackward(n, y, yOff, dy, dyOff, dx, dxOff);
  }

  @Override
  public void tanh(int n, float[] x, int xOff, float[] y, int yOff) {
    PanamaFloatMath.tanh(n, x, xOff, y, yOff);
  }

  @Override
  public void tanhBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
    PanamaFloatMaps.tanhBackward(n, y, yOff, dy, dyOff, dx, dxOff);
  }

  @Override
  public void relu(int n, float[] x, int xOff, float[] y, int yOff) {
    PanamaFloatMaps.relu(n, x, xOff, y, yOff);
  }

  @Override
  public void reluBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
    PanamaFloatMaps.reluBackward(n, y, yOff, dy, dyOff, dx, dxOff);
  }

  @Override
  public void exp(int n, float[] x, int xOff, float[] y, int yOff) {
    PanamaFloatMath.exp(n, x, xOff, y, yOff);
  }

  @Override
  public void expBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
    PanamaFloatMaps.expBackward(n, y, yOff, dy, dyOff, dx, dxOff);
  }

  @Override
  public void log(int n, float[] x, int xOff, float[] y, int yOff) {
    PanamaFloatMath.log(n, x, xOff, y, yOff);
  }

  @Override
  public void logBackward(int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
    PanamaFloatMaps.logBackward(n, x, xOff, dy, dyOff, dx, dxOff);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Reductions
  // ---------------------------------------------------------------------------------------------------------------

  @Override
  public float sum(int n, float[] x, int xOff) {
    return PanamaFloatMaps.sum(n, x, xOff);
  }

  @Override
  public float max(int n, float[] x, int xOff) {
    return PanamaFloatMaps.max(n, x, xOff);
  }

  @Override
  public float sumOfSquares(int n, float[] x, int xOff) {
    return PanamaFloatMaps.sumOfSquares(n, x, xOff);
  }

  @Override
  public void addColumnSums(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff) {
    PanamaFloatMaps.addColumnSums(scratch, rows, cols, x, xOff, ldx, out, outOff);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Row-wise softmax
  // ---------------------------------------------------------------------------------------------------------------

  @Override
  public void softmax(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
    PanamaFloatMaps.softmax(rows, cols, x, xOff, ldx, y, yOff, ldy);
  }

  @Override
  public void softmaxBackward(int rows, int cols, float[] y, int yOff, float[] dy, int dyOff,
                              float[] dx, int dxOff) {
    PanamaFloatMaps.softmaxBackward(rows, cols, y, yOff, dy, dyOff, dx, dxOff);
  }

  @Override
  public void logSoftmax(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
    PanamaFloatMaps.logSoftmax(scratch, rows, cols, x, xOff, ldx, y, yOff, ldy);
  }

  @Override
  public void logSoftmaxBackward(int rows, int cols, float[] y, int yOff, float[] dy, int dyOff,
                                 float[] dx, int dxOff) {
    PanamaFloatMaps.logSoftmaxBackward(scratch, rows, cols, y, yOff, dy, dyOff, dx, dxOff);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Fused recurrent pointwise kernels
  // ---------------------------------------------------------------------------------------------------------------

  @Override
  public void lstmForward(int batch, int hidden, float[] gates, int gatesOff, float[] cPrev, int cPrevOff,
                          float[] c, int cOff, float[] h, int hOff) {
    PanamaFloatRecurrent.lstmForward(batch, hidden, gates, gatesOff, cPrev, cPrevOff, c, cOff, h, hOff);
  }

  @Override
  public void lstmBackward(int batch, int hidden, float[] gates, int gatesOff, float[] cPrev, int cPrevOff,
                           float[] c, int cOff, float[] dh, int dhOff, float[] dc, int dcOff,
                           float[] dGates, int dGatesOff) {
    PanamaFloatRecurrent.lstmBackward(scratch, batch, hidden, gates, gatesOff, cPrev, cPrevOff, c, cOff, dh, dhOff, dc,
        dcOff, dGates, dGatesOff);
  }

  @Override
  public void gruForward(int batch, int hidden, float[] gi, int giOff, float[] gh, int ghOff,
                         float[] hPrev, int hPrevOff, float[] h, int hOff) {
    PanamaFloatRecurrent.gruForward(batch, hidden, gi, giOff, gh, ghOff, hPrev, hPrevOff, h, hOff);
  }

  @Override
  public void gruBackward(int batch, int hidden, float[] gi, int giOff, float[] gh, int ghOff,
                          float[] hPrev, int hPrevOff, float[] dh, int dhOff,
                          float[] dgi, int dgiOff, float[] dgh, int dghOff, float[] dhPrev, int dhPrevOff) {
    PanamaFloatRecurrent.gruBackward(batch, hidden, gi, giOff, gh, ghOff, hPrev, hPrevOff, dh, dhOff, dgi, dgiOff, dgh,
        dghOff, dhPrev, dhPrevOff);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Fused optimizer updates
  // ---------------------------------------------------------------------------------------------------------------

  @Override
  public void sgdUpdate(int n, float lr, float momentum, float dampening, float weightDecay, boolean nesterov,
                        boolean firstStep, float[] param, int paramOff, float[] grad, int gradOff,
                        float[] velocity, int velocityOff) {
    PanamaFloatOptimizers.sgdUpdate(n, lr, momentum, dampening, weightDecay, nesterov, firstStep, param, paramOff,
        grad, gradOff, velocity, velocityOff);
  }

  @Override
  public void adamUpdate(int n, float lr, float beta1, float beta2, float eps, float weightDecay,
                         boolean decoupledWeightDecay, int step, float[] param, int paramOff,
                         float[] grad, int gradOff, float[] m, int mOff, float[] v, int vOff) {
    PanamaFloatOptimizers.adamUpdate(n, lr, beta1, beta2, eps, weightDecay, decoupledWeightDecay, step, param,
        paramOff, grad, gradOff, m, mOff, v, vOff);
  }
}
