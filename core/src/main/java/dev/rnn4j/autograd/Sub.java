package dev.rnn4j.autograd;

import dev.rnn4j.tensor.Tensor;

/** {@code a - b} for equal shapes. d/da = 1, d/db = -1. */
final class Sub extends Function {

  @Override
  protected Tensor[] forward(Tensor... in) {
    Tensor out = Tensor.zerosLike(in[0]);
    StorageOps.of(out).sub(in[0], in[1], out);
    return new Tensor[] {out};
  }

  @Override
  protected Tensor[] backward(Tensor... g) {
    Tensor gb = null;
    if (needsInputGrad(1)) {
      gb = Tensor.zerosLike(g[0]);
      StorageOps.of(gb).scale(-1, g[0], gb);
    }
    return new Tensor[] {g[0], gb};
  }
}
