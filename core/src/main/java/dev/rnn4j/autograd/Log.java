package dev.rnn4j.autograd;

import dev.rnn4j.tensor.Tensor;

/** Elementwise {@code y = ln x}; dy/dx = 1/x. Keeps the input for the backward pass. */
final class Log extends Function {

  @Override
  protected Tensor[] forward(Tensor... in) {
    Tensor y = Tensor.zerosLike(in[0]);
    StorageOps.of(y).log(in[0], y);
    saveForBackward(in[0]);
    return new Tensor[] {y};
  }

  @Override
  protected Tensor[] backward(Tensor... g) {
    Tensor x = savedTensors()[0];
    Tensor gx = Tensor.zerosLike(x);
    StorageOps.of(x).logBackward(x, g[0], gx);
    return new Tensor[] {gx};
  }
}
