package dev.rnn4j.autograd;

import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Shapes;
import dev.rnn4j.tensor.Tensor;
import java.util.Arrays;

/**
 * Data movement and reductions over tensor layouts, shared by several primitives: index bookkeeping only; every
 * arithmetic loop and every block copy is a kernel call through {@link StorageOps}. No autograd here.
 */
final class Layout {

  private Layout() {}

  /** Row-major strides of a shape. */
  static int[] strides(int[] shape) {
    int[] s = new int[shape.length];
    int acc = 1;
    for (int i = shape.length - 1; i >= 0; i--) {
      s[i] = acc;
      acc *= shape[i];
    }
    return s;
  }

  /** Sum over {@code axis}, keeping it with size 1. */
  static Tensor sumAxis(Tensor x, int axis) {
    int[] shape = x.shape();
    int outer = Shapes.product(shape, 0, axis);
    int len = shape[axis];
    int inner = Shapes.product(shape, axis + 1, shape.length);
    int[] outShape = shape.clone();
    outShape[axis] = 1;
    Tensor out = Tensor.zeros(x.dtype(), outShape);
    StorageOps ops = StorageOps.of(x);
    for (int o = 0; o < outer; o++) {
      if (inner == 1) {
        out.setFlat(o, ops.sum(x, o * len, len));
      } else {
        ops.addColumnSums(len, inner, x, o * len * inner, out, o * inner);
      }
    }
    return out;
  }

  /** Reduces a gradient of a broadcast result back to the shape of the operand that was broadcast. */
  static Tensor sumTo(Tensor g, int[] shape) {
    int[] gs = g.shape();
    Tensor cur = g;
    int lead = gs.length - shape.length;
    if (lead > 0) {
      int[] merged = new int[shape.length + 1];
      merged[0] = Shapes.product(gs, 0, lead);
      System.arraycopy(gs, lead, merged, 1, shape.length);
      cur = sumAxis(cur.viewAs(merged), 0);
      cur = cur.viewAs(Arrays.copyOfRange(cur.shape(), 1, merged.length));
    }
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] == 1 && cur.size(i) != 1) {
        cur = sumAxis(cur, i);
      }
    }
    return cur == g ? g : cur.viewAs(shape);
  }

  /** A new tensor holding {@code x} broadcast to {@code shape} (which {@link Shapes#broadcastsTo} accepts). */
  static Tensor expand(Tensor x, int[] shape) {
    int[] src = new int[shape.length];
    int[] xs = x.shape();
    int lead = shape.length - xs.length;
    for (int i = 0; i < shape.length; i++) {
      src[i] = i < lead ? 1 : xs[i - lead];
    }
    Tensor out = Tensor.zeros(x.dtype(), shape);
    if (out.numel() == 0) {
      return out;
    }
    // onesFrom[d]: every source dimension from d on is 1 (the block is one repeated value);
    // sameFrom[d]: source and target agree from d on (the block is one contiguous copy).
    int r = shape.length;
    boolean[] onesFrom = new boolean[r + 1];
    boolean[] sameFrom = new boolean[r + 1];
    onesFrom[r] = true;
    sameFrom[r] = true;
    for (int d = r - 1; d >= 0; d--) {
      onesFrom[d] = onesFrom[d + 1] && src[d] == 1;
      sameFrom[d] = sameFrom[d + 1] && src[d] == shape[d];
    }
    expandInto(x, 0, strides(src), src, out, 0, strides(shape), shape, 0, onesFrom, sameFrom, StorageOps.of(x));
    return out;
  }

  private static void expandInto(Tensor x, int xPos, int[] xStrides, int[] src, Tensor out, int outPos,
                                 int[] outStrides, int[] shape, int d, boolean[] onesFrom, boolean[] sameFrom,
                                 StorageOps ops) {
    int block = d == shape.length ? 1 : outStrides[d] * shape[d];
    if (sameFrom[d]) {
      ops.copy(x, xPos, out, outPos, block);
      return;
    }
    if (onesFrom[d]) {
      ops.fill(out, outPos, block, x.getFlat(xPos));
      return;
    }
    for (int i = 0; i < shape[d]; i++) {
      int xi = src[d] == 1 ? xPos : xPos + i * xStrides[d];
      expandInto(x, xi, xStrides, src, out, outPos + i * outStrides[d], outStrides, shape, d + 1, onesFrom,
          sameFrom, ops);
    }
  }

  /** A new tensor with the dimensions of {@code x} permuted: {@code out.shape[i] = x.shape[perm[i]]}. */
  static Tensor permute(Tensor x, int[] perm) {
    int[] xs = x.shape();
    int r = xs.length;
    int[] shape = new int[r];
    for (int i = 0; i < r; i++) {
      shape[i] = xs[perm[i]];
    }
    Tensor out = Tensor.zeros(x.dtype(), shape);
    if (out.numel() == 0) {
      return out;
    }
    int[] xStrides = strides(xs);
    StorageOps ops = StorageOps.of(x);
    // When the last dimension stays last, rows are contiguous on both sides: one block copy per row.
    boolean rowCopy = perm[r - 1] == r - 1;
    int run = rowCopy ? shape[r - 1] : 1;
    int loopDims = rowCopy ? r - 1 : r;
    int[] idx = new int[r];
    int count = out.numel() / run;
    for (int c = 0, outPos = 0; c < count; c++, outPos += run) {
      int xPos = 0;
      for (int i = 0; i < loopDims; i++) {
        xPos += idx[i] * xStrides[perm[i]];
      }
      if (rowCopy) {
        ops.copy(x, xPos, out, outPos, run);
      } else {
        out.setFlat(outPos, x.getFlat(xPos));
      }
      for (int i = loopDims - 1; i >= 0; i--) {
        if (++idx[i] < shape[i]) {
          break;
        }
        idx[i] = 0;
      }
    }
    return out;
  }

  /** The inverse of a permutation. */
  static int[] inverse(int[] perm) {
    int[] inv = new int[perm.length];
    for (int i = 0; i < perm.length; i++) {
      inv[perm[i]] = i;
    }
    return inv;
  }

  /**
   * Copies entries {@code [start, start + length)} along {@code dim} between a tensor of shape {@code full} and a
   * tensor of the narrowed shape: {@code toNarrow} true copies full -> part, else part -> full.
   */
  static void copyNarrow(Tensor fullT, Tensor part, int dim, int start, int length, boolean toNarrow) {
    int[] full = fullT.shape();
    int outer = Shapes.product(full, 0, dim);
    int inner = Shapes.product(full, dim + 1, full.length);
    int fullBlock = full[dim] * inner;
    int partBlock = length * inner;
    StorageOps ops = StorageOps.of(fullT);
    for (int o = 0; o < outer; o++) {
      if (toNarrow) {
        ops.copy(fullT, o * fullBlock + start * inner, part, o * partBlock, partBlock);
      } else {
        ops.copy(part, o * partBlock, fullT, o * fullBlock + start * inner, partBlock);
      }
    }
  }

  /** A copy of {@code x} in another dtype (rounding to nearest when narrowing to float32). */
  static Tensor convert(Tensor x, DType target) {
    return target == DType.FLOAT32 ? Tensor.fromArray(x.toFloatArray(), x.shape())
        : Tensor.fromArray(x.toDoubleArray(), x.shape());
  }
}
