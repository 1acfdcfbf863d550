package dev.rnn4j.testkit;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.Locale;

/** Formatting for the kit's messages: short, stable across JDKs, and the same for float32 and float64 values. */
final class Numbers {

  private Numbers() {}

  /**
   * {@code x} to 4 significant digits, without trailing zeros: plain notation for {@code 1e-4 <= |x| < 1e6} ("0.012",
   * "1.5", "123400"), otherwise Python's ("1e-05", "1.3e-06", "2.5e+07"); "nan", "inf", "-inf" as PyTorch prints
   * them. (Four digits tell a person how far apart two numbers are; the full 17 would only hide that.)
   */
  static String format(double x) {
    if (Double.isNaN(x)) {
      return "nan";
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "inf" : "-inf";
    }
    if (x == 0) {
      return (1 / x < 0) ? "-0.0" : "0.0";
    }
    BigDecimal d = new BigDecimal(x).round(new MathContext(4)).stripTrailingZeros();
    double a = Math.abs(x);
    if (a >= 1e-4 && a < 1e6) {
      return d.toPlainString();
    }
    int exponent = d.precision() - d.scale() - 1;
    BigDecimal mantissa = d.movePointLeft(exponent).stripTrailingZeros();
    return mantissa.toPlainString() + "e" + (exponent < 0 ? "-" : "+")
        + String.format(Locale.ROOT, "%02d", Math.abs(exponent));
  }

  /** A percentage with one decimal, as {@code 25.0%}. */
  static String percent(long part, long whole) {
    return String.format(Locale.ROOT, "%.1f%%", whole == 0 ? 0.0 : 100.0 * part / whole);
  }

  /** The coordinates of row-major position {@code flat} in {@code shape}, as {@code [1, 2]}. */
  static String index(int flat, int[] shape) {
    int[] c = new int[shape.length];
    for (int i = shape.length - 1; i >= 0; i--) {
      c[i] = shape[i] == 0 ? 0 : flat % shape[i];
      flat = shape[i] == 0 ? 0 : flat / shape[i];
    }
    return Arrays.toString(c);
  }
}
