package dev.rnn4j.kernels.testing;

import java.util.Random;

/**
 * Random inputs for the kernel tests. Values are produced in float64 and chosen so that they are exactly
 * representable in float32 as well (at most 20 significant bits, exponents well inside both ranges), so both
 * precisions see the same numbers.
 */
public final class TestValues {

  private TestValues() {}

  /** Source of one random value. */
  @FunctionalInterface
  public interface Source {
    double next(Random rnd);
  }

  /**
   * Mixed magnitudes: {@code +-m * 2^e} with a 20-bit mantissa m in [1, 2) and e uniform in
   * {@code [-spread, spread]}; one value in 32 is zero. Mixed signs and magnitudes make sums cancel, which is what
   * the relative-to-{@code sum|terms|} bounds must survive.
   */
  public static Source mixed(int spread) {
    return rnd -> {
      if (rnd.nextInt(32) == 0) {
        return 0;
      }
      double m = 1 + rnd.nextInt(1 << 19) * 0x1p-19;
      double s = rnd.nextBoolean() ? m : -m;
      return Math.scalb(s, rnd.nextInt(2 * spread + 1) - spread);
    };
  }

  /** Uniform in [lo, hi), rounded to 20 significant bits of the interval's scale. */
  public static Source uniform(double lo, double hi) {
    return rnd -> {
      double scale = Math.max(Math.abs(lo), Math.abs(hi));
      double q = Math.scalb(1.0, Math.getExponent(scale) - 19);
      double v = Math.floor((lo + (hi - lo) * rnd.nextDouble()) / q) * q;
      return Math.max(lo, Math.min(v, hi));
    };
  }

  /** Positive, mixed magnitudes {@code m * 2^e}, e in {@code [-spread, spread]} (inputs of log). */
  public static Source positive(int spread) {
    return rnd -> Math.scalb(1 + rnd.nextInt(1 << 19) * 0x1p-19, rnd.nextInt(2 * spread + 1) - spread);
  }

  /**
   * A size in {@code [0, max]}: small and boundary sizes often (0, 1, 2, 3, around powers of two), otherwise uniform,
   * so that odd tails and vector-width boundaries (4, 8, 16, 32 lanes) are hit.
   */
  public static int size(Random rnd, int max) {
    int pick = rnd.nextInt(10);
    int s;
    if (pick == 0) {
      s = rnd.nextInt(4);
    } else if (pick <= 3) {
      int p = 1 << (1 + rnd.nextInt(6));
      s = p + rnd.nextInt(3) - 1;
    } else {
      s = rnd.nextInt(max + 1);
    }
    return Math.min(Math.max(s, 0), max);
  }

  /** A size in {@code [1, max]}. */
  public static int positiveSize(Random rnd, int max) {
    return Math.max(1, size(rnd, max));
  }
}
