package dev.rnn4j.autograd;

import dev.rnn4j.tensor.Tensor;

/**
 * Matrix product through the kernels' gemm: {@code [M, K] x [K, N]}, batched {@code [B, M, K] x [B, K, N]}, and
 * {@code [B, M, K] x [K, N]} (the right operand shared by the batch). For C = A B: dA = dC B^T, dB = A^T dC, as gemm
 * calls with transpose flags; no transpose is materialised. Shapes are checked in {@link Ops#matmul}.
 */
final class MatMul extends Function {

  @Override
  protected Tensor[] forward(Tensor... in) {
    Tensor a = in[0];
    Tensor b = in[1];
    saveForBackward(a, b);
    int k = a.size(-1);
    int n = b.size(-1);
    StorageOps ops = StorageOps.of(a);
    if (b.rank() == 2) {
      // [M, K] x [K, N], or [B, M, K] x [K, N] as one [B*M, K] x [K, N] product.
      int m = a.rank() == 2 ? a.size(0) : a.size(0) * a.size(1);
      int[] shape = a.shape();
      shape[shape.length - 1] = n;
      Tensor c = Tensor.zeros(a.dtype(), shape);
      ops.gemm(false, false, m, n, k, 1, a, 0, k, b, 0, n, 0, c, 0, n);
      return new Tensor[] {c};
    }
    int batch = a.size(0);
    int m = a.size(1);
    Tensor c = Tensor.zeros(a.dtype(), batch, m, n);
    for (int i = 0; i < batch; i++) {
      ops.gemm(false, false, m, n, k, 1, a, i * m * k, k, b, i * k * n, n, 0, c, i * m * n, n);
    }
    return new Tensor[] {c};
  }

  @Override
  protected Tensor[] backward(Tensor... g) {
    Tensor a = savedTensors()[0];
    Tensor b = savedTensors()[1];
    Tensor dc = g[0];
    int k = a.size(-1);
    int n = b.size(-1);
    StorageOps ops = StorageOps.of(a);
    Tensor da = needsInputGrad(0) ? Tensor.zerosLike(a) : null;
    Tensor db = needsInputGrad(1) ? Tensor.zerosLike(b) : null;
    if (b.rank() == 2) {
      int m = a.rank() == 2 ? a.size(0) : a.size(0) * a.size(1);
      if (da != null) {
        ops.gemm(false, true, m, k, n, 1, dc, 0, n, b, 0, n, 0, da, 0, k); // [M,N] x [N,K]
      }
      if (db != null) {
        ops.gemm(true, false, k, n, m, 1, a, 0, k, dc, 0, n, 0, db, 0, n); // [K,M] x [M,N]
      }
      return new Tensor[] {da, db};
    }
    int batch = a.size(0);
    int m = a.size(1);
    for (int i = 0; i < batch; i++) {
      if (da != null) {
        ops.gemm(false, true, m, k, n, 1, dc, i * m * n, n, b, i * k * n, n, 0, da, i * m * k, k);
      }
      if (db != null) {
        ops.gemm(true, false, k, n, m, 1, a, i * m * k, k, dc, i * m * n, n, 0, db, i * k * n, n);
      }
    }
    return new Tensor[] {da, db};
  }
}
