package dev.rnn4j.autograd;

import dev.rnn4j.tensor.Tensor;

/** Elementwise {@code y = max(x, 0); dy/dx = 1 where y > 0, else 0 (0 at x = 0, as PyTorch)}. Keeps the output for the backward pass. */
final class Relu extends Function {

  @Override
  protected Tensor[] forward(Tensor... in) {
    Tensor y = Tensor.zerosLike(in[0]);
    StorageOps.of(y).relu(in[0], y);
    saveForBackward(y);
    return new Tensor[] {y};
  }

  @Override
  protected Tensor[] backward(Tensor... g) {
    Tensor y = savedTensors()[0];
    Tensor gx = Tensor.zerosLike(y);
    StorageOps.of(y).reluBackward(y, g[0], gx);
    return new Tensor[] {gx};
  }
}
