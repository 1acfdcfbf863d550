package dev.rnn4j.testkit;

import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Shapes;
import dev.rnn4j.tensor.Tensor;
import java.util.Arrays;
import java.util.Optional;
import org.opentest4j.AssertionFailedError;

/**
 * Options of a tensor comparison, as {@code torch.testing.assert_close}: immutable, each setter returns a new
 * instance. Start from {@link TensorAssertions#closeness()}.
 *
 * <p>Defaults per dtype are PyTorch's: float32 {@code rtol 1.3e-6, atol 1e-5}; float64 {@code rtol 1e-7,
 * atol 1e-7}. (1.3e-6 is about 11 float32 ulps of relative error, 1e-7 about 450 float64 ulps: room for a few
 * reorderings of short sums, not for a wrong result.) A tolerance left unset takes the default of the compared dtype;
 * when the dtypes are allowed to differ ({@link #checkDtype(boolean) checkDtype(false)}), of the less precise one.
 * Dtypes must match by default, NaN equals NaN only with {@link #equalNan(boolean) equalNan(true)}.
 */
public final class Closeness {

  /** PyTorch's float32 defaults. */
  public static final double FLOAT32_RTOL = 1.3e-6;
  public static final double FLOAT32_ATOL = 1e-5;
  /** PyTorch's float64 defaults. */
  public static final double FLOAT64_RTOL = 1e-7;
  public static final double FLOAT64_ATOL = 1e-7;

  private final Double rtol;
  private final Double atol;
  private final boolean equalNan;
  private final boolean checkDtype;

  Closeness(Double rtol, Double atol, boolean equalNan, boolean checkDtype) {
    this.rtol = rtol;
    this.atol = atol;
    this.equalNan = equalNan;
    this.checkDtype = checkDtype;
  }

  /** Relative tolerance, finite and >= 0. */
  public Closeness rtol(double rtol) {
    return new Closeness(checkTolerance("rtol", rtol), atol, equalNan, checkDtype);
  }

  /** Absolute tolerance, finite and >= 0. */
  public Closeness atol(double atol) {
    return new Closeness(rtol, checkTolerance("atol", atol), equalNan, checkDtype);
  }

  /** Whether NaN in both tensors at the same index counts as equal (default false). */
  public Closeness equalNan(boolean on) {
    return new Closeness(rtol, atol, on, checkDtype);
  }

  /** Whether a dtype difference fails the comparison (default true). */
  public Closeness checkDtype(boolean on) {
    return new Closeness(rtol, atol, equalNan, on);
  }

  private static double checkTolerance(String name, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("Closeness: " + name + " must be finite and >= 0, got " + value);
    }
    return value;
  }

  /** The relative tolerance used for {@code dtype}. */
  public double rtolFor(DType dtype) {
    return rtol != null ? rtol : dtype == DType.FLOAT32 ? FLOAT32_RTOL : FLOAT64_RTOL;
  }

  /** The absolute tolerance used for {@code dtype}. */
  public double atolFor(DType dtype) {
    return atol != null ? atol : dtype == DType.FLOAT32 ? FLOAT32_ATOL : FLOAT64_ATOL;
  }

  /**
   * Compares the tensors.
   *
   * @return empty when close; otherwise the report (shape, dtype, or the mismatch statistics)
   * @throws IllegalArgumentException when either tensor is null
   */
  public Optional<String> compare(Tensor actual, Tensor expected) {
    if (actual == null || expected == null) {
      throw new IllegalArgumentException("assertClose: " + (actual == null ? "actual" : "expected")
          + " tensor is null");
    }
    if (!Arrays.equals(actual.shape(), expected.shape())) {
      return Optional.of("shapes differ: actual " + Shapes.format(actual.shape()) + ", expected "
          + Shapes.format(expected.shape()));
    }
    if (checkDtype && actual.dtype() != expected.dtype()) {
      return Optional.of("dtypes differ: actual " + actual.dtype() + ", expected " + expected.dtype()
          + " (compare across dtypes with checkDtype(false))");
    }
    DType dtype = actual.dtype() == DType.FLOAT32 || expected.dtype() == DType.FLOAT32 ? DType.FLOAT32
        : DType.FLOAT64;
    return Mismatches.report(actual.toDoubleArray(), expected.toDoubleArray(), actual.shape(), atolFor(dtype),
        rtolFor(dtype), equalNan, true);
  }

  /** Fails with the report of {@link #compare} when the tensors are not close. */
  public void assertClose(Tensor actual, Tensor expected) {
    assertClose(actual, expected, null);
  }

  /**
   * Fails with the report of {@link #compare}, after {@code message} (may be null), when the tensors are not close.
   *
   * @throws AssertionFailedError (an {@link AssertionError}) when they are not
   */
  public void assertClose(Tensor actual, Tensor expected, String message) {
    Optional<String> problem = compare(actual, expected);
    if (problem.isPresent()) {
      String prefix = message == null || message.isEmpty() ? "" : message + ": ";
      throw new AssertionFailedError(prefix + "Tensors are not close! " + problem.get());
    }
  }

  @Override
  public String toString() {
    return "Closeness(rtol " + (rtol == null ? "per dtype" : Numbers.format(rtol)) + ", atol "
        + (atol == null ? "per dtype" : Numbers.format(atol)) + ", equalNan " + equalNan + ", checkDtype "
        + checkDtype + ")";
  }
}
