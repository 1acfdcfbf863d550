package dev.rnn4j.testing;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.kernels.testing.ErrorBounds;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Tensor;
import java.util.Optional;
import java.util.SplittableRandom;

/** Runs one op's forward and backward on two kernel sets and compares within the catalogue's derived bounds. */
public final class Agreement {

  private Agreement() {}

  /** The output and the input gradients of one run. */
  private record Run(double[] out, double[][] grads, int[] outShape) {}

  @SuppressWarnings("try")
  private static Run run(OpCatalog.Instance inst, Kernels kernels, long gradSeed) {
    try (KernelScope s = KernelScope.use(kernels)) {
      Tensor y = inst.f().apply(inst.inputs());
      Tensor g = Tensor.normal(y.dtype(), new SplittableRandom(gradSeed), 0, 1, y.shape());
      y.backward(g);
      double[][] grads = new double[inst.inputs().length][];
      for (int i = 0; i < grads.length; i++) {
        Tensor gi = inst.inputs()[i].grad();
        grads[i] = gi == null ? new double[inst.inputs()[i].numel()] : gi.toDoubleArray();
      }
      return new Run(y.toDoubleArray(), grads, y.shape());
    }
  }

  /**
   * Compares {@code c} on inputs drawn from {@code seed}: the first problem found, or empty when the output and every
   * input gradient agree within the bound.
   */
  public static Optional<String> compare(OpCatalog.Case c, long seed, DType dtype, int maxDim, Kernels k1,
                                         Kernels k2) {
    OpCatalog.Instance i1 = c.make(new SplittableRandom(seed), dtype, maxDim);
    OpCatalog.Instance i2 = c.make(new SplittableRandom(seed), dtype, maxDim);
    long gradSeed = seed * 31 + 7;
    Run r1 = run(i1, k1, gradSeed);
    Run r2 = run(i2, k2, gradSeed);
    double[][] in = new double[i1.inputs().length][];
    int[][] shapes = new int[in.length][];
    for (int i = 0; i < in.length; i++) {
      in[i] = i1.inputs()[i].toDoubleArray();
      shapes[i] = i1.inputs()[i].shape();
    }
    double[] seedValues = Tensor.normal(dtype, new SplittableRandom(gradSeed), 0, 1, r1.outShape()).toDoubleArray();
    OpCatalog.Ref ref = new OpCatalog.Ref(in, shapes, seedValues, r1.outShape());
    double[][] tol = i1.tolerance().of(ref, dtype == DType.FLOAT32 ? ErrorBounds.F32 : ErrorBounds.F64);
    String where = c.name() + " (" + i1.name() + ", " + dtype + ", seed " + seed + ", " + k1.name() + " vs "
        + k2.name() + ")";
    Optional<String> bad = within(where + " output", r1.out(), r2.out(), tol[0]);
    for (int i = 0; bad.isEmpty() && i < in.length; i++) {
      bad = within(where + " gradient of input " + i, r1.grads()[i], r2.grads()[i], tol[1 + i]);
    }
    return bad;
  }

  private static Optional<String> within(String what, double[] a, double[] b, double[] tol) {
    if (a.length != b.length || tol.length != a.length) {
      return Optional.of(what + ": lengths differ: " + a.length + ", " + b.length + ", bound " + tol.length);
    }
    for (int i = 0; i < a.length; i++) {
      double diff = Math.abs(a[i] - b[i]);
      boolean same = Double.compare(a[i], b[i]) == 0 || a[i] == b[i];
      if (!same && !(diff <= tol[i])) {
        return Optional.of(what + " [" + i + "]: " + a[i] + " vs " + b[i] + ", |difference| " + diff + " > bound "
            + tol[i]);
      }
    }
    return Optional.empty();
  }
}
