package dev.rnn4j.autograd;

import dev.rnn4j.tensor.Tensor;

/**
 * Rows {@code indices} of a tensor along dimension 0 (gather, the embedding lookup). The gradient scatter-adds each
 * output row into the row it came from (an index used twice receives both rows' gradients).
 */
final class IndexSelect extends Function {

  private final int[] indices;
  private int[] inShape;

  IndexSelect(int[] indices) {
    this.indices = indices;
  }

  @Override
  protected Tensor[] forward(Tensor... in) {
    Tensor x = in[0];
    inShape = x.shape();
    int[] shape = x.shape();
    shape[0] = indices.length;
    int row = x.numel() == 0 ? 0 : x.numel() / inShape[0];
    Tensor out = Tensor.zeros(x.dtype(), shape);
    StorageOps ops = StorageOps.of(x);
    for (int i = 0; i < indices.length; i++) {
      ops.copy(x, indices[i] * row, out, i * row, row);
    }
    return new Tensor[] {out};
  }

  @Override
  protected Tensor[] backward(Tensor... g) {
    Tensor gx = Tensor.zeros(g[0].dtype(), inShape);
    int row = indices.length == 0 ? 0 : g[0].numel() / indices.length;
    StorageOps ops = StorageOps.of(gx);
    for (int i = 0; i < indices.length; i++) {
      ops.axpy(1, g[0], i * row, gx, indices[i] * row, row);
    }
    return new Tensor[] {gx};
  }
}
