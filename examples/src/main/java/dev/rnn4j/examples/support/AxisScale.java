package dev.rnn4j.examples.support;

import java.util.Arrays;
import java.util.Locale;

/**
 * Axis decisions for the charts, kept out of the drawing code so that they can be tested.
 *
 * <p>XChart labels an x axis whose values (the data's x values plus the axis ends) are equally spaced at every
 * k-th value, with the smallest k whose labels just fit: labels that touch, at odd steps such as 1, 10, 19, 28.
 * For any other x values it places ticks at round numbers (1, 2 or 5 times a power of ten) with its tick-spacing
 * hint. {@link #xRange} chooses the axis ends so that it always does the latter.
 *
 * <p>Its logarithmic axis labels every decade and draws a grid line at every 2..9 within it: fine over a few
 * decades, a wall of labels over forty (gradient norms from 1e-30 to 1e10). Wider ranges are therefore drawn as
 * log10 of the values on a linear axis, whose round-number ticks fall on whole decades, labelled as powers of ten.
 */
public final class AxisScale {
  private AxisScale() {}

  /** At most this many decades go on XChart's own logarithmic axis. */
  public static final int MAX_LIBRARY_LOG_DECADES = 6;

  /**
   * The x axis range {@code {min, max}} for the given x values: the data's range, with the upper end moved half
   * a spacing out when the values and the ends would otherwise be equally spaced.
   */
  public static double[] xRange(double[] xs) {
    double[] sorted = Arrays.stream(xs).filter(Double::isFinite).sorted().distinct().toArray();
    if (sorted.length == 0) {
      return new double[] {0, 1};
    }
    double lo = sorted[0];
    double hi = sorted[sorted.length - 1];
    if (sorted.length >= 2 && equallySpaced(sorted)) {
      hi += (sorted[1] - sorted[0]) / 2;
    }
    if (hi == lo) {
      hi = lo + 1;
    }
    return new double[] {lo, hi};
  }

  /** Whether sorted distinct values have one spacing, with XChart's tolerance of 1e-4. */
  static boolean equallySpaced(double[] sorted) {
    double space = sorted[1] - sorted[0];
    for (int i = 2; i < sorted.length; i++) {
      if (Math.abs(sorted[i] - sorted[i - 1] - space) >= 1e-4) {
        return false;
      }
    }
    return true;
  }

  /** Whether positive values from {@code min} to {@code max} span few enough decades for XChart's log axis. */
  public static boolean libraryLogAxis(double min, double max) {
    return decades(min, max) <= MAX_LIBRARY_LOG_DECADES;
  }

  /** Whole decades from the one below {@code min} to the one above {@code max} (both positive). */
  public static int decades(double min, double max) {
    return (int) (Math.ceil(Math.log10(max)) - Math.floor(Math.log10(min)));
  }

  /**
   * The label of a tick at {@code log10} on a log10-transformed axis: "1", "10", "100", "0.1", "0.01" near 1,
   * "1e5" or "1e-30" further out; a tick between decades shows its value to two digits.
   */
  public static String decadeLabel(double log10) {
    long decade = Math.round(log10);
    if (Math.abs(log10 - decade) > 1e-9) {
      return String.format(Locale.ROOT, "%.2g", Math.pow(10, log10));
    }
    if (decade >= 0 && decade <= 3) {
      return String.valueOf((long) Math.pow(10, decade));
    }
    if (decade < 0 && decade >= -2) {
      return decade == -1 ? "0.1" : "0.01";
    }
    return "1e" + decade;
  }
}
