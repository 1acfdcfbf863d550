package dev.rnn4j.kernels.testing;

import java.util.Arrays;

/**
 * Assertions shared by the kernel contract and agreement suites, for both precisions (float32 arrays are widened
 * exactly to float64 before comparing). Every failure is an {@link AssertionError} whose message names the kernel,
 * the element and the values.
 */
public final class Checks {

  private Checks() {}

  /** A per-element bound from an input value and the reference output value. */
  @FunctionalInterface
  public interface PointBound {
    double at(double input, double reference);
  }

  /** A per-element bound by index (0-based inside the checked range). */
  @FunctionalInterface
  public interface IndexBound {
    double at(int index);
  }

  /**
   * {@code actual} agrees with {@code expected} within {@code bound}: NaN only where NaN is expected, an infinity
   * exactly where it is expected, otherwise {@code |actual - expected| <= bound}.
   */
  public static void close(String what, double expected, double actual, double bound) {
    if (Double.isNaN(expected) || Double.isNaN(actual)) {
      if (Double.isNaN(expected) != Double.isNaN(actual)) {
        throw new AssertionError(what + ": expected " + expected + " but was " + actual);
      }
      return;
    }
    if (Double.isInfinite(expected) || Double.isInfinite(actual)) {
      if (expected != actual) {
        throw new AssertionError(what + ": expected " + expected + " but was " + actual);
      }
      return;
    }
    double err = Math.abs(actual - expected);
    if (!(err <= bound)) {
      throw new AssertionError(what + ": expected " + expected + " but was " + actual + " (|error| " + err
          + " > bound " + bound + ")");
    }
  }

  /**
   * {@link #close} against an expected value of {@link Exact} or {@link Formulas}: the bound of the kernel plus the
   * expected value's own final rounding to float64 ({@code 2^-53 |expected|}).
   */
  public static void closeToExact(String what, double expected, double actual, double bound) {
    close(what, expected, actual, bound + Exact.ROUNDING * Math.abs(expected));
  }

  /** Elementwise {@link #close} over {@code [off, off + n)} of both arrays. */
  public static void closeRange(String what, double[] expected, double[] actual, int off, int n, IndexBound bound) {
    for (int i = 0; i < n; i++) {
      close(what + " [" + i + "]", expected[off + i], actual[off + i], bound.at(i));
    }
  }

  /** Elementwise {@link #close} over {@code [off, off + n)} of both arrays. */
  public static void closeRange(String what, float[] expected, float[] actual, int off, int n, IndexBound bound) {
    for (int i = 0; i < n; i++) {
      close(what + " [" + i + "]", expected[off + i], actual[off + i], bound.at(i));
    }
  }

  /** The arrays are bitwise identical (an input that must not be modified). */
  public static void unchanged(String what, double[] before, double[] after) {
    unchangedOutside(what, before, after, 0, 0);
  }

  /** The arrays are bitwise identical (an input that must not be modified). */
  public static void unchanged(String what, float[] before, float[] after) {
    unchangedOutside(what, before, after, 0, 0);
  }

  /** The arrays are bitwise identical outside {@code [from, to)}: the kernel touched only its stated range. */
  public static void unchangedOutside(String what, double[] before, double[] after, int from, int to) {
    for (int i = 0; i < before.length; i++) {
      if ((i < from || i >= to)
          && Double.doubleToRawLongBits(before[i]) != Double.doubleToRawLongBits(after[i])) {
        throw new AssertionError(what + ": element " + i + " outside the range [" + from + ", " + to
            + ") changed from " + before[i] + " to " + after[i]);
      }
    }
  }

  /** The arrays are bitwise identical outside {@code [from, to)}: the kernel touched only its stated range. */
  public static void unchangedOutside(String what, float[] before, float[] after, int from, int to) {
    for (int i = 0; i < before.length; i++) {
      if ((i < from || i >= to) && Float.floatToRawIntBits(before[i]) != Float.floatToRawIntBits(after[i])) {
        throw new AssertionError(what + ": element " + i + " outside the range [" + from + ", " + to
            + ") changed from " + before[i] + " to " + after[i]);
      }
    }
  }

  /**
   * Rows of a strided matrix are unchanged outside their {@code cols} elements: for a rows x cols matrix at
   * {@code off} with leading dimension {@code ld}, every element not in some row's {@code [off + r ld, + cols)}.
   */
  public static void unchangedOutsideMatrix(String what, double[] before, double[] after, int rows, int cols,
                                            int off, int ld) {
    boolean[] inside = matrixMask(before.length, rows, cols, off, ld);
    for (int i = 0; i < before.length; i++) {
      if (!inside[i] && Double.doubleToRawLongBits(before[i]) != Double.doubleToRawLongBits(after[i])) {
        throw new AssertionError(what + ": element " + i + " outside the " + rows + " x " + cols + " matrix (off "
            + off + ", ld " + ld + ") changed from " + before[i] + " to " + after[i]);
      }
    }
  }

  /** Float32 form of {@link #unchangedOutsideMatrix(String, double[], double[], int, int, int, int)}. */
  public static void unchangedOutsideMatrix(String what, float[] before, float[] after, int rows, int cols,
                                            int off, int ld) {
    boolean[] inside = matrixMask(before.length, rows, cols, off, ld);
    for (int i = 0; i < before.length; i++) {
      if (!inside[i] && Float.floatToRawIntBits(before[i]) != Float.floatToRawIntBits(after[i])) {
        throw new AssertionError(what + ": element " + i + " outside the " + rows + " x " + cols + " matrix (off "
            + off + ", ld " + ld + ") changed from " + before[i] + " to " + after[i]);
      }
    }
  }

  private static boolean[] matrixMask(int length, int rows, int cols, int off, int ld) {
    boolean[] inside = new boolean[length];
    for (int r = 0; r < rows; r++) {
      Arrays.fill(inside, off + r * ld, off + r * ld + cols, true);
    }
    return inside;
  }

  /** Exact widening copy (float32 values are exactly representable in float64). */
  public static double[] widen(float[] x) {
    double[] w = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      w[i] = x[i];
    }
    return w;
  }

  /** A copy, so that both precisions can call {@code widen}. */
  public static double[] widen(double[] x) {
    return x.clone();
  }
}
