package dev.rnn4j.kernels.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The error bounds the Javadoc of {@link PanamaDoubleKernels} states for its transcendental maps, over random
 * arguments (most of them in the vector part of the loop, a few in the scalar tail) and at the special values.
 *
 * <ul>
 *   <li>exp and tanh are the kernels' own polynomial implementations, whose Javadoc derives a relative error of
 *       at most 2u (exp) and 7.3u (tanh); since an ulp of y exceeds u|y|, that is 2 and 7.3 ulps. In the subnormal
 *       range exp's last rounding is absolute, adding half an ulp: exp is checked within 2.5 ulps. float32 is
 *       checked against the float64 {@link Math} value, whose own error (1 and 2.5 ulps of float64, at most
 *       2.5 * 2^-29 ulp of float32) is added; float64 against {@link Math}, adding Math's bound (1 ulp for exp,
 *       2.5 for tanh): 3.5 and 9.8 ulps.</li>
 *   <li>log is the kernels' own reduction and polynomial, whose Javadoc derives a relative error of at most 2.9u,
 *       so 2.9 ulps: float32 within 2.9 ulps plus the float64 reference's error (1 ulp of float64 = 2^-29 ulp of
 *       float32), float64 within 2.9 + 1 = 3.9 ulps of {@link Math#log} (1 ulp). Checked over uniform arguments,
 *       near 1 (where log m is small and the bound is relative to it), over every binade (arguments with uniformly
 *       random bits, subnormals included), on subnormal, tiny and huge ranges, and at the extreme finite values;
 *       log(1) must be +0 and the special values exactly Math's.</li>
 *   <li>sigmoid from {@code e = exp(-|x|)}: e carries a relative error of at most 2u (1 ulp); {@code 1 + e} with
 *       e <= 1 inherits at most u of it and adds u of rounding; the numerator (1 or e) carries at most 2u; the
 *       division adds u. The relative error is at most 6u (first order), and since an ulp of y exceeds u|y|, at most
 *       6 ulps: float32 against the float64 reference within 6 ulps, float64 against the same formula on
 *       {@link Math} (same bound) within 12. Where e is subnormal, 1 + e rounds to 1 and y = e within 1 ulp.
 *       (Measured: about 2 ulps in both precisions.)</li>
 * </ul>
 */
class PanamaTranscendentalsTest {

  private static final int N = 100_003; // not a multiple of any vector length: the scalar tail runs too
  /** float32 bound in ulps: narrowing (0.5) plus the float64 errors of kernel and reference (2.5 * 2^-29 each). */
  private static final double FLOAT_NARROWED = 0.5 + 5 * 0x1p-29;

  private final PanamaFloatKernels f32 = new PanamaFloatKernels();
  private final PanamaDoubleKernels f64 = new PanamaDoubleKernels();

  /** float32: the float64 reference's own error in float32 ulps (at most 2.5 ulps of float64). */
  private static final double REFERENCE = 2.5 * 0x1p-29;

  @Test
  void expWithinItsDerivedBound() {
    checkFloat("exp", -103, 88.7, f32::exp, Math::exp, 2.5 + REFERENCE);
    checkFloat("exp", -1, 1, f32::exp, Math::exp, 2.5 + REFERENCE);
    checkDouble("exp", -745, 709.7, f64::exp, Math::exp, 3.5);
    checkDouble("exp", -1, 1, f64::exp, Math::exp, 3.5);
  }

  @Test
  void logWithinItsDerivedBound() {
    double f32Bound = 2.9 + 0x1p-29;
    checkFloat("log", 0, 4, f32::log, Math::log, f32Bound);
    checkFloat("log", 0, 3e38, f32::log, Math::log, f32Bound);
    checkFloat("log", 0.99, 1.01, f32::log, Math::log, f32Bound);
    checkFloat("log", 0.7, 1.5, f32::log, Math::log, f32Bound);
    checkFloat("log", 0, 1e-37, f32::log, Math::log, f32Bound); // subnormal and near the normal boundary
    checkFloatBits("log", f32::log, Math::log, f32Bound);
    checkDouble("log", 0, 4, f64::log, Math::log, 3.9);
    checkDouble("log", 0, 1e308, f64::log, Math::log, 3.9);
    checkDouble("log", 1 - 1e-6, 1 + 1e-6, f64::log, Math::log, 3.9);
    checkDouble("log", 0.7, 1.5, f64::log, Math::log, 3.9);
    checkDouble("log", 0, 1e-300, f64::log, Math::log, 3.9);
    checkDouble("log", 0, 0x1p-1022, f64::log, Math::log, 3.9); // subnormal
    checkDoubleBits("log", f64::log, Math::log, 3.9);
    float[] xf = {Float.MIN_VALUE, 2 * Float.MIN_VALUE, Float.MIN_NORMAL, Math.nextDown(Float.MIN_NORMAL),
        Float.MAX_VALUE, Math.nextUp(1f), Math.nextDown(1f), 2f, 0.5f, (float) Math.sqrt(2), (float) Math.sqrt(0.5)};
    checkFloatValues("log", xf, f32::log, Math::log, f32Bound);
    double[] xd = {Double.MIN_VALUE, 2 * Double.MIN_VALUE, Double.MIN_NORMAL, Math.nextDown(Double.MIN_NORMAL),
        Double.MAX_VALUE, Math.nextUp(1.0), Math.nextDown(1.0), 2, 0.5, Math.sqrt(2), Math.sqrt(0.5)};
    checkDoubleValues("log", xd, f64::log, Math::log, 3.9);
  }

  @Test
  void logSpecialValuesAreMathsExactly() {
    float[] xf = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 1f, -1f, -Float.MIN_VALUE,
        -Float.MAX_VALUE, Float.intBitsToFloat(0xffc00001)};
    double[] xd = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, -0d, 1, -1, -Double.MIN_VALUE,
        -Double.MAX_VALUE, Double.longBitsToDouble(0xfff8000000000001L)};
    // specials* compare NaN, infinities and zeros (with their sign: log(1) is +0) exactly.
    specialsFloat("log", xf, f32::log, Math::log);
    specialsDouble("log", xd, f64::log, Math::log);
  }

  @Test
  void tanhWithinItsDerivedBound() {
    checkFloat("tanh", -12, 12, f32::tanh, Math::tanh, 7.3 + REFERENCE);
    checkFloat("tanh", -1.5, 1.5, f32::tanh, Math::tanh, 7.3 + REFERENCE);
    checkFloat("tanh", -1e-3, 1e-3, f32::tanh, Math::tanh, 7.3 + REFERENCE);
    checkDouble("tanh", -25, 25, f64::tanh, Math::tanh, 9.8);
    checkDouble("tanh", -1.5, 1.5, f64::tanh, Math::tanh, 9.8);
    checkDouble("tanh", -1e-3, 1e-3, f64::tanh, Math::tanh, 9.8);
  }

  @Test
  void sigmoidWithinItsDerivedBound() {
    DoubleUnaryOperator sigmoid = x -> x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    checkFloat("sigmoid", -110, 20, f32::sigmoid, sigmoid, 6);
    checkDouble("sigmoid", -750, 40, f64::sigmoid, sigmoid, 12);
  }

  @Test
  void specialValuesFollowMath() {
    float[] xf = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 1e4f, -1e4f, -1f, 1f};
    double[] xd = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0, -0d, 1e4, -1e4, -1, 1};
    DoubleUnaryOperator sigmoid = x -> x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    specialsFloat("exp", xf, f32::exp, Math::exp);
    specialsFloat("log", xf, f32::log, Math::log);
    specialsFloat("tanh", xf, f32::tanh, Math::tanh);
    specialsFloat("sigmoid", xf, f32::sigmoid, sigmoid);
    specialsDouble("exp", xd, f64::exp, Math::exp);
    specialsDouble("log", xd, f64::log, Math::log);
    specialsDouble("tanh", xd, f64::tanh, Math::tanh);
    specialsDouble("sigmoid", xd, f64::sigmoid, sigmoid);
  }

  interface FloatMap {
    void apply(int n, float[] x, int xOff, float[] y, int yOff);
  }

  interface DoubleMap {
    void apply(int n, double[] x, int xOff, double[] y, int yOff);
  }

  private static void checkFloat(String name, double lo, double hi, FloatMap map, DoubleUnaryOperator exact,
                                 double ulps) {
    SplittableRandom rnd = new SplittableRandom(name.hashCode() + Double.hashCode(lo) + 31 * Double.hashCode(hi));
    float[] x = new float[N];
    for (int i = 0; i < N; i++) {
      x[i] = (float) rnd.nextDouble(lo, hi);
    }
    checkFloatValues(name, x, map, exact, ulps);
  }

  /** Positive finite arguments with uniformly random bits: every binade equally often, subnormals included. */
  private static void checkFloatBits(String name, FloatMap map, DoubleUnaryOperator exact, double ulps) {
    SplittableRandom rnd = new SplittableRandom(name.hashCode() + 2);
    float[] x = new float[N];
    for (int i = 0; i < N; i++) {
      x[i] = Float.intBitsToFloat(rnd.nextInt(1, 0x7f800000));
    }
    checkFloatValues(name, x, map, exact, ulps);
  }

  private static void checkFloatValues(String name, float[] values, FloatMap map, DoubleUnaryOperator exact,
                                       double ulps) {
    float[] x = repeatedPastTheTail(values);
    int n = x.length;
    float[] y = new float[n];
    map.apply(n, x, 0, y, 0);
    for (int i = 0; i < n; i++) {
      double want = exact.applyAsDouble(x[i]);
      float rounded = (float) want;
      float got = y[i];
      double err = Math.abs(got - want);
      double ulp = Math.ulp(rounded == 0 ? Float.MIN_VALUE : rounded);
      int at = i;
      assertTrue(got == rounded || err <= ulps * ulp,
          () -> name + "(" + x[at] + ") = " + got + ", want " + want + " within " + ulps + " ulp");
    }
  }

  private static void checkDouble(String name, double lo, double hi, DoubleMap map, DoubleUnaryOperator math,
                                  double ulps) {
    SplittableRandom rnd = new SplittableRandom(name.hashCode() + 1 + Double.hashCode(lo) + 31 * Double.hashCode(hi));
    double[] x = new double[N];
    for (int i = 0; i < N; i++) {
      x[i] = rnd.nextDouble(lo, hi);
    }
    checkDoubleValues(name, x, map, math, ulps);
  }

  /** Positive finite arguments with uniformly random bits: every binade equally often, subnormals included. */
  private static void checkDoubleBits(String name, DoubleMap map, DoubleUnaryOperator math, double ulps) {
    SplittableRandom rnd = new SplittableRandom(name.hashCode() + 3);
    double[] x = new double[N];
    for (int i = 0; i < N; i++) {
      x[i] = Double.longBitsToDouble(rnd.nextLong(1, 0x7ff0000000000000L));
    }
    checkDoubleValues(name, x, map, math, ulps);
  }

  private static void checkDoubleValues(String name, double[] values, DoubleMap map, DoubleUnaryOperator math,
                                        double ulps) {
    double[] x = repeatedPastTheTail(values);
    int n = x.length;
    double[] y = new double[n];
    map.apply(n, x, 0, y, 0);
    for (int i = 0; i < n; i++) {
      double want = math.applyAsDouble(x[i]);
      double got = y[i];
      double ulp = Math.ulp(want == 0 ? Double.MIN_VALUE : want);
      int at = i;
      assertTrue(got == want || Math.abs(got - want) <= ulps * ulp,
          () -> name + "(" + x[at] + ") = " + got + ", Math gives " + want + "; allowed " + ulps + " ulp");
    }
  }

  /**
   * A short list repeated (67 times) so that every value lands both in vector lanes and in the scalar tail; a long
   * array (already N elements, not a multiple of any vector length) as it is.
   */
  private static float[] repeatedPastTheTail(float[] values) {
    if (values.length >= N) {
      return values;
    }
    float[] x = new float[67 * values.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = values[i % values.length];
    }
    return x;
  }

  private static double[] repeatedPastTheTail(double[] values) {
    if (values.length >= N) {
      return values;
    }
    double[] x = new double[67 * values.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = values[i % values.length];
    }
    return x;
  }

  private static void specialsFloat(String name, float[] values, FloatMap map, DoubleUnaryOperator math) {
    // Repeated so that every value lands in vector lanes and in the scalar tail.
    int n = 67 * values.length;
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = values[i % values.length];
    }
    float[] y = new float[n];
    map.apply(n, x, 0, y, 0);
    for (int i = 0; i < n; i++) {
      float want = (float) math.applyAsDouble(x[i]);
      if (Float.isNaN(want) || Float.isInfinite(want) || want == 0 || Math.abs(want) == 1) {
        assertEquals(want, y[i], name + "(" + x[i] + ")");
      } else {
        assertEquals(want, y[i], Math.ulp(want), name + "(" + x[i] + ")");
      }
    }
  }

  private static void specialsDouble(String name, double[] values, DoubleMap map, DoubleUnaryOperator math) {
    int n = 67 * values.length;
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = values[i % values.length];
    }
    double[] y = new double[n];
    map.apply(n, x, 0, y, 0);
    for (int i = 0; i < n; i++) {
      double want = math.applyAsDouble(x[i]);
      if (Double.isNaN(want) || Double.isInfinite(want) || want == 0 || Math.abs(want) == 1) {
        assertEquals(want, y[i], name + "(" + x[i] + ")");
      } else {
        assertEquals(want, y[i], 2 * Math.ulp(want), name + "(" + x[i] + ")");
      }
    }
  }
}
