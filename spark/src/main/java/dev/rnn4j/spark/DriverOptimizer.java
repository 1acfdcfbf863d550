package dev.rnn4j.spark;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.tensor.KernelScope;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The optimizer a data-parallel run steps on the driver, once per round, with the averaged gradient (or, with
 * several local steps, the averaged parameter change) over a flat parameter vector. Its state (momentum buffer,
 * Adam's moments and step count) is plain arrays, so that a checkpoint holds it and a resumed run continues bit for
 * bit.
 *
 * <p>Each update calls the same fused kernel as {@code dev.rnn4j.optim.SGD} / {@code Adam} with the same arguments,
 * one parameter tensor at a time (a kernel's vector body and tail depend on the length), so a step equals the core
 * optimizer's step bit for bit. It exists because the core optimizers on this version expose no state to save; once
 * they do, the trainer can take them directly.
 */
public final class DriverOptimizer {

  enum Kind { SGD, ADAM }

  private final Kind kind;
  private final double learningRate;
  private final double momentum;
  private final boolean nesterov;
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private float[] first; // SGD: velocity; Adam: m
  private float[] second; // Adam: v
  private int steps;

  private DriverOptimizer(Kind kind, double learningRate, double momentum, boolean nesterov, double beta1,
                          double beta2, double eps, double weightDecay) {
    if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("DriverOptimizer: learning rate must be finite and >= 0, got "
          + learningRate);
    }
    if (!(momentum >= 0 && momentum < 1) || (nesterov && momentum == 0)) {
      throw new IllegalArgumentException("DriverOptimizer: momentum must be in [0, 1) (> 0 with Nesterov), got "
          + momentum);
    }
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(eps >= 0) || !(weightDecay >= 0)) {
      throw new IllegalArgumentException("DriverOptimizer: betas must be in [0, 1), eps and weightDecay >= 0, got ("
          + beta1 + ", " + beta2 + "), " + eps + ", " + weightDecay);
    }
    this.kind = kind;
    this.learningRate = learningRate;
    this.momentum = momentum;
    this.nesterov = nesterov;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
  }

  /** Plain SGD, {@code p -= lr * g}. */
  public static DriverOptimizer sgd(double learningRate) {
    return new DriverOptimizer(Kind.SGD, learningRate, 0, false, 0, 0, 0, 0);
  }

  /** SGD with momentum (PyTorch's form, no dampening), optionally Nesterov. */
  public static DriverOptimizer sgd(double learningRate, double momentum, boolean nesterov) {
    return new DriverOptimizer(Kind.SGD, learningRate, momentum, nesterov, 0, 0, 0, 0);
  }

  /** Adam with PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay. */
  public static DriverOptimizer adam(double learningRate) {
    return adam(learningRate, 0.9, 0.999, 1e-8, 0);
  }

  /** Adam ({@code dev.rnn4j.optim.Adam}: L2 weight decay through the gradient). */
  public static DriverOptimizer adam(double learningRate, double beta1, double beta2, double eps,
                                     double weightDecay) {
    return new DriverOptimizer(Kind.ADAM, learningRate, 0, false, beta1, beta2, eps, weightDecay);
  }

  /** A fresh optimizer with the same settings and no state. */
  public DriverOptimizer fresh() {
    return new DriverOptimizer(kind, learningRate, momentum, nesterov, beta1, beta2, eps, weightDecay);
  }

  public double learningRate() {
    return learningRate;
  }

  /** Updates taken so far. */
  public int steps() {
    return steps;
  }

  /**
   * One update of {@code params} with {@code grad}, both laid out as consecutive parameter tensors of the given
   * {@code sizes}, with the kernels current on this thread.
   */
  void step(int[] sizes, float[] params, float[] grad) {
    Kernels k = KernelScope.current();
    boolean firstStep = steps == 0;
    if (firstStep) {
      first = new float[kind == Kind.ADAM || momentum != 0 ? params.length : 0];
      second = new float[kind == Kind.ADAM ? params.length : 0];
    }
    if (steps == Integer.MAX_VALUE) {
      throw new IllegalStateException("DriverOptimizer: step count overflow");
    }
    int t = ++steps;
    int at = 0;
    for (int n : sizes) {
      if (kind == Kind.SGD) {
        // Velocity of a parameter starts at its own offset; without momentum the kernel does not touch it.
        k.f32().sgdUpdate(n, (float) learningRate, (float) momentum, 0f, 0f, nesterov, firstStep,
            params, at, grad, at, first, momentum != 0 ? at : 0);
      } else {
        k.f32().adamUpdate(n, (float) learningRate, (float) beta1, (float) beta2, (float) eps, (float) weightDecay,
            false, t, params, at, grad, at, first, at, second, at);
      }
      at += n;
    }
  }

  /** A description of the settings, which a checkpoint records and a resume compares. */
  String describe() {
    return kind == Kind.SGD
        ? "sgd(lr=" + learningRate + ", momentum=" + momentum + ", nesterov=" + nesterov + ")"
        : "adam(lr=" + learningRate + ", betas=(" + beta1 + ", " + beta2 + "), eps=" + eps + ", weightDecay="
            + weightDecay + ")";
  }

  /** The state as named flat arrays (empty before the first step). */
  Map<String, float[]> state() {
    Map<String, float[]> out = new LinkedHashMap<>();
    if (steps > 0 && first.length > 0) {
      out.put(kind == Kind.SGD ? "velocity" : "m", first.clone());
    }
    if (steps > 0 && second.length > 0) {
      out.put("v", second.clone());
    }
    return out;
  }

  /**
   * Restores a state {@link #state()} returned, after {@code steps} updates.
   *
   * @throws IllegalArgumentException if an array is missing or has another length than {@code size}
   */
  void restore(int steps, Map<String, float[]> state, int size) {
    if (steps < 0) {
      throw new IllegalArgumentException("DriverOptimizer: restore: negative step count " + steps);
    }
    this.steps = steps;
    if (steps == 0) {
      return;
    }
    first = kind == Kind.ADAM || momentum != 0 ? need(state, kind == Kind.SGD ? "velocity" : "m", size) : new float[0];
    second = kind == Kind.ADAM ? need(state, "v", size) : new float[0];
  }

  private static float[] need(Map<String, float[]> state, String name, int size) {
    float[] a = state.get(name);
    if (a == null || a.length != size) {
      throw new IllegalArgumentException("DriverOptimizer: restore: state '" + name + "' must have " + size
          + " values, got " + (a == null ? "none" : a.length));
    }
    return a.clone();
  }
}
