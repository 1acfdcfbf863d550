package dev.rnn4j.autograd;

import dev.rnn4j.tensor.Tensor;

/** Reorders dimensions (materialised). The gradient is permuted back by the inverse permutation. */
final class Permute extends Function {

  private final int[] perm;

  Permute(int[] perm) {
    this.perm = perm;
  }

  @Override
  protected Tensor[] forward(Tensor... in) {
    return new Tensor[] {Layout.permute(in[0], perm)};
  }

  @Override
  protected Tensor[] backward(Tensor... g) {
    return new Tensor[] {Layout.permute(g[0], Layout.inverse(perm))};
  }
}
