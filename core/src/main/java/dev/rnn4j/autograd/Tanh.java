package dev.rnn4j.autograd;

import dev.rnn4j.tensor.Tensor;

/** Elementwise {@code y = tanh x; dy/dx = 1 - y^2}. Keeps the output for the backward pass. */
final class Tanh extends Function {

  @Override
  protected Tensor[] forward(Tensor... in) {
    Tensor y = Tensor.zerosLike(in[0]);
    StorageOps.of(y).tanh(in[0], y);
    saveForBackward(y);
    return new Tensor[] {y};
  }

  @Override
  protected Tensor[] backward(Tensor... g) {
    Tensor y = savedTensors()[0];
    Tensor gx = Tensor.zerosLike(y);
    StorageOps.of(y).tanhBackward(y, g[0], gx);
    return new Tensor[] {gx};
  }
}
