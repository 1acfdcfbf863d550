package dev.rnn4j.autograd;

import dev.rnn4j.tensor.Tensor;

/** {@code alpha * x} for a constant alpha. d/dx = alpha. */
final class Scale extends Function {

  private final double alpha;

  Scale(double alpha) {
    this.alpha = alpha;
  }

  @Override
  protected Tensor[] forward(Tensor... in) {
    Tensor out = Tensor.zerosLike(in[0]);
    StorageOps.of(out).scale(alpha, in[0], out);
    return new Tensor[] {out};
  }

  @Override
  protected Tensor[] backward(Tensor... g) {
    Tensor gx = Tensor.zerosLike(g[0]);
    StorageOps.of(gx).scale(alpha, g[0], gx);
    return new Tensor[] {gx};
  }
}
