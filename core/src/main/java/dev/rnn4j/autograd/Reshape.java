package dev.rnn4j.autograd;

import dev.rnn4j.tensor.Tensor;

/** The same elements under another shape, as a view. The gradient is reshaped back. */
final class Reshape extends Function {

  private final int[] shape;
  private int[] inShape;

  Reshape(int[] shape) {
    this.shape = shape;
  }

  @Override
  protected Tensor[] forward(Tensor... in) {
    inShape = in[0].shape();
    return new Tensor[] {in[0].viewAs(shape)};
  }

  @Override
  protected Tensor[] backward(Tensor... g) {
    return new Tensor[] {g[0].viewAs(inShape)};
  }
}
