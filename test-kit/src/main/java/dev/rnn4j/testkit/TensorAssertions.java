package dev.rnn4j.testkit;

import dev.rnn4j.tensor.Tensor;

/**
 * Tensor assertions with a report a person can act on, as {@code torch.testing.assert_close}:
 *
 * <pre>{@code
 * TensorAssertions.assertClose(actual, expected);                        // PyTorch's rtol/atol for the dtype
 * TensorAssertions.closeness().rtol(1e-4).atol(1e-6).equalNan(true).assertClose(actual, expected);
 * }</pre>
 *
 * On failure: {@code Tensors are not close! Mismatched elements: 3 / 12 (25.0%); greatest absolute difference
 * 0.012 at index [1, 2] (allowed 1e-05); greatest relative difference 0.5 at index [0, 3] (allowed 1.3e-06)}, or
 * the differing shapes or dtypes. See {@link Closeness} for the rule and the defaults.
 */
public final class TensorAssertions {

  private static final Closeness DEFAULTS = new Closeness(null, null, false, true);

  private TensorAssertions() {}

  /** PyTorch's defaults: tolerances per dtype, dtypes must match, NaN is not equal to NaN. */
  public static Closeness closeness() {
    return DEFAULTS;
  }

  /** {@code closeness().assertClose(actual, expected)}. */
  public static void assertClose(Tensor actual, Tensor expected) {
    DEFAULTS.assertClose(actual, expected);
  }

  /** {@code closeness().assertClose(actual, expected, message)}. */
  public static void assertClose(Tensor actual, Tensor expected, String message) {
    DEFAULTS.assertClose(actual, expected, message);
  }
}
