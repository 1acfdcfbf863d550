package dev.rnn4j.optim;

// Generated from DoubleUpdateOps.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.tensor.Tensor;

/** {@link UpdateOps} for float32 parameters: each call passes the tensors' arrays and offsets to the f32 kernels. */
// Hyperparameters arrive in 64 bits whatever the precision; the casts narrow them in the generated 32-bit twin.
@SuppressWarnings("cast")
final class FloatUpdateOps implements UpdateOps {

  static final FloatUpdateOps INSTANCE = new FloatUpdateOps();

  private FloatUpdateOps() {}

  private static float[] d(Tensor t) {
    return t.floatData();
  }

  @Override
  public float[] newBuffer(int n) {
    return new float[n];
  }

  @Override
  public Tensor copyOf(Object buffer, int[] shape) {
    return Tensor.wrap(((float[]) buffer).clone(), 0, shape);
  }

  @Override
  public float[] arrayOf(Tensor t) {
    return t.toFloatArray();
  }

  @Override
  public void sgdUpdate(Kernels k, double lr, double momentum,
                        double dampening, double weightDecay, boolean nesterov,
                        boolean first, Tensor p, Tensor g, Object velocity) {
    k.f32().sgdUpdate(p.numel(), (float) lr, (float) momentum, (float) dampening, (float) weightDecay, nesterov,
        first, d(p), p.offset(), d(g), g.offset(), (float[]) velocity, 0);
  }

  @Override
  public void adamUpdate(Kernels k, double lr, double beta1,
                         double beta2, double eps, double weightDecay,
                         boolean decoupled, int t, Tensor p, Tensor g, Object m, Object v) {
    k.f32().adamUpdate(p.numel(), (float) lr, (float) beta1, (float) beta2, (float) eps, (float) weightDecay,
        decoupled, t, d(p), p.offset(), d(g), g.offset(), (float[]) m, 0, (float[]) v, 0);
  }

  @Override
  public int firstNonFinite(Kernels k, Tensor g) {
    int n = g.numel();
    float[] x = d(g);
    int off = g.offset();
    if (Float.isFinite(k.f32().sumOfSquares(n, x, off))) {
      return -1;
    }
    for (int i = 0; i < n; i++) {
      if (!Float.isFinite(x[off + i])) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public double element(Tensor g, int i) {
    return d(g)[g.offset() + i];
  }
}
