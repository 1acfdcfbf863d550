package dev.rnn4j.kernels.testing;

// rnn4j:generate-float

import dev.rnn4j.kernels.DoubleKernels;
import dev.rnn4j.kernels.DoublePackedMatrix;
import java.util.Objects;

/**
 * A {@link DoubleKernels} that forwards every call to a delegate. Test implementations extend it and override the
 * kernels they change: the reassociating reference {@link ReassociatedDoubleKernels} and the deliberately broken
 * mutants of {@code BrokenDoubleKernels}.
 */
public abstract class ForwardingDoubleKernels implements DoubleKernels {

  /** The implementation every call not overridden goes to. */
  protected final DoubleKernels delegate;

  protected ForwardingDoubleKernels(DoubleKernels delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
                   double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
    delegate.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
  }

  @Override
  public DoublePackedMatrix packB(boolean transB, int k, int n, double[] b, int bOff, int ldb,
                                  DoublePackedMatrix reuse) {
    return delegate.packB(transB, k, n, b, bOff, ldb, reuse);
  }

  @Override
  public void gemmPacked(boolean transA, int m, double alpha, double[] a, int aOff, int lda, DoublePackedMatrix p,
                         double beta, double[] c, int cOff, int ldc) {
    delegate.gemmPacked(transA, m, alpha, a, aOff, lda, p, beta, c, cOff, ldc);
  }

  @Override
  public void gemmPackedBias(boolean transA, int m, double alpha, double[] a, int aOff, int lda, DoublePackedMatrix p,
                             double[] bias, int biasOff, double[] c, int cOff, int ldc) {
    delegate.gemmPackedBias(transA, m, alpha, a, aOff, lda, p, bias, biasOff, c, cOff, ldc);
  }

  @Override
  public void gemv(boolean trans, int m, int n, double alpha, double[] a, int aOff, int lda, double[] x, int xOff,
                   double beta, double[] y, int yOff) {
    delegate.gemv(trans, m, n, alpha, a, aOff, lda, x, xOff, beta, y, yOff);
  }

  @Override
  public void axpy(int n, double alpha, double[] x, int xOff, double[] y, int yOff) {
    delegate.axpy(n, alpha, x, xOff, y, yOff);
  }

  @Override
  public double dot(int n, double[] x, int xOff, double[] y, int yOff) {
    return delegate.dot(n, x, xOff, y, yOff);
  }

  @Override
  public void scal(int n, double alpha, double[] x, int xOff) {
    delegate.scal(n, alpha, x, xOff);
  }

  @Override
  public void add(int n, double[] a, int aOff, double[] b, int bOff, double[] out, int outOff) {
    delegate.add(n, a, aOff, b, bOff, out, outOff);
  }

  @Override
  public void sub(int n, double[] a, int aOff, double[] b, int bOff, double[] out, int outOff) {
    delegate.sub(n, a, aOff, b, bOff, out, outOff);
  }

  @Override
  public void mul(int n, double[] a, int aOff, double[] b, int bOff, double[] out, int outOff) {
    delegate.mul(n, a, aOff, b, bOff, out, outOff);
  }

  @Override
  public void div(int n, double[] a, int aOff, double[] b, int bOff, double[] out, int outOff) {
    delegate.div(n, a, aOff, b, bOff, out, outOff);
  }

  @Override
  public void scale(int n, double alpha, double[] x, int xOff, double[] out, int outOff) {
    delegate.scale(n, alpha, x, xOff, out, outOff);
  }

  @Override
  public void addScalar(int n, double alpha, double[] x, int xOff, double[] out, int outOff) {
    delegate.addScalar(n, alpha, x, xOff, out, outOff);
  }

  @Override
  public void fill(int n, double value, double[] out, int outOff) {
    delegate.fill(n, value, out, outOff);
  }

  @Override
  public void copy(int n, double[] x, int xOff, double[] out, int outOff) {
    delegate.copy(n, x, xOff, out, outOff);
  }

  @Override
  public void sigmoid(int n, double[] x, int xOff, double[] y, int yOff) {
    delegate.sigmoid(n, x, xOff, y, yOff);
  }

  @Override
  public void sigmoidBackward(int n, double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff) {
    delegate.sigmoidBackward(n, y, yOff, dy, dyOff, dx, dxOff);
  }

  @Override
  public void tanh(int n, double[] x, int xOff, double[] y, int yOff) {
    delegate.tanh(n, x, xOff, y, yOff);
  }

  @Override
  public void tanhBackward(int n, double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff) {
    delegate.tanhBackward(n, y, yOff, dy, dyOff, dx, dxOff);
  }

  @Override
  public void relu(int n, double[] x, int xOff, double[] y, int yOff) {
    delegate.relu(n, x, xOff, y, yOff);
  }

  @Override
  public void reluBackward(int n, double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff) {
    delegate.reluBackward(n, y, yOff, dy, dyOff, dx, dxOff);
  }

  @Override
  public void exp(int n, double[] x, int xOff, double[] y, int yOff) {
    delegate.exp(n, x, xOff, y, yOff);
  }

  @Override
  public void expBackward(int n, double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff) {
    delegate.expBackward(n, y, yOff, dy, dyOff, dx, dxOff);
  }

  @Override
  public void log(int n, double[] x, int xOff, double[] y, int yOff) {
    delegate.log(n, x, xOff, y, yOff);
  }

  @Override
  public void logBackward(int n, double[] x, int xOff, double[] dy, int dyOff, double[] dx, int dxOff) {
    delegate.logBackward(n, x, xOff, dy, dyOff, dx, dxOff);
  }

  @Override
  public double sum(int n, double[] x, int xOff) {
    return delegate.sum(n, x, xOff);
  }

  @Override
  public double max(int n, double[] x, int xOff) {
    return delegate.max(n, x, xOff);
  }

  @Override
  public double sumOfSquares(int n, double[] x, int xOff) {
    return delegate.sumOfSquares(n, x, xOff);
  }

  @Override
  public void addColumnSums(int rows, int cols, double[] x, int xOff, int ldx, double[] out, int outOff) {
    delegate.addColumnSums(rows, cols, x, xOff, ldx, out, outOff);
  }

  @Override
  public void softmax(int rows, int cols, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy) {
    delegate.softmax(rows, cols, x, xOff, ldx, y, yOff, ldy);
  }

  @Override
  public void softmaxBackward(int rows, int cols, double[] y, int yOff, double[] dy, int dyOff, double[] dx,
                              int dxOff) {
    delegate.softmaxBackward(rows, cols, y, yOff, dy, dyOff, dx, dxOff);
  }

  @Override
  public void logSoftmax(int rows, int cols, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy) {
    delegate.logSoftmax(rows, cols, x, xOff, ldx, y, yOff, ldy);
  }

  @Override
  public void logSoftmaxBackward(int rows, int cols, double[] y, int yOff, double[] dy, int dyOff, double[] dx,
                                 int dxOff) {
    delegate.logSoftmaxBackward(rows, cols, y, yOff, dy, dyOff, dx, dxOff);
  }

  @Override
  public void lstmForward(int batch, int hidden, double[] gates, int gatesOff, double[] cPrev, int cPrevOff,
                          double[] c, int cOff, double[] h, int hOff) {
    delegate.lstmForward(batch, hidden, gates, gatesOff, cPrev, cPrevOff, c, cOff, h, hOff);
  }

  @Override
  public void lstmBackward(int batch, int hidden, double[] gates, int gatesOff, double[] cPrev, int cPrevOff,
                           double[] c, int cOff, double[] dh, int dhOff, double[] dc, int dcOff, double[] dGates,
                           int dGatesOff) {
    delegate.lstmBackward(batch, hidden, gates, gatesOff, cPrev, cPrevOff, c, cOff, dh, dhOff, dc, dcOff, dGates,
        dGatesOff);
  }

  @Override
  public void gruForward(int batch, int hidden, double[] gi, int giOff, double[] gh, int ghOff, double[] hPrev,
                         int hPrevOff, double[] h, int hOff) {
    delegate.gruForward(batch, hidden, gi, giOff, gh, ghOff, hPrev, hPrevOff, h, hOff);
  }

  @Override
  public void gruBackward(int batch, int hidden, double[] gi, int giOff, double[] gh, int ghOff, double[] hPrev,
                          int hPrevOff, double[] dh, int dhOff, double[] dgi, int dgiOff, double[] dgh, int dghOff,
                          double[] dhPrev, int dhPrevOff) {
    delegate.gruBackward(batch, hidden, gi, giOff, gh, ghOff, hPrev, hPrevOff, dh, dhOff, dgi, dgiOff, dgh, dghOff,
        dhPrev, dhPrevOff);
  }

  @Override
  public void sgdUpdate(int n, double lr, double momentum, double dampening, double weightDecay, boolean nesterov,
                        boolean firstStep, double[] param, int paramOff, double[] grad, int gradOff,
                        double[] velocity, int velocityOff) {
    delegate.sgdUpdate(n, lr, momentum, dampening, weightDecay, nesterov, firstStep, param, paramOff, grad, gradOff,
        velocity, velocityOff);
  }

  @Override
  public void adamUpdate(int n, double lr, double beta1, double beta2, double eps, double weightDecay,
                         boolean decoupledWeightDecay, int step, double[] param, int paramOff, double[] grad,
                         int gradOff, double[] m, int mOff, double[] v, int vOff) {
    delegate.adamUpdate(n, lr, beta1, beta2, eps, weightDecay, decoupledWeightDecay, step, param, paramOff, grad,
        gradOff, m, mOff, v, vOff);
  }
}
