package dev.rnn4j.autograd;

import dev.rnn4j.tensor.Tensor;

/** {@code x + alpha} for a constant alpha. d/dx = 1. */
final class AddScalar extends Function {

  private final double alpha;

  AddScalar(double alpha) {
    this.alpha = alpha;
  }

  @Override
  protected Tensor[] forward(Tensor... in) {
    Tensor out = Tensor.zerosLike(in[0]);
    StorageOps.of(out).addScalar(alpha, in[0], out);
    return new Tensor[] {out};
  }

  @Override
  protected Tensor[] backward(Tensor... g) {
    return new Tensor[] {g[0]};
  }
}
