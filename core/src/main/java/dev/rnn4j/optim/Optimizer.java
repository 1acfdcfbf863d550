package dev.rnn4j.optim;

import dev.rnn4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Base of the optimizers: a fixed list of parameters, a learning rate that schedules may change, and per-parameter
 * state kept by the subclass in parameter order.
 *
 * <p>{@link #step()} updates every parameter that has a gradient through the fused update kernels of the kernels
 * current on the calling thread ({@link dev.rnn4j.tensor.KernelScope}), float32 or float64 as each parameter's dtype;
 * parameters without a gradient (no backward pass reached them since the last {@link #zeroGrad()}) are skipped and
 * their state is left as it is, as in PyTorch. Updates happen in place, outside autograd.
 */
public abstract class Optimizer {

  private final List<Tensor> parameters;
  private double learningRate;

  /**
   * @param name used in messages
   * @param parameters at least one; each requires a gradient and appears once
   */
  protected Optimizer(String name, Iterable<Tensor> parameters, double learningRate) {
    Objects.requireNonNull(parameters, name + ": parameters");
    List<Tensor> list = new ArrayList<>();
    Map<Tensor, Boolean> seen = new IdentityHashMap<>();
    int i = 0;
    for (Tensor p : parameters) {
      Objects.requireNonNull(p, name + ": parameter " + i);
      if (!p.requiresGrad()) {
        throw new IllegalArgumentException(name + ": parameter " + i + " " + p
            + " does not require a gradient");
      }
      if (seen.put(p, Boolean.TRUE) != null) {
        throw new IllegalArgumentException(name + ": parameter " + i + " appears more than once");
      }
      list.add(p);
      i++;
    }
    if (list.isEmpty()) {
      throw new IllegalArgumentException(name + ": empty parameter list");
    }
    this.parameters = Collections.unmodifiableList(list);
    setLearningRate(learningRate);
  }

  /** Applies one update to every parameter that has a gradient. */
  public abstract void step();

  /** Drops the gradients of all parameters (the next backward pass starts from zero). */
  public final void zeroGrad() {
    for (Tensor p : parameters) {
      p.zeroGrad();
    }
  }

  /** The parameters, in the order given. */
  public final List<Tensor> parameters() {
    return parameters;
  }

  /** The current learning rate. */
  public final double learningRate() {
    return learningRate;
  }

  /** Sets the learning rate for the following steps (schedules call this); finite and >= 0. */
  public final void setLearningRate(double learningRate) {
    if (!(learningRate >= 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException(getClass().getSimpleName() + ": learning rate must be finite and >= 0, got "
          + learningRate);
    }
    this.learningRate = learningRate;
  }

  static void checkNonNegative(String optimizer, String what, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(optimizer + ": " + what + " must be finite and >= 0, got " + value);
    }
  }
}
