package dev.rnn4j.nn.recurrent;

import dev.rnn4j.autograd.Ops;
import dev.rnn4j.tensor.Tensor;
import java.util.function.DoubleUnaryOperator;

/**
 * A value of the composed reference together with its absolute linearisation: {@code value} is the ordinary forward
 * value (detached), {@code linear} is built from autograd ops in which every local derivative is replaced by its
 * absolute value at that forward point. Backward through {@code linear} therefore sums, for every leaf, the absolute
 * values of the products of local derivatives along each path instead of the signed products: the quantity
 * {@code sum |path products|} that a first-order rounding-error bound of a gradient names, which no cancellation
 * between paths can make small. The rules:
 *
 * <ul>
 *   <li>{@code y = f(a)} (tanh, sigmoid, relu): {@code y' = a' |f'(a)|};
 *   <li>{@code y = a b}: {@code y' = a' |b| + |a| b'}; {@code y = a W^T}: {@code y' = a' |W|^T + |a| W'^T};
 *   <li>{@code y = a + b} and {@code y = a - b}: {@code y' = a' + b'};
 *   <li>views, concatenations and stacks act on both parts alike.
 * </ul>
 *
 * The absolute values and derivatives are detached constants, so {@code linear} is linear in the leaves' linear
 * parts; a leaf's own value serves as both (its gradient is what is read).
 */
record PathMagnitude(Tensor value, Tensor linear) {

  /** A leaf: the tensor whose gradient will hold the magnitudes. */
  static PathMagnitude leaf(Tensor t) {
    return new PathMagnitude(t.detach(), t);
  }

  /** A constant (a zero initial state, padding): no paths through it. */
  static PathMagnitude constant(Tensor t) {
    return new PathMagnitude(t, t);
  }

  PathMagnitude add(PathMagnitude o) {
    return new PathMagnitude(value.add(o.value), linear.add(o.linear));
  }

  PathMagnitude sub(PathMagnitude o) {
    return new PathMagnitude(value.sub(o.value), linear.add(o.linear));
  }

  PathMagnitude mul(PathMagnitude o) {
    return new PathMagnitude(value.mul(o.value), linear.mul(abs(o.value)).add(abs(value).mul(o.linear)));
  }

  /** {@code this W^T} for a weight W ([out, in]). */
  PathMagnitude matmulTransposed(PathMagnitude w) {
    return new PathMagnitude(value.matmul(w.value.transpose()),
        linear.matmul(abs(w.value).transpose()).add(abs(value).matmul(w.linear.transpose())));
  }

  PathMagnitude tanh() {
    Tensor y = value.tanh();
    return new PathMagnitude(y, linear.mul(map(y, t -> 1 - t * t)));
  }

  PathMagnitude sigmoid() {
    Tensor y = value.sigmoid();
    return new PathMagnitude(y, linear.mul(map(y, s -> s * (1 - s))));
  }

  PathMagnitude relu() {
    return new PathMagnitude(value.relu(), linear.mul(map(value, a -> a > 0 ? 1 : 0)));
  }

  PathMagnitude narrow(int dim, int start, int length) {
    return new PathMagnitude(value.narrow(dim, start, length), linear.narrow(dim, start, length));
  }

  PathMagnitude select(int i) {
    return new PathMagnitude(value.select(i), linear.select(i));
  }

  PathMagnitude reshape(int... shape) {
    return new PathMagnitude(value.reshape(shape), linear.reshape(shape));
  }

  PathMagnitude transpose(int dim0, int dim1) {
    return new PathMagnitude(value.transpose(dim0, dim1), linear.transpose(dim0, dim1));
  }

  static PathMagnitude concat(int dim, PathMagnitude... parts) {
    return new PathMagnitude(Ops.concat(dim, values(parts)), Ops.concat(dim, linears(parts)));
  }

  static PathMagnitude stack(int dim, PathMagnitude... parts) {
    return new PathMagnitude(Ops.stack(dim, values(parts)), Ops.stack(dim, linears(parts)));
  }

  private static Tensor[] values(PathMagnitude[] parts) {
    Tensor[] t = new Tensor[parts.length];
    for (int i = 0; i < parts.length; i++) {
      t[i] = parts[i].value;
    }
    return t;
  }

  private static Tensor[] linears(PathMagnitude[] parts) {
    Tensor[] t = new Tensor[parts.length];
    for (int i = 0; i < parts.length; i++) {
      t[i] = parts[i].linear;
    }
    return t;
  }

  /** |t|, detached. */
  static Tensor abs(Tensor t) {
    return map(t, Math::abs);
  }

  /** f applied to each element of t's value, as a new detached float64 tensor of t's shape. */
  static Tensor map(Tensor t, DoubleUnaryOperator f) {
    double[] a = t.toDoubleArray();
    for (int i = 0; i < a.length; i++) {
      a[i] = f.applyAsDouble(a[i]);
    }
    return Tensor.fromArray(a, t.shape());
  }
}
