package dev.rnn4j.autograd;

import dev.rnn4j.tensor.Tensor;

/** Elementwise {@code y = e^x; dy/dx = y}. Keeps the output for the backward pass. */
final class Exp extends Function {

  @Override
  protected Tensor[] forward(Tensor... in) {
    Tensor y = Tensor.zerosLike(in[0]);
    StorageOps.of(y).exp(in[0], y);
    saveForBackward(y);
    return new Tensor[] {y};
  }

  @Override
  protected Tensor[] backward(Tensor... g) {
    Tensor y = savedTensors()[0];
    Tensor gx = Tensor.zerosLike(y);
    StorageOps.of(y).expBackward(y, g[0], gx);
    return new Tensor[] {gx};
  }
}
