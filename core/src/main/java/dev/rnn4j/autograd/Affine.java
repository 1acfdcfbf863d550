package dev.rnn4j.autograd;

import dev.rnn4j.tensor.Tensor;

/**
 * The affine map of a linear layer, {@code y = x W^T + b}, with x viewed as {@code [R, I]} (all leading dimensions
 * flattened), W {@code [O, I]} in PyTorch's layout and an optional bias {@code [O]}. One gemm with a transposed W
 * instead of a materialised transpose; the bias is copied into each output row first and the gemm accumulates onto
 * it (beta = 1). Backward: dX = dY W, dW = dY^T X, db = column sums of dY, each one kernel call.
 */
final class Affine extends Function {

  private int rows;
  private int in;
  private int out;
  private boolean hasBias;

  @Override
  protected Tensor[] forward(Tensor... inputs) {
    Tensor x = inputs[0];
    Tensor w = inputs[1];
    hasBias = inputs.length == 3;
    out = w.size(0);
    in = w.size(1);
    rows = 1;
    for (int d = 0; d < x.rank() - 1; d++) {
      rows *= x.size(d);
    }
    saveForBackward(x, w);
    int[] shape = x.shape();
    shape[shape.length - 1] = out;
    Tensor y = Tensor.zeros(x.dtype(), shape);
    StorageOps ops = StorageOps.of(x);
    if (hasBias) {
      for (int r = 0; r < rows; r++) {
        ops.copy(inputs[2], 0, y, r * out, out);
      }
    }
    ops.gemm(false, true, rows, out, in, 1, x, 0, in, w, 0, in, hasBias ? 1 : 0, y, 0, out);
    return new Tensor[] {y};
  }

  @Override
  protected Tensor[] backward(Tensor... g) {
    Tensor x = savedTensors()[0];
    Tensor w = savedTensors()[1];
    Tensor dy = g[0];
    StorageOps ops = StorageOps.of(x);
    Tensor[] grads = new Tensor[hasBias ? 3 : 2];
    if (needsInputGrad(0)) {
      grads[0] = Tensor.zerosLike(x);
      ops.gemm(false, false, rows, in, out, 1, dy, 0, out, w, 0, in, 0, grads[0], 0, in);
    }
    if (needsInputGrad(1)) {
      grads[1] = Tensor.zerosLike(w);
      ops.gemm(true, false, out, in, rows, 1, dy, 0, out, x, 0, in, 0, grads[1], 0, in);
    }
    if (hasBias && needsInputGrad(2)) {
      grads[2] = Tensor.zeros(dy.dtype(), out);
      ops.addColumnSums(rows, out, dy, 0, grads[2], 0);
    }
    return grads;
  }
}
