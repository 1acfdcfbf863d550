package dev.rnn4j.testkit;

import java.util.Optional;

/**
 * The element-by-element comparison behind {@link Closeness} and {@link KernelAgreement}, with the report of
 * {@code torch.testing.assert_close}: how many elements are out of tolerance, and where the greatest absolute and
 * relative differences are.
 *
 * <p>Element i is close when {@code |actual - expected| <= atol + rtol * |expected|}. Equal values are always close
 * (so equal infinities are, and an infinity is close to nothing else); NaN is close to NaN only with
 * {@code equalNan}, and never to a number. The relative
 * difference is {@code |actual - expected| / |expected|} (infinite where expected is 0 and the values differ); a NaN
 * difference counts as the greatest.
 */
final class Mismatches {

  private Mismatches() {}

  /**
   * The report, or empty when every element is close.
   *
   * @param relative whether to report the greatest relative difference (pointless for a purely absolute bound)
   */
  static Optional<String> report(double[] actual, double[] expected, int[] shape, double atol, double rtol,
                                 boolean equalNan, boolean relative) {
    int n = actual.length;
    int mismatched = 0;
    int absAt = -1;
    int relAt = -1;
    double maxAbs = 0;
    double maxRel = 0;
    for (int i = 0; i < n; i++) {
      double a = actual[i];
      double e = expected[i];
      boolean bothNan = Double.isNaN(a) && Double.isNaN(e);
      double abs;
      double rel;
      boolean close;
      if (a == e || (bothNan && equalNan)) {
        abs = 0;
        rel = 0;
        close = true;
      } else {
        abs = Math.abs(a - e); // NaN when either is NaN; infinite when one is infinite
        rel = e == 0 ? Double.POSITIVE_INFINITY : abs / Math.abs(e);
        // A non-finite value is close only to itself (handled above): rtol * |inf| would allow anything.
        close = Double.isFinite(a) && Double.isFinite(e) && abs <= atol + rtol * Math.abs(e);
      }
      if (!close) {
        mismatched++;
      }
      if (absAt < 0 || greater(abs, maxAbs)) {
        maxAbs = abs;
        absAt = i;
      }
      if (relAt < 0 || greater(rel, maxRel)) {
        maxRel = rel;
        relAt = i;
      }
    }
    if (mismatched == 0) {
      return Optional.empty();
    }
    String report = "Mismatched elements: " + mismatched + " / " + n + " (" + Numbers.percent(mismatched, n)
        + "); greatest absolute difference " + Numbers.format(maxAbs) + " at index " + Numbers.index(absAt, shape)
        + " (allowed " + Numbers.format(atol) + ")";
    if (relative) {
      report += "; greatest relative difference " + Numbers.format(maxRel) + " at index " + Numbers.index(relAt, shape)
          + " (allowed " + Numbers.format(rtol) + ")";
    }
    return Optional.of(report);
  }

  /** NaN is greater than everything but NaN. */
  private static boolean greater(double x, double than) {
    return Double.isNaN(x) ? !Double.isNaN(than) : x > than;
  }
}
