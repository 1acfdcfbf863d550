package dev.rnn4j.optim;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Tensor;

/** Adam and AdamW: the same moments and bias correction, differing only in how weight decay enters. */
abstract sealed class AdamFamily extends Optimizer permits Adam, AdamW {

  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final boolean decoupled;
  // Per parameter, index-aligned with parameters(): first and second moments (float[] or double[]) and step count.
  private final Object[] m;
  private final Object[] v;
  private final int[] steps;

  AdamFamily(String name, Iterable<Tensor> parameters, double learningRate, double beta1, double beta2, double eps,
             double weightDecay, boolean decoupled) {
    super(name, parameters, learningRate);
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException(name + ": betas must be in [0, 1), got (" + beta1 + ", " + beta2 + ")");
    }
    checkNonNegative(name, "eps", eps);
    checkNonNegative(name, "weightDecay", weightDecay);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    this.decoupled = decoupled;
    int n = parameters().size();
    this.m = new Object[n];
    this.v = new Object[n];
    this.steps = new int[n];
  }

  @Override
  public final void step() {
    Kernels k = KernelScope.current();
    double lr = learningRate();
    for (int i = 0; i < parameters().size(); i++) {
      Tensor p = parameters().get(i);
      Tensor g = p.grad();
      if (g == null) {
        continue;
      }
      int n = p.numel();
      if (steps[i] == Integer.MAX_VALUE) {
        throw new IllegalStateException(getClass().getSimpleName() + ": step count overflow for parameter " + i);
      }
      int t = ++steps[i];
      if (p.dtype() == DType.FLOAT32) {
        if (m[i] == null) {
          m[i] = new float[n];
          v[i] = new float[n];
        }
        k.f32().adamUpdate(n, (float) lr, (float) beta1, (float) beta2, (float) eps, (float) weightDecay, decoupled,
            t, p.floatData(), p.offset(), g.floatData(), g.offset(), (float[]) m[i], 0, (float[]) v[i], 0);
      } else {
        if (m[i] == null) {
          m[i] = new double[n];
          v[i] = new double[n];
        }
        k.f64().adamUpdate(n, lr, beta1, beta2, eps, weightDecay, decoupled,
            t, p.doubleData(), p.offset(), g.doubleData(), g.offset(), (double[]) m[i], 0, (double[]) v[i], 0);
      }
      p.markModified();
    }
  }

  public final double beta1() {
    return beta1;
  }

  public final double beta2() {
    return beta2;
  }

  public final double eps() {
    return eps;
  }

  public final double weightDecay() {
    return weightDecay;
  }

  /** Steps taken by parameter {@code index} (its bias-correction exponent). */
  public final int stepCount(int index) {
    return steps[index];
  }
}
