package dev.rnn4j.autograd;

// Generated from DoubleStorageOps.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Tensor;

/** {@link StorageOps} for float32 tensors: each call forwards a tensor's array and offset to the f32 kernels. */
// Scalar arguments arrive in 64 bits whatever the precision; the casts narrow them in the generated 32-bit twin.
@SuppressWarnings("cast")
final class FloatStorageOps implements StorageOps {

  static final FloatStorageOps INSTANCE = new FloatStorageOps();

  private FloatStorageOps() {}

  private static FloatKernels k() {
    return KernelScope.current().f32();
  }

  private static float[] d(Tensor t) {
    return t.floatData();
  }

  @Override
  public void fill(Tensor out, int pos, int n, double value) {
    k().fill(n, (float) value, d(out), out.offset() + pos);
  }

  @Override
  public void copy(Tensor src, int srcPos, Tensor dst, int dstPos, int n) {
    k().copy(n, d(src), src.offset() + srcPos, d(dst), dst.offset() + dstPos);
  }

  @Override
  public void add(Tensor a, Tensor b, Tensor out) {
    k().add(out.numel(), d(a), a.offset(), d(b), b.offset(), d(out), out.offset());
  }

  @Override
  public void sub(Tensor a, Tensor b, Tensor out) {
    k().sub(out.numel(), d(a), a.offset(), d(b), b.offset(), d(out), out.offset());
  }

  @Override
  public void mul(Tensor a, Tensor b, Tensor out) {
    k().mul(out.numel(), d(a), a.offset(), d(b), b.offset(), d(out), out.offset());
  }

  @Override
  public void div(Tensor a, Tensor b, Tensor out) {
    k().div(out.numel(), d(a), a.offset(), d(b), b.offset(), d(out), out.offset());
  }

  @Override
  public void scale(double alpha, Tensor x, Tensor out) {
    k().scale(out.numel(), (float) alpha, d(x), x.offset(), d(out), out.offset());
  }

  @Override
  public void addScalar(double alpha, Tensor x, Tensor out) {
    k().addScalar(out.numel(), (float) alpha, d(x), x.offset(), d(out), out.offset());
  }

  @Override
  public void axpy(double alpha, Tensor x, int xPos, Tensor y, int yPos, int n) {
    k().axpy(n, (float) alpha, d(x), x.offset() + xPos, d(y), y.offset() + yPos);
  }

  @Override
  public double sum(Tensor x, int pos, int n) {
    return k().sum(n, d(x), x.offset() + pos);
  }

  @Override
  public double dot(Tensor x, int xPos, Tensor y, int yPos, int n) {
    return k().dot(n, d(x), x.offset() + xPos, d(y), y.offset() + yPos);
  }

  @Override
  public void addColumnSums(int rows, int cols, Tensor x, int xPos, Tensor out, int outPos) {
    k().addColumnSums(rows, cols, d(x), x.offset() + xPos, cols, d(out), out.offset() + outPos);
  }

  @Override
  public void gemm(boolean transA, boolean transB, int m, int n, int kk, double alpha,
                   Tensor a, int aPos, int lda, Tensor b, int bPos, int ldb,
                   double beta, Tensor c, int cPos, int ldc) {
    k().gemm(transA, transB, m, n, kk, (float) alpha, d(a), a.offset() + aPos, lda, d(b), b.offset() + bPos, ldb,
        (float) beta, d(c), c.offset() + cPos, ldc);
  }

  @Override
  public void sigmoid(Tensor x, Tensor y) {
    k().sigmoid(y.numel(), d(x), x.offset(), d(y), y.offset());
  }

  @Override
  public void sigmoidBackward(Tensor y, Tensor dy, Tensor dx) {
    k().sigmoidBackward(dx.numel(), d(y), y.offset(), d(dy), dy.offset(), d(dx), dx.offset());
  }

  @Override
  public void tanh(Tensor x, Tensor y) {
    k().tanh(y.numel(), d(x), x.offset(), d(y), y.offset());
  }

  @Override
  public void tanhBackward(Tensor y, Tensor dy, Tensor dx) {
    k().tanhBackward(dx.numel(), d(y), y.offset(), d(dy), dy.offset(), d(dx), dx.offset());
  }

  @Override
  public void relu(Tensor x, Tensor y) {
    k().relu(y.numel(), d(x), x.offset(), d(y), y.offset());
  }

  @Override
  public void reluBackward(Tensor y, Tensor dy, Tensor dx) {
    k().reluBackward(dx.numel(), d(y), y.offset(), d(dy), dy.offset(), d(dx), dx.offset());
  }

  @Override
  public void exp(Tensor x, Tensor y) {
    k().exp(y.numel(), d(x), x.offset(), d(y), y.offset());
  }

  @Override
  public void expBackward(Tensor y, Tensor dy, Tensor dx) {
    k().expBackward(dx.numel(), d(y), y.offset(), d(dy), dy.offset(), d(dx), dx.offset());
  }

  @Override
  public void log(Tensor x, Tensor y) {
    k().log(y.numel(), d(x), x.offset(), d(y), y.offset());
  }

  @Override
  public void logBackward(Tensor x, Tensor dy, Tensor dx) {
    k().logBackward(dx.numel(), d(x), x.offset(), d(dy), dy.offset(), d(dx), dx.offset());
  }

  @Override
  public void softmax(int rows, int cols, Tensor x, Tensor y) {
    k().softmax(rows, cols, d(x), x.offset(), cols, d(y), y.offset(), cols);
  }

  @Override
  public void softmaxBackward(int rows, int cols, Tensor y, Tensor dy, Tensor dx) {
    k().softmaxBackward(rows, cols, d(y), y.offset(), d(dy), dy.offset(), d(dx), dx.offset());
  }

  @Override
  public void logSoftmax(int rows, int cols, Tensor x, Tensor y) {
    k().logSoftmax(rows, cols, d(x), x.offset(), cols, d(y), y.offset(), cols);
  }

  @Override
  public void logSoftmaxBackward(int rows, int cols, Tensor y, Tensor dy, Tensor dx) {
    k().logSoftmaxBackward(rows, cols, d(y), y.offset(), d(dy), dy.offset(), d(dx), dx.offset());
  }
}
