package dev.rnn4j.optim;

/**
 * What {@link Optimizer#step()} does when a gradient holds NaN or an infinity. The check runs over every gradient
 * before any parameter or optimizer state is touched, so under {@link #THROW} and {@link #SKIP} a non-finite gradient
 * never reaches the moments or momentum buffers (where it would stay: {@code m = beta1 m + ...} keeps a NaN forever).
 */
public enum NonFinitePolicy {

  /**
   * The default. Changes nothing and throws {@link IllegalStateException} naming the parameter, its shape and the
   * first non-finite value. A non-finite gradient is usually a bug or a diverging run that the caller must see; the
   * optimizer cannot tell whether skipping is right (it is for loss-scaled training or one bad batch, it is not for a
   * model whose every later gradient will be NaN too). The caller may catch it, {@code zeroGrad()} and go on.
   */
  THROW,

  /**
   * Changes nothing, counts the step in {@link Optimizer#skippedSteps()}, logs it at WARNING through
   * {@link System.Logger} and returns a {@link StepResult} with {@code applied() == false}: PyTorch's
   * {@code GradScaler.step}, which skips {@code optimizer.step()} when the unscaled gradients hold inf or NaN.
   */
  SKIP,

  /**
   * No check, PyTorch's plain {@code optimizer.step()}: a non-finite gradient goes into the update and the state, and
   * only {@link Optimizer#resetState()} removes it again. Saves one read pass over the gradients per step.
   */
  UNCHECKED
}
