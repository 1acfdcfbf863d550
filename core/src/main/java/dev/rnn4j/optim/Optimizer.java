package dev.rnn4j.optim;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Shapes;
import dev.rnn4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Base of the optimizers: a fixed list of parameters, a learning rate that schedules may change, per-parameter state
 * (step counts and the subclass's buffers, in parameter order) and a policy for non-finite gradients.
 *
 * <p>{@link #step()} updates every parameter that has a gradient through the fused update kernels of the kernels
 * current on the calling thread ({@link dev.rnn4j.tensor.KernelScope}), float32 or float64 as each parameter's dtype;
 * parameters without a gradient (no backward pass reached them since the last {@link #zeroGrad()}) are skipped and
 * their state is left as it is, as in PyTorch. Updates happen in place, outside autograd.
 *
 * <p>Non-finite gradients: before it changes anything, {@code step()} checks every gradient for NaN and infinities
 * (one kernel reduction per gradient) and acts on them as {@link #nonFinitePolicy()} says: throw (the default), skip
 * the whole step, or apply it unchecked. See {@link NonFinitePolicy}.
 *
 * <p>State: {@link #state()} copies it out, {@link #loadState} checks a copy against this optimizer (type, every
 * hyperparameter, buffer shapes and dtypes) and only then replaces the state, and {@link #resetState()} forgets it.
 * {@code dev.rnn4j.io.Checkpoint} stores it in safetensors. An optimizer is not safe for use by several threads at
 * once.
 *
 * <p>Your own optimizer extends this class and implements the protected hooks: {@link #update} (the arithmetic of one
 * parameter's step), and for its per-parameter buffers {@link #clearBuffers}, {@link #expectedBuffers},
 * {@link #copyBuffers} and {@link #setBuffers}, plus {@link #hyperparameters} (what a loaded state must match). The
 * base class does the checks, the non-finite policy, the step counts and the state's bookkeeping.
 */
public abstract class Optimizer {

  private static final System.Logger LOG = System.getLogger(Optimizer.class.getName());

  private final String name;
  private final List<Tensor> parameters;
  private final int[] steps;
  private double learningRate;
  private NonFinitePolicy nonFinitePolicy = NonFinitePolicy.THROW;
  private long skippedSteps;

  /**
   * @param name used in messages
   * @param parameters at least one; each requires a gradient and appears once
   */
  protected Optimizer(String name, Iterable<Tensor> parameters, double learningRate) {
    this.name = name;
    if (parameters == null) {
      throw new IllegalArgumentException(name + ": parameters is null");
    }
    List<Tensor> list = new ArrayList<>();
    Map<Tensor, Boolean> seen = new IdentityHashMap<>();
    int i = 0;
    for (Tensor p : parameters) {
      if (p == null) {
        throw new IllegalArgumentException(name + ": parameter " + i + " is null");
      }
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
    this.steps = new int[list.size()];
    setLearningRate(learningRate);
  }

  /**
   * Applies one update to every parameter that has a gradient, unless a gradient holds a non-finite value and the
   * {@link #nonFinitePolicy()} is {@link NonFinitePolicy#THROW} or {@link NonFinitePolicy#SKIP}: then no parameter,
   * buffer or step count changes.
   *
   * @return whether the step was applied (and, if skipped, which parameter had the non-finite gradient)
   * @throws IllegalStateException under {@link NonFinitePolicy#THROW} for a non-finite gradient (naming the
   *     parameter, its shape and the value), or when a parameter's step count would pass 2^31 - 1; nothing changed
   */
  public final StepResult step() {
    Kernels k = KernelScope.current();
    for (int i = 0; i < parameters.size(); i++) {
      Tensor g = parameters.get(i).grad();
      if (g == null) {
        continue;
      }
      if (steps[i] == Integer.MAX_VALUE) {
        throw new IllegalStateException(name + ".step: step count overflow for parameter " + i
            + " (2^31 - 1 updates); nothing was changed");
      }
      if (nonFinitePolicy != NonFinitePolicy.UNCHECKED) {
        int bad = NonFiniteScan.firstNonFinite(k, g);
        if (bad >= 0) {
          return nonFinite(i, g, bad);
        }
      }
    }
    double lr = learningRate;
    for (int i = 0; i < parameters.size(); i++) {
      Tensor p = parameters.get(i);
      Tensor g = p.grad();
      if (g == null) {
        continue;
      }
      update(k, i, p, g, ++steps[i], lr);
      p.markModified();
    }
    return StepResult.APPLIED;
  }

  private StepResult nonFinite(int i, Tensor g, int element) {
    String what = name + ".step: the gradient of parameter " + i + " " + Shapes.format(g.shape()) + " holds "
        + NonFiniteScan.element(g, element) + " at flat index " + element;
    if (nonFinitePolicy == NonFinitePolicy.THROW) {
      throw new IllegalStateException(what + "; nothing was changed (nonFinitePolicy(SKIP) skips such steps)");
    }
    skippedSteps++;
    LOG.log(System.Logger.Level.WARNING, () -> what + "; step skipped, nothing changed (" + skippedSteps
        + " skipped so far)");
    return new StepResult(false, i);
  }

  /**
   * Updates parameter {@code i} from its gradient at its 1-based {@code step}: the subclass's fused kernel call.
   * Called only after every check of {@link #step()} passed.
   */
  protected abstract void update(Kernels k, int i, Tensor p, Tensor g, int step, double lr);

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
      throw new IllegalArgumentException(name + ": learning rate must be finite and >= 0, got " + learningRate);
    }
    this.learningRate = learningRate;
  }

  /** What {@link #step()} does with a non-finite gradient; {@link NonFinitePolicy#THROW} unless set. */
  public final NonFinitePolicy nonFinitePolicy() {
    return nonFinitePolicy;
  }

  /** Sets what {@link #step()} does with a non-finite gradient, and returns this optimizer. */
  public final Optimizer nonFinitePolicy(NonFinitePolicy policy) {
    if (policy == null) {
      throw new IllegalArgumentException(name + ".nonFinitePolicy: policy must not be null");
    }
    this.nonFinitePolicy = policy;
    return this;
  }

  /** Steps skipped under {@link NonFinitePolicy#SKIP} since construction (restored by {@link #loadState}). */
  public final long skippedSteps() {
    return skippedSteps;
  }

  /** Updates parameter {@code index} received (Adam's bias-correction exponent); 0 before its first. */
  public final int stepCount(int index) {
    checkIndex("stepCount", index);
    return steps[index];
  }

  /**
   * Forgets all per-parameter state: step counts back to 0, moments and momentum buffers dropped (the next update of
   * each parameter is a first update again). The learning rate, the policy and {@link #skippedSteps()} stay.
   */
  public final void resetState() {
    for (int i = 0; i < parameters.size(); i++) {
      resetParameter(i);
    }
  }

  /**
   * Forgets the state of one parameter (step count 0, buffers dropped), e.g. after repairing its values.
   *
   * @throws IllegalArgumentException if {@code parameter} is not one of {@link #parameters()} (by identity)
   */
  public final void resetState(Tensor parameter) {
    for (int i = 0; i < parameters.size(); i++) {
      if (parameters.get(i) == parameter) {
        resetParameter(i);
        return;
      }
    }
    throw new IllegalArgumentException(name + ".resetState: " + parameter + " is not a parameter of this optimizer");
  }

  private void resetParameter(int i) {
    steps[i] = 0;
    clearBuffers(i);
  }

  /** Drops the subclass's buffers of parameter {@code i}. */
  protected abstract void clearBuffers(int i);

  /** A copy of the whole state. */
  public final OptimizerState state() {
    List<OptimizerState.ParameterState> per = new ArrayList<>(parameters.size());
    for (int i = 0; i < parameters.size(); i++) {
      per.add(new OptimizerState.ParameterState(steps[i], copyBuffers(i)));
    }
    return new OptimizerState(name, hyperparameters(), learningRate, skippedSteps, per, List.of());
  }

  /**
   * Checks {@code state} against this optimizer and throws if it cannot be loaded: another optimizer type, any
   * hyperparameter different, another number of parameters, a buffer missing, unexpected, or of another shape or
   * dtype than its parameter, or buffers that do not go with the step count. Changes nothing.
   *
   * @throws IllegalArgumentException naming the parameter, the buffer and both values
   */
  public final void checkState(OptimizerState state) {
    String where = name + ".loadState: ";
    if (state == null) {
      throw new IllegalArgumentException(where + "state must not be null");
    }
    if (!state.type().equals(name)) {
      throw new IllegalArgumentException(where + "the state is of a " + state.type() + " optimizer, this is a "
          + name);
    }
    Map<String, String> mine = hyperparameters();
    if (!mine.equals(state.hyperparameters())) {
      List<String> diffs = new ArrayList<>();
      for (String key : union(mine.keySet(), state.hyperparameters().keySet())) {
        String theirs = state.hyperparameters().get(key);
        String ours = mine.get(key);
        if (!Objects.equals(theirs, ours)) {
          diffs.add(key + " " + theirs + " in the state but " + ours + " here");
        }
      }
      throw new IllegalArgumentException(where + "hyperparameters differ: " + String.join("; ", diffs));
    }
    if (!(state.learningRate() >= 0) || Double.isInfinite(state.learningRate())) {
      throw new IllegalArgumentException(where + "learning rate must be finite and >= 0, got "
          + state.learningRate());
    }
    if (state.skippedSteps() < 0) {
      throw new IllegalArgumentException(where + "skippedSteps must be >= 0, got " + state.skippedSteps());
    }
    if (state.parameters().size() != parameters.size()) {
      throw new IllegalArgumentException(where + "the state has " + state.parameters().size()
          + " parameters, this optimizer " + parameters.size());
    }
    for (int i = 0; i < parameters.size(); i++) {
      OptimizerState.ParameterState ps = state.parameters().get(i);
      Tensor p = parameters.get(i);
      List<String> expected = expectedBuffers(ps.step());
      if (!ps.buffers().keySet().equals(new LinkedHashSet<>(expected))) {
        throw new IllegalArgumentException(where + state.label(i) + " at step " + ps.step() + " needs buffers "
            + expected + ", the state has " + ps.buffers().keySet());
      }
      for (Map.Entry<String, Tensor> b : ps.buffers().entrySet()) {
        Tensor t = b.getValue();
        if (!Arrays.equals(t.shape(), p.shape()) || t.dtype() != p.dtype()) {
          throw new IllegalArgumentException(where + state.label(i) + " buffer " + b.getKey() + " is "
              + Shapes.format(t.shape()) + " " + t.dtype() + " in the state but the parameter is "
              + Shapes.format(p.shape()) + " " + p.dtype());
        }
      }
    }
  }

  /**
   * Replaces the whole state by a copy of {@code state} after {@link #checkState} accepted it (on any failure
   * nothing changes): step counts, buffers, learning rate and skipped-step count.
   */
  public final void loadState(OptimizerState state) {
    checkState(state);
    for (int i = 0; i < parameters.size(); i++) {
      OptimizerState.ParameterState ps = state.parameters().get(i);
      steps[i] = ps.step();
      clearBuffers(i);
      if (!ps.buffers().isEmpty()) {
        setBuffers(i, ps.buffers());
      }
    }
    learningRate = state.learningRate();
    skippedSteps = state.skippedSteps();
  }

  /** Fixed settings that a loaded state must match, as exact text, in a fixed order. */
  protected abstract LinkedHashMap<String, String> hyperparameters();

  /** The buffer names parameter state holds at {@code step} (empty at step 0). */
  protected abstract List<String> expectedBuffers(int step);

  /** Copies of parameter {@code i}'s buffers by name (empty if it has none). */
  protected abstract Map<String, Tensor> copyBuffers(int i);

  /** Installs copies of {@code buffers} (checked: names, shapes, dtypes) as parameter {@code i}'s buffers. */
  protected abstract void setBuffers(int i, Map<String, Tensor> buffers);

  private static List<String> union(Set<String> a, Set<String> b) {
    LinkedHashSet<String> all = new LinkedHashSet<>(a);
    all.addAll(b);
    return new ArrayList<>(all);
  }

  private void checkIndex(String op, int index) {
    if (index < 0 || index >= parameters.size()) {
      throw new IllegalArgumentException(name + "." + op + ": parameter index " + index + " out of range [0, "
          + parameters.size() + ")");
    }
  }

  /** A copy of {@code values} (float[] or double[]) as a tensor of {@code p}'s shape. */
  static Tensor copyOf(Tensor p, Object values) {
    return UpdateOps.of(p).copyOf(values, p.shape());
  }

  /** A fresh array holding {@code t}'s values (float[] or double[] as its dtype). */
  static Object arrayOf(Tensor t) {
    return UpdateOps.of(t).arrayOf(t);
  }

  static void checkNonNegative(String optimizer, String what, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(optimizer + ": " + what + " must be finite and >= 0, got " + value);
    }
  }
}
