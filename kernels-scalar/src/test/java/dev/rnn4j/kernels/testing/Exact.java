package dev.rnn4j.kernels.testing;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Expected values computed from the mathematical definitions in higher precision: {@link BigDecimal} with 40
 * significant digits, rounded once to float64 at the end (so an expected value is within 2^-53 relative of the exact
 * result, which {@link #ROUNDING} lets the contract tests add to their bounds). Independent of every kernel
 * implementation: no call into rnn4j code.
 */
public final class Exact {

  /** 40 significant digits: far beyond float64, so the only error left is the final rounding to float64. */
  private static final MathContext MC = new MathContext(40);
  private static final BigDecimal TWO = BigDecimal.valueOf(2);

  /** 1/k! to 80 digits, k = 0..29 (with |r| <= 0.001 the series needs fewer than 20 terms). */
  private static final BigDecimal[] INVERSE_FACTORIALS = new BigDecimal[30];

  static {
    MathContext mc = new MathContext(80);
    BigDecimal factorial = BigDecimal.ONE;
    for (int k = 0; k < INVERSE_FACTORIALS.length; k++) {
      factorial = k == 0 ? BigDecimal.ONE : factorial.multiply(BigDecimal.valueOf(k));
      INVERSE_FACTORIALS[k] = BigDecimal.ONE.divide(factorial, mc);
    }
  }

  /** Relative error of an expected value of this class: one rounding to float64 (2^-53). */
  public static final double ROUNDING = 0x1p-53;

  private Exact() {}

  /** e^x to 40 digits: scale the argument by 2^-h so that |r| <= 0.001, Taylor series, square h times. */
  public static BigDecimal expBig(BigDecimal x) {
    double magnitude = Math.abs(x.doubleValue());
    int halvings = magnitude <= 1e-3 ? 0 : Math.getExponent(magnitude / 1e-3) + 1;
    // Each squaring doubles the relative error, so h halvings cost h log10(2) < h / 3 digits: add them back.
    MathContext mc = new MathContext(45 + halvings / 3);
    BigDecimal r = x.multiply(BigDecimal.valueOf(0.5).pow(halvings), mc); // 0.5^h is exact
    BigDecimal sum = BigDecimal.ONE;
    BigDecimal power = BigDecimal.ONE;
    for (int k = 1; k < INVERSE_FACTORIALS.length; k++) {
      power = power.multiply(r, mc);
      BigDecimal term = power.multiply(INVERSE_FACTORIALS[k], mc);
      sum = sum.add(term, mc);
      if (term.signum() == 0 || term.abs().scale() - term.abs().precision() > 50) {
        break; // |term| < 1e-50
      }
    }
    for (int i = 0; i < halvings; i++) {
      sum = sum.multiply(sum, mc);
    }
    return sum.round(MC);
  }

  /** e^x rounded to float64 (Inf above the float64 range, 0 below). */
  public static double exp(double x) {
    if (Double.isNaN(x)) {
      return Double.NaN;
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? x : 0;
    }
    return expBig(new BigDecimal(x)).doubleValue();
  }

  /** 1 / (1 + e^-x). */
  public static double sigmoid(double x) {
    if (Double.isNaN(x)) {
      return Double.NaN;
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? 1 : 0;
    }
    return sigmoidBig(x).doubleValue();
  }

  static BigDecimal sigmoidBig(double x) {
    return BigDecimal.ONE.divide(BigDecimal.ONE.add(expBig(new BigDecimal(-x))), MC);
  }

  /** tanh x: Taylor series for |x| < 0.001 (no cancellation), else (1 - e^-2|x|) / (1 + e^-2|x|) with x's sign. */
  public static double tanh(double x) {
    if (Double.isNaN(x)) {
      return Double.NaN;
    }
    if (Double.isInfinite(x)) {
      return Math.signum(x);
    }
    return tanhBig(x).doubleValue();
  }

  static BigDecimal tanhBig(double x) {
    BigDecimal bx = new BigDecimal(x);
    if (Math.abs(x) < 1e-3) {
      // tanh x = x - x^3/3 + 2x^5/15 - 17x^7/315 + O(x^9); the x^9 term is below 1e-27 relative here.
      BigDecimal x2 = bx.multiply(bx, MC);
      BigDecimal poly = BigDecimal.ONE
          .subtract(x2.divide(BigDecimal.valueOf(3), MC), MC)
          .add(x2.multiply(x2, MC).multiply(TWO, MC).divide(BigDecimal.valueOf(15), MC), MC)
          .subtract(x2.multiply(x2, MC).multiply(x2, MC).multiply(BigDecimal.valueOf(17), MC)
              .divide(BigDecimal.valueOf(315), MC), MC);
      return bx.multiply(poly, MC);
    }
    BigDecimal e = expBig(new BigDecimal(-2 * Math.abs(x)));
    BigDecimal t = BigDecimal.ONE.subtract(e, MC).divide(BigDecimal.ONE.add(e, MC), MC);
    return x < 0 ? t.negate() : t;
  }

  /** ln x: -Inf at 0, NaN below 0; else Newton's iteration y += 2 (x - e^y) / (x + e^y) from Math.log. */
  public static double log(double x) {
    if (Double.isNaN(x) || x < 0) {
      return Double.NaN;
    }
    if (x == 0) {
      return Double.NEGATIVE_INFINITY;
    }
    if (Double.isInfinite(x)) {
      return x;
    }
    return logBig(new BigDecimal(x), Math.log(x)).doubleValue();
  }

  static BigDecimal logBig(BigDecimal x, double start) {
    BigDecimal y = new BigDecimal(start);
    // Halley's iteration converges cubically: from Math.log's 1e-16, two steps reach 1e-48.
    for (int i = 0; i < 2; i++) {
      BigDecimal e = expBig(y);
      y = y.add(TWO.multiply(x.subtract(e, MC), MC).divide(x.add(e, MC), MC), MC);
    }
    return y;
  }

  /** sum_i x_i y_i, exactly (BigDecimal products and sums of float64 values are exact), rounded once. */
  public static double dot(double[] x, int xOff, double[] y, int yOff, int n) {
    BigDecimal s = BigDecimal.ZERO;
    for (int i = 0; i < n; i++) {
      s = s.add(new BigDecimal(x[xOff + i]).multiply(new BigDecimal(y[yOff + i])));
    }
    return s.doubleValue();
  }

  /** sum_i |x_i y_i| in float64 (only a magnitude for bounds; its own relative error is below n 2^-53). */
  public static double dotAbs(double[] x, int xOff, double[] y, int yOff, int n) {
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += Math.abs(x[xOff + i] * y[yOff + i]);
    }
    return s;
  }

  /** {@code alpha * sum_i x_i y_i + beta * c}, exactly, rounded once (one element of gemm / gemv). */
  public static double affine(double alpha, double[] x, double[] y, double beta, double c) {
    BigDecimal s = BigDecimal.ZERO;
    for (int i = 0; i < x.length; i++) {
      s = s.add(new BigDecimal(x[i]).multiply(new BigDecimal(y[i])));
    }
    BigDecimal r = new BigDecimal(alpha).multiply(s);
    if (beta != 0) {
      r = r.add(new BigDecimal(beta).multiply(new BigDecimal(c)));
    }
    return r.doubleValue();
  }

  /** The exact product of the factors, rounded once. */
  public static double product(double... factors) {
    BigDecimal p = BigDecimal.ONE;
    for (double f : factors) {
      p = p.multiply(new BigDecimal(f));
    }
    return p.doubleValue();
  }

  /** {@code dy * y * (1 - y)} exactly, rounded once. */
  public static double sigmoidBackward(double y, double dy) {
    BigDecimal by = new BigDecimal(y);
    return new BigDecimal(dy).multiply(by).multiply(BigDecimal.ONE.subtract(by)).doubleValue();
  }

  /** {@code dy * (1 - y^2)} exactly, rounded once. */
  public static double tanhBackward(double y, double dy) {
    BigDecimal by = new BigDecimal(y);
    return new BigDecimal(dy).multiply(BigDecimal.ONE.subtract(by.multiply(by))).doubleValue();
  }

  /** The largest element (NaN-free input). */
  public static double max(double[] x) {
    double m = Double.NEGATIVE_INFINITY;
    for (double v : x) {
      m = Math.max(m, v);
    }
    return m;
  }

  /** The smallest element (NaN-free input). */
  public static double min(double[] x) {
    double m = Double.POSITIVE_INFINITY;
    for (double v : x) {
      m = Math.min(m, v);
    }
    return m;
  }

  /** The exact value of {@code a + b} rounded once. */
  public static double sum(double... terms) {
    BigDecimal s = BigDecimal.ZERO;
    for (double t : terms) {
      s = s.add(new BigDecimal(t));
    }
    return s.doubleValue();
  }

  /** Row softmax to 40 digits: e^(x_j - m) / sum_k e^(x_k - m), rounded once per element. */
  public static double[] softmax(double[] x, int off, int n) {
    BigDecimal[] e = new BigDecimal[n];
    BigDecimal s = BigDecimal.ZERO;
    double m = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < n; j++) {
      m = Math.max(m, x[off + j]);
    }
    for (int j = 0; j < n; j++) {
      e[j] = expBig(new BigDecimal(x[off + j]).subtract(new BigDecimal(m)));
      s = s.add(e[j], MC);
    }
    double[] y = new double[n];
    for (int j = 0; j < n; j++) {
      y[j] = e[j].divide(s, MC).doubleValue();
    }
    return y;
  }

  /** Row log-softmax to 40 digits: x_j - m - ln(sum_k e^(x_k - m)), rounded once per element. */
  public static double[] logSoftmax(double[] x, int off, int n) {
    if (n == 0) {
      return new double[0];
    }
    BigDecimal s = BigDecimal.ZERO;
    double m = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < n; j++) {
      m = Math.max(m, x[off + j]);
    }
    BigDecimal bm = new BigDecimal(m);
    for (int j = 0; j < n; j++) {
      s = s.add(expBig(new BigDecimal(x[off + j]).subtract(bm)), MC);
    }
    BigDecimal logS = logBig(s, Math.log(s.doubleValue()));
    double[] y = new double[n];
    for (int j = 0; j < n; j++) {
      y[j] = new BigDecimal(x[off + j]).subtract(bm).subtract(logS, MC).doubleValue();
    }
    return y;
  }
}
