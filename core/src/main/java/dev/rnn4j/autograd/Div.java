package dev.rnn4j.autograd;

import dev.rnn4j.tensor.Tensor;

/** {@code a / b} elementwise for equal shapes. d/da = 1/b, d/db = -a/b^2 = -out/b. */
final class Div extends Function {

  @Override
  protected Tensor[] forward(Tensor... in) {
    Tensor out = Tensor.zerosLike(in[0]);
    StorageOps.of(out).div(in[0], in[1], out);
    saveForBackward(in[1], out);
    return new Tensor[] {out};
  }

  @Override
  protected Tensor[] backward(Tensor... g) {
    Tensor b = savedTensors()[0];
    Tensor out = savedTensors()[1];
    StorageOps ops = StorageOps.of(b);
    Tensor ga = null;
    Tensor gb = null;
    if (needsInputGrad(0)) {
      ga = Tensor.zerosLike(b);
      ops.div(g[0], b, ga);
    }
    if (needsInputGrad(1)) {
      gb = Tensor.zerosLike(b);
      ops.mul(g[0], out, gb);
      ops.div(gb, b, gb);
      ops.scale(-1, gb, gb);
    }
    return new Tensor[] {ga, gb};
  }
}
