package dev.rnn4j.autograd;

import dev.rnn4j.tensor.Tensor;

/** {@code a * b} elementwise for equal shapes. d/da = b, d/db = a. */
final class Mul extends Function {

  @Override
  protected Tensor[] forward(Tensor... in) {
    saveForBackward(in[0], in[1]);
    Tensor out = Tensor.zerosLike(in[0]);
    StorageOps.of(out).mul(in[0], in[1], out);
    return new Tensor[] {out};
  }

  @Override
  protected Tensor[] backward(Tensor... g) {
    Tensor a = savedTensors()[0];
    Tensor b = savedTensors()[1];
    StorageOps ops = StorageOps.of(a);
    Tensor ga = null;
    Tensor gb = null;
    if (needsInputGrad(0)) {
      ga = Tensor.zerosLike(a);
      ops.mul(g[0], b, ga);
    }
    if (needsInputGrad(1)) {
      gb = Tensor.zerosLike(b);
      ops.mul(g[0], a, gb);
    }
    return new Tensor[] {ga, gb};
  }
}
