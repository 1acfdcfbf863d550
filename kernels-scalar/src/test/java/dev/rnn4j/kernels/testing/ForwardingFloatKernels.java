package dev.rnn4j.kernels.testing;

// Generated from ForwardingDoubleKernels.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.kernels.FloatPackedMatrix;
import java.util.Objects;

/**
 * A {@link FloatKernels} that forwards every call to a delegate. Test implementations extend it and override the
 * kernels they change: the reassociating reference {@link ReassociatedFloatKernels} and the deliberately broken
 * mutants of {@code BrokenFloatKernels}.
 */
public abstract class ForwardingFloatKernels implements FloatKernels {

  /** The implementation every call not overridden goes to. */
  protected final FloatKernels delegate;

  protected ForwardingFloatKernels(FloatKernels delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                   float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    delegate.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
  }

  @Override
  public FloatPackedMatrix packB(boolean transB, int k, int n, float[] b, int bOff, int ldb,
                                  FloatPackedMatrix reuse) {
    return delegate.packB(transB, k, n, b, bOff, ldb, reuse);
  }

  @Override
  public void gemmPacked(boolean transA, int m, float alpha, float[] a, int aOff, int lda, FloatPackedMatrix p,
                         float beta, float[] c, int cOff, int ldc) {
    delegate.gemmPacked(transA, m, alpha, a, aOff, lda, p, beta, c, cOff, ldc);
  }

  @Override
  public void gemmPackedBias(boolean transA, int m, float alpha, float[] a, int aOff, int lda, FloatPackedMatrix p,
                             float[] bias, int biasOff, float[] c, int cOff, int ldc) {
    delegate.gemmPackedBias(transA, m, alpha, a, aOff, lda, p, bias, biasOff, c, cOff, ldc);
  }

  @Override
  public void gemv(boolean trans, int m, int n, float alpha, float[] a, int aOff, int lda, float[] x, int xOff,
                   float beta, float[] y, int yOff) {
    delegate.gemv(trans, m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
  }

  @Override
  public void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
    delegate.axpy(n, alpha, x, xOff, y, yOff);
  }

  @Override
  public float dot(int n, float[] x, int xOff, float[] y, int yOff) {
    return delegate.dot(n, x, xOff, y, yOff);
  }

  @Override
  public void scal(int n, float alpha, float[] x, int xOff) {
    delegate.scal(n, alpha, x, xOff);
  }

  @Override
  public void add(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
    delegate.add(n, a, aOff, b, bOff, out, outOff);
  }

  @Override
  public void sub(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
    delegate.sub(n, a, aOff, b, bOff, out, outOff);
  }

  @Override
  public void mul(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
    delegate.mul(n, a, aOff, b, bOff, out, outOff);
  }

  @Override
  public void div(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
    delegate.div(n, a, aOff, b, bOff, out, outOff);
  }

  @Override
  public void scale(int n, float alpha, float[] x, int xOff, float[] out, int outOff) {
    delegate.scale(n, alpha, x, xOff, out, outOff);
  }

  @Override
  public void addScalar(int n, float alpha, float[] x, int xOff, float[] out, int outOff) {
    delegate.addScalar(n, alpha, x, xOff, out, outOff);
  }

  @Override
  public void fill(int n, float value, float[] out, int outOff) {
    delegate.fill(n, value, out, outOff);
  }

  @Override
  public void copy(int n, float[] x, int xOff, float[] out, int outOff) {
    delegate.copy(n, x, xOff, out, outOff);
  }

  @Override
  public void sigmoid(int n, float[] x, int xOff, float[] y, int yOff) {
    delegate.sigmoid(n, x, xOff, y, yOff);
  }

  @Override
  public void sigmoidBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
    delegate.sigmoidBackward(n, y, yOff, dy, dyOff, dx, dxOff);
  }

  @Override
  public void tanh(int n, float[] x, int xOff, float[] y, int yOff) {
    delegate.tanh(n, x, xOff, y, yOff);
  }

  @Override
  public void tanhBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
    delegate.tanhBackward(n, y, yOff, dy, dyOff, dx, dxOff);
  }

  @Override
  public void relu(int n, float[] x, int xOff, float[] y, int yOff) {
    delegate.relu(n, x, xOff, y, yOff);
  }

  @Override
  public void reluBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
    delegate.reluBackward(n, y, yOff, dy, dyOff, dx, dxOff);
  }

  @Override
  public void exp(int n, float[] x, int xOff, float[] y, int yOff) {
    delegate.exp(n, x, xOff, y, yOff);
  }

  @Override
  public void expBackward(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
    delegate.expBackward(n, y, yOff, dy, dyOff, dx, dxOff);
  }

  @Override
  public void log(int n, float[] x, int xOff, float[] y, int yOff) {
    delegate.log(n, x, xOff, y, yOff);
  }

  @Override
  public void logBackward(int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
    delegate.logBackward(n, x, xOff, dy, dyOff, dx, dxOff);
  }

  @Override
  public float sum(int n, float[] x, int xOff) {
    return delegate.sum(n, x, xOff);
  }

  @Override
  public float max(int n, float[] x, int xOff) {
    return delegate.max(n, x, xOff);
  }

  @Override
  public float sumOfSquares(int n, float[] x, int xOff) {
    return delegate.sumOfSquares(n, x, xOff);
  }

  @Override
  public void addColumnSums(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff) {
    delegate.addColumnSums(rows, cols, x, xOff, ldx, out, outOff);
  }

  @Override
  public void softmax(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
    delegate.softmax(rows, cols, x, xOff, ldx, y, yOff, ldy);
  }

  @Override
  public void softmaxBackward(int rows, int cols, float[] y, int yOff, float[] dy, int dyOff, float[] dx,
                              int dxOff) {
    delegate.softmaxBackward(rows, cols, y, yOff, dy, dyOff, dx, dxOff);
  }

  @Override
  public void logSoftmax(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
    delegate.logSoftmax(rows, cols, x, xOff, ldx, y, yOff, ldy);
  }

  @Override
  public void logSoftmaxBackward(int rows, int cols, float[] y, int yOff, float[] dy, int dyOff, float[] dx,
                                 int dxOff) {
    delegate.logSoftmaxBackward(rows, cols, y, yOff, dy, dyOff, dx, dxOff);
  }

  @Override
  public void lstmForward(int batch, int hidden, float[] gates, int gatesOff, float[] cPrev, int cPrevOff,
                          float[] c, int cOff, float[] h, int hOff) {
    delegate.lstmForward(batch, hidden, gates, gatesOff, cPrev, cPrevOff, c, cOff, h, hOff);
  }

  @Override
  public void lstmBackward(int batch, int hidden, float[] gates, int gatesOff, float[] cPrev, int cPrevOff,
                           float[] c, int cOff, float[] dh, int dhOff, float[] dc, int dcOff, float[] dGates,
                           int dGatesOff) {
    delegate.lstmBackward(batch, hidden, gates, gatesOff, cPrev, cPrevOff, c, cOff, dh, dhOff, dc, dcOff, dGates,
        dGatesOff);
  }

  @Override
  public void gruForward(int batch, int hidden, float[] gi, int giOff, float[] gh, int ghOff, float[] hPrev,
                         int hPrevOff, float[] h, int hOff) {
    delegate.gruForward(batch, hidden, gi, giOff, gh, ghOff, hPrev, hPrevOff, h, hOff);
  }

  @Override
  public void gruBackward(int batch, int hidden, float[] gi, int giOff, float[] gh, int ghOff, float[] hPrev,
                          int hPrevOff, float[] dh, int dhOff, float[] dgi, int dgiOff, float[] dgh, int dghOff,
                          float[] dhPrev, int dhPrevOff) {
    delegate.gruBackward(batch, hidden, gi, giOff, gh, ghOff, hPrev, hPrevOff, dh, dhOff, dgi, dgiOff, dgh, dghOff,
        dhPrev, dhPrevOff);
  }

  @Override
  public void sgdUpdate(int n, float lr, float momentum, float dampening, float weightDecay, boolean nesterov,
                        boolean firstStep, float[] param, int paramOff, float[] grad, int gradOff,
                        float[] velocity, int velocityOff) {
    delegate.sgdUpdate(n, lr, momentum, dampening, weightDecay, nesterov, firstStep, param, paramOff, grad, gradOff,
        velocity, velocityOff);
  }

  @Override
  public void adamUpdate(int n, float lr, float beta1, float beta2, float eps, float weightDecay,
                         boolean decoupledWeightDecay, int step, float[] param, int paramOff, float[] grad,
                         int gradOff, float[] m, int mOff, float[] v, int vOff) {
    delegate.adamUpdate(n, lr, beta1, beta2, eps, weightDecay, decoupledWeightDecay, step, param, paramOff, grad,
        gradOff, m, mOff, v, vOff);
  }
}
