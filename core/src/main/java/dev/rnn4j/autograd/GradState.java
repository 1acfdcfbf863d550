package dev.rnn4j.autograd;

import dev.rnn4j.tensor.Shapes;
import dev.rnn4j.tensor.Tensor;

/**
 * The autograd bookkeeping of one tensor: whether it requires a gradient, the function that produced it (with the
 * index of the output it is), and its accumulated gradient. Read through {@link Tensor}'s methods; only the autograd
 * package changes it.
 */
public final class GradState {

  private final Tensor owner;
  boolean requiresGrad;
  Function gradFn;
  int outputIndex;
  Tensor grad;
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
      grad = null;
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
    return grad;
  }

  /** Drops the accumulated gradient. */
  public void clearGrad() {
    grad = null;
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
