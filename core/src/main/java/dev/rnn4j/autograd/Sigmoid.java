package dev.rnn4j.autograd;

import dev.rnn4j.tensor.Tensor;

/** Elementwise {@code y = 1 / (1 + e^-x); dy/dx = y (1 - y)}. Keeps the output for the backward pass. */
final class Sigmoid extends Function {

  @Override
  protected Tensor[] forward(Tensor... in) {
    Tensor y = Tensor.zerosLike(in[0]);
    StorageOps.of(y).sigmoid(in[0], y);
    saveForBackward(y);
    return new Tensor[] {y};
  }

  @Override
  protected Tensor[] backward(Tensor... g) {
    Tensor y = savedTensors()[0];
    Tensor gx = Tensor.zerosLike(y);
    StorageOps.of(y).sigmoidBackward(y, g[0], gx);
    return new Tensor[] {gx};
  }
}
