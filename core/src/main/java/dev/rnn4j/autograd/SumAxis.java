package dev.rnn4j.autograd;

import dev.rnn4j.tensor.Tensor;

/** Sum along one axis (kept with size 1 or dropped). The gradient broadcasts back along that axis. */
final class SumAxis extends Function {

  private final int axis;
  private final boolean keepDim;
  private int[] inShape;
  private int[] keptShape;

  SumAxis(int axis, boolean keepDim) {
    this.axis = axis;
    this.keepDim = keepDim;
  }

  @Override
  protected Tensor[] forward(Tensor... in) {
    inShape = in[0].shape();
    Tensor kept = Layout.sumAxis(in[0], axis);
    keptShape = kept.shape();
    if (keepDim) {
      return new Tensor[] {kept};
    }
    int[] dropped = new int[inShape.length - 1];
    for (int i = 0, j = 0; i < inShape.length; i++) {
      if (i != axis) {
        dropped[j++] = inShape[i];
      }
    }
    return new Tensor[] {kept.viewAs(dropped)};
  }

  @Override
  protected Tensor[] backward(Tensor... g) {
    return new Tensor[] {Layout.expand(g[0].viewAs(keptShape), inShape)};
  }
}
