package dev.rnn4j.nn;

import dev.rnn4j.tensor.Checks;
import dev.rnn4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Base class of everything with parameters: a named registry of parameters and child modules, and the train / eval
 * mode.
 *
 * <p>A subclass registers its parameters and children in its constructor:
 *
 * <pre>{@code
 * final class TwoLayer extends Module {
 *   final Linear first = registerModule("first", new Linear(8, 16, rng));
 *   final Tensor scale = registerParameter("scale", Tensor.ones(DType.FLOAT32, 16));
 * }
 * }</pre>
 *
 * {@link #namedParameters()} then lists {@code first.weight}, {@code first.bias}, {@code scale}: dotted names in
 * registration order, the keys of PyTorch's {@code state_dict} for the same structure. Parameters are ordinary leaf
 * tensors with {@code requiresGrad(true)}; loading weights copies into them in place ({@link Tensor#copyFrom}).
 *
 * <p>Threads: the registry is built in the constructor and only read afterwards, so any number of threads may read
 * it and run the module. Backward passes on several threads add into the parameters' gradients atomically; writing
 * parameters (optimizer steps, loading), {@link #zeroGrad()} and {@link #train(boolean)} must not overlap with calls
 * that use them on other threads. See {@code docs/concurrency.md}.
 */
public abstract class Module {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]+");

  private final Map<String, Tensor> parameters = new LinkedHashMap<>();
  private final Map<String, Module> children = new LinkedHashMap<>();
  private boolean training = true;

  protected Module() {}

  private void checkName(String kind, String name) {
    Checks.notNull(name, getClass().getSimpleName(), kind + " name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(getClass().getSimpleName() + ": " + kind + " name '" + name
          + "' must be letters, digits and underscores (dots separate nesting levels)");
    }
    if (parameters.containsKey(name) || children.containsKey(name)) {
      throw new IllegalArgumentException(getClass().getSimpleName() + ": name '" + name + "' is already registered");
    }
  }

  /**
   * Registers a leaf tensor as a parameter under {@code name} and sets {@code requiresGrad(true)} on it.
   *
   * @return the tensor
   */
  protected final Tensor registerParameter(String name, Tensor parameter) {
    checkName("parameter", name);
    Checks.notNull(parameter, getClass().getSimpleName(), "parameter '" + name + "'");
    if (!parameter.isLeaf()) {
      throw new IllegalArgumentException(getClass().getSimpleName() + ": parameter '" + name
          + "' is the result of an op; register a leaf tensor (detach() it)");
    }
    parameter.requiresGrad(true);
    parameters.put(name, parameter);
    return parameter;
  }

  /**
   * Registers a child module under {@code name}; its parameters appear as {@code name.child}.
   *
   * @return the module
   */
  protected final <M extends Module> M registerModule(String name, M module) {
    checkName("module", name);
    Checks.notNull(module, getClass().getSimpleName(), "module '" + name + "'");
    if (module == this) {
      throw new IllegalArgumentException(getClass().getSimpleName() + ": a module cannot contain itself");
    }
    children.put(name, module);
    return module;
  }

  /** This module's own parameters (not its children's), by name, in registration order. */
  public final Map<String, Tensor> directParameters() {
    return Collections.unmodifiableMap(parameters);
  }

  /** The direct child modules, by name, in registration order. */
  public final Map<String, Module> children() {
    return Collections.unmodifiableMap(children);
  }

  /**
   * Every parameter of this module and its descendants, keyed by dotted path ({@code encoder.weight_ih_l0}): own
   * parameters first, then each child's in registration order. A tensor registered twice appears once (first name).
   */
  public final Map<String, Tensor> namedParameters() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    Map<Tensor, Boolean> seen = new IdentityHashMap<>();
    collect("", out, seen);
    return Collections.unmodifiableMap(out);
  }

  private void collect(String prefix, Map<String, Tensor> out, Map<Tensor, Boolean> seen) {
    for (Map.Entry<String, Tensor> e : parameters.entrySet()) {
      if (seen.put(e.getValue(), Boolean.TRUE) == null) {
        out.put(prefix + e.getKey(), e.getValue());
      }
    }
    for (Map.Entry<String, Module> e : children.entrySet()) {
      e.getValue().collect(prefix + e.getKey() + ".", out, seen);
    }
  }

  /** The values of {@link #namedParameters()}, in the same order. */
  public final List<Tensor> parameters() {
    return new ArrayList<>(namedParameters().values());
  }

  /** Total number of parameter elements. */
  public final long parameterCount() {
    long n = 0;
    for (Tensor t : namedParameters().values()) {
      n += t.numel();
    }
    return n;
  }

  /** Sets training mode on this module and all descendants; returns this. */
  public Module train(boolean on) {
    training = on;
    for (Module m : children.values()) {
      m.train(on);
    }
    return this;
  }

  /** {@code train(true)}. */
  public final Module train() {
    return train(true);
  }

  /** {@code train(false)}: dropout becomes the identity. */
  public final Module eval() {
    return train(false);
  }

  /** Whether this module is in training mode (the default). */
  public final boolean isTraining() {
    return training;
  }

  /**
   * Drops the gradients of all parameters. Walks the registry directly rather than through
   * {@link #namedParameters()}, which builds maps and dotted names: a training loop calls this once per step, and a
   * parameter registered twice is simply cleared twice.
   */
  public final void zeroGrad() {
    for (Tensor t : parameters.values()) {
      t.zeroGrad();
    }
    for (Module m : children.values()) {
      m.zeroGrad();
    }
  }
}
