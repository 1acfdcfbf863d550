package dev.rnn4j.autograd;

import dev.rnn4j.tensor.Shapes;
import dev.rnn4j.tensor.Tensor;

/**
 * The autograd bookkeeping of one tensor: whether it requires a gradient, the function that produced it (with the
 * index of the output it is), and its accumulated gradient. Read through {@link Tensor}'s methods; only the autograd
 * package changes it.
 *
 * <p>The gradient is guarded by this object's monitor: backward passes on several threads may add into one shared
 * leaf (a parameter) at once, and each addition (creating the gradient, or adding into it in place) is atomic with
 * respect to the others, as PyTorch accumulates under a per-gradient lock. The lock is held for one addition only,
 * never across a backward pass, so an uncontended backward pays one monitor enter per leaf it reaches.
 */
public final class GradState {

  private final Tensor owner;
  boolean requiresGrad;
  Function gradFn;
  int outputIndex;
  private Tensor grad; // guarded by this
  boolean retainGrad;

  /** The state of {@code owner}; called by {@link Tensor} only. */
  public GradState(Tensor owner) {
    this.owner = owner;
  }

  /** Whether gradients flow to the tensor. */
  public boolean requiresGrad() {
    return requiresGrad;
  }

  /** The function that produced the tensor, null for a leaf. */
  public Function gradFn() {
    return gradFn;
  }

  /** Which output of {@link #gradFn()} the tensor is. */
  public int outputIndex() {
    return outputIndex;
  }

  /** See {@link Tensor#requiresGrad(boolean)}. */
  public void setRequiresGrad(boolean requires) {
    if (gradFn != null) {
      throw new IllegalStateException("requiresGrad: tensor " + shapeOf(owner) + " is the output of "
          + gradFn.name() + ", not a leaf; only leaf tensors can change requiresGrad (use detach() first)");
    }
    this.requiresGrad = requires;
    if (!requires) {
      clearGrad();
    }
  }

  /** See {@link Tensor#grad()}. */
  public Tensor grad() {
    if (!requiresGrad) {
      throw new IllegalStateException("grad: tensor " + shapeOf(owner)
          + " does not require a gradient; call requiresGrad(true) on it before the forward pass");
    }
    if (gradFn != null && !retainGrad) {
      throw new IllegalStateException("grad: tensor " + shapeOf(owner) + " is the output of " + gradFn.name()
          + ", not a leaf; gradients are kept for leaves only unless retainGrad() is called before backward");
    }
    synchronized (this) {
      return grad;
    }
  }

  /** Drops the accumulated gradient; atomic with respect to {@link #accumulate} on other threads. */
  public synchronized void clearGrad() {
    grad = null;
  }

  /**
   * Adds {@code g} (same shape and dtype) into the gradient: the first time into a fresh copy (or, when
   * {@code owned}, g itself: nothing else refers to it, so keeping it spares a copy of its size), later in place.
   * Atomic with respect to other threads' additions and {@link #clearGrad()}.
   */
  synchronized void accumulate(Tensor g, boolean owned) {
    if (grad == null) {
      grad = owned ? g : g.copy();
    } else {
      StorageOps.of(g).axpy(1, g, 0, grad, 0, g.numel());
    }
  }

  /** See {@link Tensor#retainGrad()}. */
  public void retainGrad() {
    if (!requiresGrad) {
      throw new IllegalStateException("retainGrad: tensor " + shapeOf(owner) + " does not require a gradient");
    }
    if (gradFn != null && !retainGrad) {
      retainGrad = true;
      gradFn.retain(outputIndex, owner);
    }
  }

  static String shapeOf(Tensor t) {
    return Shapes.format(t.shape()) + " " + t.dtype();
  }
}
