package dev.rnn4j.autograd;

import dev.rnn4j.tensor.Tensor;

/** Row-wise over the last axis: {@code y_j = e^{x_j} / sum_k e^{x_k}; dx = y * (dy - sum_k dy_k y_k)}. Keeps the output. */
final class Softmax extends Function {

  @Override
  protected Tensor[] forward(Tensor... in) {
    Tensor x = in[0];
    int cols = x.size(-1);
    int rows = cols == 0 ? 0 : x.numel() / cols;
    Tensor y = Tensor.zerosLike(x);
    StorageOps.of(y).softmax(rows, cols, x, y);
    saveForBackward(y);
    return new Tensor[] {y};
  }

  @Override
  protected Tensor[] backward(Tensor... g) {
    Tensor y = savedTensors()[0];
    int cols = y.size(-1);
    int rows = cols == 0 ? 0 : y.numel() / cols;
    Tensor gx = Tensor.zerosLike(y);
    StorageOps.of(y).softmaxBackward(rows, cols, y, g[0], gx);
    return new Tensor[] {gx};
  }
}
