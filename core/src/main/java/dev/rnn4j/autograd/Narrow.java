package dev.rnn4j.autograd;

import dev.rnn4j.tensor.Shapes;
import dev.rnn4j.tensor.Tensor;

/**
 * Entries {@code [start, start + length)} along one dimension: a view for dimension 0, else a copy. The gradient is
 * the output gradient placed into zeros of the input's shape.
 */
final class Narrow extends Function {

  private final int dim;
  private final int start;
  private final int length;
  private int[] inShape;

  Narrow(int dim, int start, int length) {
    this.dim = dim;
    this.start = start;
    this.length = length;
  }

  @Override
  protected Tensor[] forward(Tensor... in) {
    Tensor x = in[0];
    inShape = x.shape();
    int[] shape = x.shape();
    shape[dim] = length;
    if (dim == 0) {
      return new Tensor[] {x.viewRange(start * Shapes.product(shape, 1, shape.length), shape)};
    }
    Tensor out = Tensor.zeros(x.dtype(), shape);
    Layout.copyNarrow(x, out, dim, start, length, true);
    return new Tensor[] {out};
  }

  @Override
  protected Tensor[] backward(Tensor... g) {
    Tensor gx = Tensor.zeros(g[0].dtype(), inShape);
    Layout.copyNarrow(gx, g[0], dim, start, length, false);
    return new Tensor[] {gx};
  }
}
