package dev.rnn4j.nn.recurrent;

/**
 * What {@link GradientClipping#clipByNorm(java.util.Map, double, NonFiniteNorm)} does when a gradient holds NaN or
 * ±Infinity, after PyTorch's {@code clip_grad_norm_(..., error_if_nonfinite=...)}. A finite gradient never triggers
 * it, however large: the norm is computed without overflow.
 */
public enum NonFiniteNorm {

  /**
   * Throw {@link IllegalStateException} naming the parameter (its name, or its position in a list), the first
   * non-finite element's index and its value; no gradient is changed. PyTorch's {@code error_if_nonfinite=True}.
   */
  THROW,

  /**
   * Leave every gradient as it is and report: the returned norm is NaN (some element is NaN) or +Infinity, and
   * {@link ClipResult#finite()} is false, so the caller skips the optimizer step (as mixed-precision gradient
   * scalers do). The default of the two-argument {@link GradientClipping#clipByNorm(java.util.List, double)}.
   */
  SKIP,

  /**
   * Set every gradient (all parameters, not only the offending one) to zero and report as {@link #SKIP} does. An
   * optimizer step taken anyway then sees no gradient; note that momentum, Adam's moments and weight decay still move
   * the parameters.
   */
  ZERO
}
