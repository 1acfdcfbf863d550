package dev.rnn4j.autograd;

import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;

/** Conversion to another dtype. The gradient is converted back to the input's dtype. */
final class Convert extends Function {

  private final DType target;
  private DType source;

  Convert(DType target) {
    this.target = target;
  }

  @Override
  protected Tensor[] forward(Tensor... in) {
    source = in[0].dtype();
    return new Tensor[] {Layout.convert(in[0], target)};
  }

  @Override
  protected Tensor[] backward(Tensor... g) {
    return new Tensor[] {Layout.convert(g[0], source)};
  }
}
