package dev.rnn4j.autograd;

import dev.rnn4j.tensor.Tensor;

/** Joins tensors along one dimension (a copy). Each input's gradient is its slice of the output gradient. */
final class Concat extends Function {

  private final int dim;
  private int[] starts;
  private int[][] inShapes;

  Concat(int dim) {
    this.dim = dim;
  }

  @Override
  protected Tensor[] forward(Tensor... in) {
    int[] shape = in[0].shape();
    starts = new int[in.length];
    inShapes = new int[in.length][];
    int total = 0;
    for (int i = 0; i < in.length; i++) {
      starts[i] = total;
      inShapes[i] = in[i].shape();
      total += in[i].size(dim);
    }
    shape[dim] = total;
    Tensor out = Tensor.zeros(in[0].dtype(), shape);
    for (int i = 0; i < in.length; i++) {
      Layout.copyNarrow(out, in[i], dim, starts[i], inShapes[i][dim], false);
    }
    return new Tensor[] {out};
  }

  @Override
  protected Tensor[] backward(Tensor... g) {
    Tensor[] gs = new Tensor[starts.length];
    for (int i = 0; i < gs.length; i++) {
      if (needsInputGrad(i)) {
        gs[i] = Tensor.zeros(g[0].dtype(), inShapes[i]);
        Layout.copyNarrow(g[0], gs[i], dim, starts[i], inShapes[i][dim], true);
      }
    }
    return gs;
  }
}
