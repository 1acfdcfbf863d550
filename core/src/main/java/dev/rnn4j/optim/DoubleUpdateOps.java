package dev.rnn4j.optim;

// rnn4j:generate-float

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.tensor.Tensor;

/** {@link UpdateOps} for float64 parameters: each call passes the tensors' arrays and offsets to the f64 kernels. */
// Hyperparameters arrive in 64 bits whatever the precision; the casts narrow them in the generated 32-bit twin.
@SuppressWarnings("cast")
final class DoubleUpdateOps implements UpdateOps {

  static final DoubleUpdateOps INSTANCE = new DoubleUpdateOps();

  private DoubleUpdateOps() {}

  private static double[] d(Tensor t) {
    return t.doubleData /*f32:t.floatData*/();
  }

  @Override
  public double[] newBuffer(int n) {
    return new double[n];
  }

  @Override
  public Tensor copyOf(Object buffer, int[] shape) {
    return Tensor.wrap(((double[]) buffer).clone(), 0, shape);
  }

  @Override
  public double[] arrayOf(Tensor t) {
    return t.toDoubleArray();
  }

  @Override
  public void sgdUpdate(Kernels k, double /*f32:double*/ lr, double /*f32:double*/ momentum,
                        double /*f32:double*/ dampening, double /*f32:double*/ weightDecay, boolean nesterov,
                        boolean first, Tensor p, Tensor g, Object velocity) {
    k.f64().sgdUpdate(p.numel(), (double) lr, (double) momentum, (double) dampening, (double) weightDecay, nesterov,
        first, d(p), p.offset(), d(g), g.offset(), (double[]) velocity, 0);
  }

  @Override
  public void adamUpdate(Kernels k, double /*f32:double*/ lr, double /*f32:double*/ beta1,
                         double /*f32:double*/ beta2, double /*f32:double*/ eps, double /*f32:double*/ weightDecay,
                         boolean decoupled, int t, Tensor p, Tensor g, Object m, Object v) {
    k.f64().adamUpdate(p.numel(), (double) lr, (double) beta1, (double) beta2, (double) eps, (double) weightDecay,
        decoupled, t, d(p), p.offset(), d(g), g.offset(), (double[]) m, 0, (double[]) v, 0);
  }

  @Override
  public int firstNonFinite(Kernels k, Tensor g) {
    int n = g.numel();
    double[] x = d(g);
    int off = g.offset();
    if (Double.isFinite(k.f64().sumOfSquares(n, x, off))) {
      return -1;
    }
    for (int i = 0; i < n; i++) {
      if (!Double.isFinite(x[off + i])) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public double /*f32:double*/ element(Tensor g, int i) {
    return d(g)[g.offset() + i];
  }
}
