package dev.rnn4j.autograd;

import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;

/**
 * The per-dtype array work of the ops, written once against this interface. {@link DoubleStorageOps} is the float64
 * implementation; {@link FloatStorageOps} is generated from it. Each method passes a tensor's backing array and
 * offset to the kernels of {@link dev.rnn4j.tensor.KernelScope#current()}; positions ({@code pos}) count elements
 * from the tensor's offset. Arguments are trusted: the ops check shapes before calling.
 */
interface StorageOps {

  static StorageOps of(Tensor t) {
    return of(t.dtype());
  }

  static StorageOps of(DType dtype) {
    return dtype == DType.FLOAT32 ? FloatStorageOps.INSTANCE : DoubleStorageOps.INSTANCE;
  }

  void fill(Tensor out, int pos, int n, double value);

  void copy(Tensor src, int srcPos, Tensor dst, int dstPos, int n);

  void add(Tensor a, Tensor b, Tensor out);

  void sub(Tensor a, Tensor b, Tensor out);

  void mul(Tensor a, Tensor b, Tensor out);

  void div(Tensor a, Tensor b, Tensor out);

  void scale(double alpha, Tensor x, Tensor out);

  void addScalar(double alpha, Tensor x, Tensor out);

  void axpy(double alpha, Tensor x, int xPos, Tensor y, int yPos, int n);

  double sum(Tensor x, int pos, int n);

  double dot(Tensor x, int xPos, Tensor y, int yPos, int n);

  void addColumnSums(int rows, int cols, Tensor x, int xPos, Tensor out, int outPos);

  void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, Tensor a, int aPos, int lda,
            Tensor b, int bPos, int ldb, double beta, Tensor c, int cPos, int ldc);

  void sigmoid(Tensor x, Tensor y);

  void sigmoidBackward(Tensor y, Tensor dy, Tensor dx);

  void tanh(Tensor x, Tensor y);

  void tanhBackward(Tensor y, Tensor dy, Tensor dx);

  void relu(Tensor x, Tensor y);

  void reluBackward(Tensor y, Tensor dy, Tensor dx);

  void exp(Tensor x, Tensor y);

  void expBackward(Tensor y, Tensor dy, Tensor dx);

  void log(Tensor x, Tensor y);

  void logBackward(Tensor x, Tensor dy, Tensor dx);

  void softmax(int rows, int cols, Tensor x, Tensor y);

  void softmaxBackward(int rows, int cols, Tensor y, Tensor dy, Tensor dx);

  void logSoftmax(int rows, int cols, Tensor x, Tensor y);

  void logSoftmaxBackward(int rows, int cols, Tensor y, Tensor dy, Tensor dx);
}
