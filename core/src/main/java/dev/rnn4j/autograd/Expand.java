package dev.rnn4j.autograd;

import dev.rnn4j.tensor.Tensor;

/** Broadcast to a larger shape (materialised). The gradient is summed back over the broadcast dimensions. */
final class Expand extends Function {

  private final int[] shape;
  private int[] inShape;

  Expand(int[] shape) {
    this.shape = shape;
  }

  @Override
  protected Tensor[] forward(Tensor... in) {
    inShape = in[0].shape();
    return new Tensor[] {Layout.expand(in[0], shape)};
  }

  @Override
  protected Tensor[] backward(Tensor... g) {
    return new Tensor[] {Layout.sumTo(g[0], inShape)};
  }
}
