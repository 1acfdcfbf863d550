package dev.rnn4j.autograd;

import dev.rnn4j.tensor.Tensor;

/** Sum of all elements, shape {@code []}. d/dx_i = 1: the gradient is the output gradient everywhere. */
final class SumAll extends Function {

  private int[] inShape;

  @Override
  protected Tensor[] forward(Tensor... in) {
    inShape = in[0].shape();
    Tensor out = Tensor.zeros(in[0].dtype());
    out.setFlat(0, StorageOps.of(in[0]).sum(in[0], 0, in[0].numel()));
    return new Tensor[] {out};
  }

  @Override
  protected Tensor[] backward(Tensor... g) {
    return new Tensor[] {Tensor.full(g[0].dtype(), g[0].item(), inShape)};
  }
}
