package dev.rnn4j.nn.recurrent;

import static dev.rnn4j.nn.recurrent.GradientClippingTest.withGrad;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Tensor;
import dev.rnn4j.testing.TestKernels;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The global norm of {@link GradientClipping#clipByNorm} against an exact reference (integer arithmetic: the squares
 * of doubles and their sum are exact; the square root to 64 bits), on random gradients whose magnitudes span the
 * whole range of the dtype, so that the fast path (plain kernel sum of squares), the safe pass (float64 squares of
 * float32 elements, the scaled dlassq update for float64) and their combination across parameters all run.
 *
 * <p>Bounds, first order in the unit roundoff (N elements in all, P parameters):
 * <ul>
 *   <li>float64: a parameter's plain sum has relative error at most n u from rounding (n squares and n − 1 additions,
 *       γ_n) plus n u from squares flushed below the normal range (the fast path is taken only for a sum ≥
 *       Double.MIN_NORMAL; each flushed square loses at most 2^-1075 = u · MIN_NORMAL); the scaled pass at most
 *       (3 + 4r) u per term after r rescalings ({@link ScaledSumOfSquares}); combining P parameters rescales at most P
 *       times (4 u each) after a square root (2 u on the square). So the sum of squares is within (4N + 4P + 2) u and
 *       the norm (square root, product) within (2N + 2P + 3) u, relative; plus the smallest subnormal absolute, for
 *       a norm that is itself subnormal (its rounding, and the reference's).</li>
 *   <li>float32: the kernel's plain float32 sum has relative error at most 2 n u_f (as above, with 2^-150 per flushed
 *       square); the safe pass is float64; the float64 combination adds (4P + 2) u_d. The norm is within
 *       (N + 2) u_f relative (4P u_d is far below one u_f for the P used here).</li>
 * </ul>
 * A norm that overflowed (the bug this fixes) or underflowed to zero is off by the whole value.
 */
class GradientNormAccuracyTest {

  private static final double U64 = 0x1p-53;
  private static final double U32 = 0x1p-24;

  /**
   * Exponent ranges (base 2) the random elements are drawn from: normal, huge, tiny (subnormals), everything. Up to
   * 160 float64 elements below 2^1011 have a norm below 2^1015: representable (see mixedHugeAndTinyKnownAnswers for
   * one that is not).
   */
  private static final int[][] RANGES64 = {{-10, 10}, {500, 1010}, {-1074, -500}, {-1074, 1010}};
  private static final int[][] RANGES32 = {{-10, 10}, {50, 127}, {-149, -50}, {-149, 127}};

  @Test
  void normAgreesWithExactReferenceOnRandomGradients() {
    for (Kernels k : TestKernels.all()) {
      for (DType dt : DType.values()) {
        int[][] ranges = dt == DType.FLOAT64 ? RANGES64 : RANGES32;
        for (int[] range : ranges) {
          SplittableRandom rng = new SplittableRandom(31L * range[0] + range[1]);
          for (int trial = 0; trial < 20; trial++) {
            List<Tensor> params = randomParams(dt, rng, range[0], range[1]);
            int n = 0;
            for (Tensor p : params) {
              n += p.grad().numel();
            }
            double ref = exactNorm(params);
            assertTrue(Double.isFinite(ref), "the reference is finite: " + ref);
            double norm = KernelScope.get(k, () -> GradientClipping.clipByNorm(params, Double.MAX_VALUE));
            double bound = dt == DType.FLOAT64 ? (2.0 * n + 2 * params.size() + 3) * U64 * ref + Double.MIN_VALUE
                : (n + 2) * U32 * ref;
            assertTrue(Math.abs(norm - ref) <= bound, k.name() + " " + dt + " exponents " + range[0] + ".." + range[1]
                + ", trial " + trial + ": norm " + norm + ", exact " + ref + ", bound " + bound);
          }
        }
      }
    }
  }

  /**
   * After clipping, the exact norm of the gradients is at most maxNorm up to rounding: the coefficient
   * maxNorm / (norm + 1e-6) is computed from a norm within ε of the exact one (ε the bound above) and rounded (u_d,
   * and u_f more when cast to float32), and each product g · coef is rounded once (u of the dtype): exact norm after
   * ≤ maxNorm (1 + ε + u_d + 2 u), plus sqrt(N) times half the subnormal spacing when the clipped elements fall
   * below the normal range (maxNorm is drawn from the whole range, subnormals included). Every element keeps its
   * direction: g · coef to within 2 u of the dtype.
   */
  @Test
  void clippedGradientsHaveNormAtMostMaxNorm() {
    for (DType dt : DType.values()) {
      int[][] ranges = dt == DType.FLOAT64 ? RANGES64 : RANGES32;
      double u = dt == DType.FLOAT64 ? U64 : U32;
      for (int[] range : ranges) {
        SplittableRandom rng = new SplittableRandom(7L * range[0] - range[1]);
        for (int trial = 0; trial < 40; trial++) {
          List<Tensor> params = randomParams(dt, rng, range[0], range[1]);
          int n = 0;
          List<double[]> before = new ArrayList<>();
          for (Tensor p : params) {
            n += p.grad().numel();
            before.add(p.grad().toDoubleArray());
          }
          double ref = exactNorm(params);
          double maxNorm = Math.scalb(1.0, range[0] + rng.nextInt(range[1] - range[0] + 1));
          ClipResult r = GradientClipping.clipByNorm(params, maxNorm, NonFiniteNorm.THROW);
          double eps = dt == DType.FLOAT64 ? (2.0 * n + 2 * params.size() + 3) * U64 : (n + 2) * U32;
          double after = exactNorm(params);
          String what = dt + " " + range[0] + ".." + range[1] + " trial " + trial + ": norm " + ref + ", maxNorm "
              + maxNorm;
          if (r.clipped()) {
            // a product below the normal range is rounded by up to half the subnormal spacing, absolute
            double halfSpacing = dt == DType.FLOAT64 ? Double.MIN_VALUE / 2 : 0x1p-150;
            assertTrue(after <= maxNorm * (1 + eps + U64 + 2 * u) + Math.sqrt(n) * halfSpacing,
                what + ": after " + after);
            for (int i = 0; i < params.size(); i++) {
              double[] g = params.get(i).grad().toDoubleArray();
              for (int j = 0; j < g.length; j++) {
                double want = before.get(i)[j] * r.scale();
                // one rounding of the product, one of coef to float32; a result below the normal range is off by
                // at most half its spacing (2^-150 float32, 2^-1075 float64)
                double tol = 2 * u * Math.abs(want) + (dt == DType.FLOAT64 ? Double.MIN_VALUE : 0x1p-149);
                assertEquals(want, g[j], tol, what + " element " + i + "," + j);
              }
            }
          } else {
            assertTrue(ref <= maxNorm * (1 + eps) + 1e-6, what + ": not clipped");
            for (int i = 0; i < params.size(); i++) {
              assertArrayEquals(before.get(i), params.get(i).grad().toDoubleArray(), 0, what);
            }
          }
        }
      }
    }
  }

  /** Known answers: huge and tiny together, across parameters and within one, and a float64 norm that overflows. */
  @Test
  void mixedHugeAndTinyKnownAnswers() {
    // float64: [3e200] and [1e-200, -4e200]: 5e200, the 1e-200 far below rounding (each element within u of its
    // decimal value, the norm within (2N + 2P + 3) u = 13 u of 5e200, relative)
    Tensor a = withGrad(DType.FLOAT64, 3e200);
    Tensor b = withGrad(DType.FLOAT64, 1e-200, -4e200);
    assertEquals(5e200, GradientClipping.clipByNorm(List.of(a, b), Double.MAX_VALUE), 5e200 * 15 * U64);
    // float32 in one parameter: [3e19, 1e-30, 4e19], 5e19 within 3 u_f
    Tensor c = withGrad(DType.FLOAT32, 3e19, 1e-30, 4e19);
    assertEquals(5e19, GradientClipping.clipByNorm(List.of(c), Float.MAX_VALUE), 5e19 * 3 * U32);
    // a tiny parameter first, then a normal one: the tiny one's scaled sum is not lost when the scale grows
    Tensor t = withGrad(DType.FLOAT64, 3e-300, 4e-300);
    Tensor s = withGrad(DType.FLOAT64, 0, 0);
    assertEquals(5e-300, GradientClipping.clipByNorm(List.of(s, t), 1), 5e-300 * 15 * U64);
    // float64 gradients whose norm (sqrt(2) 1.5e308) exceeds Double.MAX_VALUE: reported as +Infinity, still finite
    // gradients, and clipped to [1/sqrt(2), 1/sqrt(2)] (coefficient from the scaled form, 4 roundings, then product)
    Tensor h = withGrad(DType.FLOAT64, 1.5e308, 1.5e308);
    ClipResult r = GradientClipping.clipByNorm(Map.of("h", h), 1, NonFiniteNorm.THROW);
    assertEquals(Double.POSITIVE_INFINITY, r.norm());
    assertTrue(r.finite() && r.clipped());
    assertArrayEquals(new double[] {Math.sqrt(0.5), Math.sqrt(0.5)}, h.grad().toDoubleArray(), 6 * U64);
  }

  /** 1 to 4 parameters of 1 to 40 elements (some exactly zero), magnitudes 2^e, e uniform in [lo, hi]. */
  private static List<Tensor> randomParams(DType dt, SplittableRandom rng, int lo, int hi) {
    int count = 1 + rng.nextInt(4);
    List<Tensor> params = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      double[] g = new double[1 + rng.nextInt(40)];
      for (int j = 0; j < g.length; j++) {
        double v = rng.nextInt(10) == 0 ? 0 : Math.scalb(1 + rng.nextDouble(), lo + rng.nextInt(hi - lo + 1));
        g[j] = rng.nextBoolean() ? v : -v;
      }
      params.add(withGrad(dt, g));
    }
    return params;
  }

  /**
   * sqrt(Σ g²) over the gradients as stored: each element is m · 2^e with an integer m of at most 53 bits, so the sum
   * of squares is an exact BigInteger times 2^(2 e_min); its integer square root, taken with at least 130 bits, is
   * within 2^-63 relative of the true one (64 bits kept) before the final rounding to double.
   */
  static double exactNorm(List<Tensor> params) {
    List<double[]> all = new ArrayList<>();
    int eMin = Integer.MAX_VALUE;
    for (Tensor p : params) {
      double[] g = p.grad().toDoubleArray();
      all.add(g);
      for (double v : g) {
        if (v != 0) {
          eMin = Math.min(eMin, exponent(v));
        }
      }
    }
    if (eMin == Integer.MAX_VALUE) {
      return 0;
    }
    BigInteger sum = BigInteger.ZERO;
    for (double[] g : all) {
      for (double v : g) {
        if (v != 0) {
          BigInteger m = BigInteger.valueOf(mantissa(v));
          sum = sum.add(m.multiply(m).shiftLeft(2 * (exponent(v) - eMin)));
        }
      }
    }
    int s = Math.max(0, (130 - sum.bitLength()) / 2 + 1);
    BigInteger root = sum.shiftLeft(2 * s).sqrt(); // sqrt(sum) · 2^s, rounded down
    int extra = Math.max(0, root.bitLength() - 64); // keep 64 bits so that doubleValue cannot overflow
    return Math.scalb(root.shiftRight(extra).doubleValue(), eMin - s + extra);
  }

  /** The integer m of |v| = m · 2^e. */
  private static long mantissa(double v) {
    long bits = Double.doubleToRawLongBits(v) & 0x000f_ffff_ffff_ffffL;
    return Math.getExponent(v) < Double.MIN_EXPONENT ? bits : bits | 0x0010_0000_0000_0000L;
  }

  /** The e of |v| = m · 2^e with m from {@link #mantissa}. */
  private static int exponent(double v) {
    return Math.getExponent(v) < Double.MIN_EXPONENT ? -1074 : Math.getExponent(v) - 52;
  }
}
