package dev.rnn4j.kernels.simd;

// rnn4j:generate-float

import static dev.rnn4j.kernels.simd.PanamaDoubleSpecies.FOLDS;
import static dev.rnn4j.kernels.simd.PanamaDoubleSpecies.LANES;
import static dev.rnn4j.kernels.simd.PanamaDoubleSpecies.SPECIES;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector /*f32:jdk.incubator.vector.IntVector*/;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;

/**
 * The transcendental kernels in float64: sigmoid, tanh, exp and log over arrays, the shifted exponential that the
 * softmax kernels sum, and the scalar twins that compute the tails.
 *
 * <p>exp and tanh (and sigmoid, softmax and the LSTM/GRU kernels through them) are computed from exact per-lane
 * operations only: Cody-Waite reduction, a degree-13 (float32: degree-8) Taylor polynomial and a scaling by 2^k built
 * from exponent bits. log likewise: x = 2^e m with m in [sqrt(1/2), sqrt(2)) from the exponent and mantissa bits
 * (subnormals scaled up first), {@code log m = 2 atanh(s)}, {@code s = (m - 1) / (m + 1)}, as
 * {@code f - f^2/2 + s (f^2/2 + R(s^2))} with f = m - 1 and a degree-7 (float32: degree-4) polynomial R in s^2, plus
 * e ln2 in two parts (Cody-Waite) by one final fma. Their error is at most 2u relative for exp, 7.3u for tanh and
 * 2.9u for log (first order, u = 2^-53 or 2^-24; derivations at expShifted, tanh(double) and log(double)). None uses
 * {@code VectorOperators.EXP/TANH/LOG}: C2 implements those with SVML routines and the interpreter and C1 with
 * {@link Math} per lane, which differ in the last bit, so results would change while the JIT warms up. The scalar
 * tails run scalar twins of the vector loops (the same operations in the same order), so an element gets the same
 * bits whether it lands in a vector or in the tail.
 *
 * <h2>Inlining</h2>
 * A vector value passed to or returned from a method that C2 does not inline is boxed (an allocation per call). The
 * Vector API's own methods are force-inlined, but ours are inlined only while the compilation is small: once C2 has
 * created NodeCountInliningCutoff (18000) nodes, it inlines no further ordinary method. The polynomial exp and tanh
 * cost thousands of nodes each, so with small vector helpers (as an earlier version had) the fused LSTM and GRU
 * kernels, which called them five and three times per loop, crossed that limit and boxed 6 KiB per step. So no
 * method of this class takes or returns a vector: the polynomial is written out in the three loops that need it
 * (sigmoid, tanh, expShifted), the fused kernels, softmax and log-softmax call those loops on arrays (a call that is
 * not inlined then costs a call, not an allocation). Two ways of writing the exp polynomial once were measured and
 * not kept: small vector helpers under the three loops made the loops short enough for C2 to inline two of them
 * into lstmForward, whose helpers then failed at the cutoff (9 KiB boxed per call); one loop serving exp, sigmoid
 * and tanh by a mode allocated nothing but made tanh and the LSTM streaming step 13-15% slower.
 * {@code PanamaZeroAllocationTest} checks that the maps and the fused kernels allocate nothing after warm-up.
 */
// Casts around Math calls are redundant in the 64-bit source; the generated 32-bit twin needs them.
@SuppressWarnings("cast")
final class PanamaDoubleMath {

  // exp, tanh and log from exact per-lane operations only (add, mul, fma, div, min/max, blend, conversions, bit
  // moves), so that every JIT tier computes the same bits (VectorOperators.EXP/TANH/LOG call SVML stubs in C2 and
  // Math per lane before, which differ in the last bit). The scalar twins below do the same operations as the vector
  // forms, for the tails.

  /** log2(e), rounded. */
  private static final double LOG2E = 0x1.71547652b82fep0 /*f32:0x1.715476p0f*/;
  /** 1.5 * 2^52: adding and subtracting it rounds a value below 2^51 in magnitude to an integer (ties to even). */
  private static final double ROUND_SHIFT = 0x1.8p52 /*f32:0x1.8p23f*/;
  /**
   * ln 2 = LN2_HI + LN2_LO (to twice the precision). With k = rint(x / ln2) integral (at most 11 bits), x - k LN2_HI
   * is exact in one fma (LN2_HI has 53 bits, and the difference is below 1 in magnitude with no bits below those of
   * k LN2_HI); the second fma, r = that - k LN2_LO, rounds once.
   */
  private static final double LN2_HI = 0x1.62e42fefa39efp-1 /*f32:0x1.62e43p-1f*/;
  private static final double LN2_LO = 0x1.abc9e3b39803fp-56 /*f32:-0x1.05c61p-29f*/;
  /** exp overflows above this (exp(709.79) is the largest double) and is 0 below EXP_MIN. */
  private static final double EXP_MAX = 710.0 /*f32:89.0f*/;
  private static final double EXP_MIN = -746.0 /*f32:-104.0f*/;
  /**
   * For |x| <= EXP_FAST, e^x and e^r * 2^k (e^r in [0.70, 1.42], |k| <= 1021, float32: 124) are normal numbers, so
   * 2^k can be applied by adding k to the exponent field of e^r. Otherwise 2^k (k in [-1077, 1025], float32:
   * [-150, 129]) is applied as two exact scalings by the normal numbers 2^(k>>1) and 2^(k - (k>>1)): only the last
   * multiplication rounds (overflow to infinity, gradual underflow correctly rounded). Both are exact in the fast
   * range, so the bits do not depend on which lanes share a vector.
   */
  private static final double EXP_FAST = 708.0 /*f32:86.0f*/;
  /** tanh(x) rounds to 1 for x above this (1 - tanh(20) = 8e-18 < u / 2), which keeps exp(2x) finite. */
  private static final double TANH_MAX = 20.0 /*f32:10.0f*/;
  private static final int EXPONENT_SHIFT = 52 /*f32:23*/;
  private static final long /*f32:int*/ EXPONENT_BIAS = 1023 /*f32:127*/;
  /**
   * Taylor coefficients 1/n! of P(r) = (e^r - 1) / r = C1 + C2 r + ... + C13 r^12, evaluated by Horner's rule with
   * fused multiply-adds from P_LEAD down. On |r| <= ln2/2 (+ a rounding) the first omitted term of e^r, r^14/14!, is
   * below 4.3e-18 = 0.04u relative to e^r >= 0.7; in float32 the polynomial stops at C8 (C9..C13 are zero and
   * skipped), and r^9/9! <= 2.0e-10 = 0.004u (u = 2^-24).
   */
  private static final double C1 = 1.0;
  private static final double C2 = 0.5;
  private static final double C3 = 0x1.5555555555555p-3 /*f32:0x1.555556p-3f*/;
  private static final double C4 = 0x1.5555555555555p-5 /*f32:0x1.555556p-5f*/;
  private static final double C5 = 0x1.1111111111111p-7 /*f32:0x1.111112p-7f*/;
  private static final double C6 = 0x1.6c16c16c16c17p-10 /*f32:0x1.6c16c2p-10f*/;
  private static final double C7 = 0x1.a01a01a01a01ap-13 /*f32:0x1.a01a02p-13f*/;
  private static final double C8 = 0x1.a01a01a01a01ap-16 /*f32:0x1.a01a02p-16f*/;
  private static final double C9 = 0x1.71de3a556c734p-19 /*f32:0.0f*/;
  private static final double C10 = 0x1.27e4fb7789f5cp-22 /*f32:0.0f*/;
  private static final double C11 = 0x1.ae64567f544e4p-26 /*f32:0.0f*/;
  private static final double C12 = 0x1.1eed8eff8d898p-29 /*f32:0.0f*/;
  private static final double C13 = 0x1.6124613a86d09p-33 /*f32:0.0f*/;
  /** The leading coefficient of P: C13 in float64, C8 in float32. */
  private static final double P_LEAD = C13 /*f32:C8*/;
  /**
   * Whether P has the terms C12..C8 after its lead (float64); a compile-time constant, so the float32 class has no
   * code for them.
   */
  private static final boolean P_HIGH_TERMS = true /*f32:false*/;

  /**
   * x = 2^e m with m in [sqrt(1/2), sqrt(2)): e is the exponent of x / LOG_OFFSET's value, taken from the bits.
   * These are the bits of sqrt(1/2) rounded.
   */
  private static final long /*f32:int*/ LOG_OFFSET = 0x3fe6a09e667f3bcdL /*f32:0x3f3504f3*/;
  /** Subnormal x are scaled by 2^54 (float32: 2^24) into the normal range, and 54 (24) is taken off e. */
  private static final double LOG_TINY_SCALE = 0x1p54 /*f32:0x1p24f*/;
  private static final double LOG_TINY_SHIFT = 54.0 /*f32:24.0f*/;
  /**
   * R(z) = z (LG1 + LG2 z + ... + LG7 z^6), z = s^2, approximates {@code 2 atanh(s) - 2s}'s part beyond
   * {@code f - f^2/2 + s f^2/2} (fdlibm's e_log.c coefficients, a minimax fit on |s| <= 0.1716 with
   * |R - exact| <= 2^-58.45). In float32 the polynomial stops at the fourth coefficient (musl's logf.c fit, error
   * below 2^-34.24); LG5..LG7 are zero there and skipped.
   */
  private static final double LG1 = 0x1.5555555555593p-1 /*f32:0x1.555554p-1f*/;
  private static final double LG2 = 0x1.999999997fa04p-2 /*f32:0x1.999c26p-2f*/;
  private static final double LG3 = 0x1.2492494229359p-2 /*f32:0x1.23d3dcp-2f*/;
  private static final double LG4 = 0x1.c71c51d8e78afp-3 /*f32:0x1.f13c4cp-3f*/;
  private static final double LG5 = 0x1.7466496cb03dep-3 /*f32:0.0f*/;
  private static final double LG6 = 0x1.39a09d078c69fp-3 /*f32:0.0f*/;
  private static final double LG7 = 0x1.2f112df3e5244p-3 /*f32:0.0f*/;
  /** The leading coefficient of R / z: LG7 in float64, LG4 in float32. */
  private static final double LG_LEAD = LG7 /*f32:LG4*/;
  /** Whether R has the terms LG6..LG4 after its lead (float64). */
  private static final boolean LG_HIGH_TERMS = true /*f32:false*/;

  private PanamaDoubleMath() {}

  /**
   * From {@code e = exp(-|x|)} in (0, 1]: {@code 1 / (1 + e)} for x >= 0, {@code e / (1 + e)} otherwise; exp as in
   * {@link #exp(int, double[], int, double[], int)}, written out in this loop (see the class comment on inlining).
   */
  static void sigmoid(int n, double[] x, int xOff, double[] y, int yOff) {
    int bound = SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += LANES) {
      DoubleVector v = DoubleVector.fromArray(SPECIES, x, xOff + i);
      DoubleVector a = v.abs();
      boolean fast = a.compare(VectorOperators.LE, EXP_FAST).allTrue();
      // Clamped only when some lane is out of the fast range (where the clamp changes nothing anyway): Math.max's
      // semantics (NaN, signed zeros) cost several instructions per vector.
      DoubleVector xc = fast ? a.neg() : a.neg().max(EXP_MIN);
      DoubleVector k = xc.fma(LOG2E, ROUND_SHIFT).sub(ROUND_SHIFT);
      DoubleVector r = k.fma(DoubleVector.broadcast(SPECIES, -LN2_HI), xc);
      r = k.fma(DoubleVector.broadcast(SPECIES, -LN2_LO), r);
      DoubleVector p = DoubleVector.broadcast(SPECIES, P_LEAD);
      if (P_HIGH_TERMS) {
        p = p.fma(r, DoubleVector.broadcast(SPECIES, C12));
        p = p.fma(r, DoubleVector.broadcast(SPECIES, C11));
        p = p.fma(r, DoubleVector.broadcast(SPECIES, C10));
        p = p.fma(r, DoubleVector.broadcast(SPECIES, C9));
        p = p.fma(r, DoubleVector.broadcast(SPECIES, C8));
      }
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C7));
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C6));
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C5));
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C4));
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C3));
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C2));
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C1));
      DoubleVector er = r.fma(p, DoubleVector.broadcast(SPECIES, 1.0));
      LongVector /*f32:IntVector*/ ki =
          (LongVector /*f32:IntVector*/) k.convert(VectorOperators.D2L /*f32:VectorOperators.F2I*/, 0);
      DoubleVector e;
      if (fast) {
        e = er.reinterpretAsLongs /*f32:er.reinterpretAsInts*/().add(ki.lanewise(VectorOperators.LSHL, EXPONENT_SHIFT))
            .reinterpretAsDoubles();
      } else {
        LongVector /*f32:IntVector*/ k1 = ki.lanewise(VectorOperators.ASHR, 1);
        LongVector /*f32:IntVector*/ k2 = ki.sub(k1);
        e = er.mul(k1.add(EXPONENT_BIAS).lanewise(VectorOperators.LSHL, EXPONENT_SHIFT).reinterpretAsDoubles())
            .mul(k2.add(EXPONENT_BIAS).lanewise(VectorOperators.LSHL, EXPONENT_SHIFT).reinterpretAsDoubles());
      }
      DoubleVector num = e.blend(DoubleVector.broadcast(SPECIES, 1.0), v.compare(VectorOperators.GE, 0.0));
      num.div(e.add(1.0)).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] = sigmoid(x[xOff + i]);
    }
  }

  /**
   * {@code tanh(x) = sign(x) E / (E + 2)} with {@code E = e^(2a) - 1}, {@code a = min(|x|, TANH_MAX)}, E from the
   * reduction and polynomial of {@link #exp(int, double[], int, double[], int)} without cancellation (see
   * {@link #tanh(double)} for the error bound), written out in this loop (see the class comment on inlining).
   */
  static void tanh(int n, double[] x, int xOff, double[] y, int yOff) {
    int bound = SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += LANES) {
      DoubleVector v = DoubleVector.fromArray(SPECIES, x, xOff + i);
      // min(|x|, TANH_MAX) by a comparison and a blend (NaN stays NaN), cheaper than Math.min's semantics.
      DoubleVector a = v.abs();
      DoubleVector a2 = a.blend(TANH_MAX, a.compare(VectorOperators.GT, TANH_MAX)).mul(2.0);
      DoubleVector k = a2.fma(LOG2E, ROUND_SHIFT).sub(ROUND_SHIFT);
      DoubleVector r = k.fma(DoubleVector.broadcast(SPECIES, -LN2_HI), a2);
      r = k.fma(DoubleVector.broadcast(SPECIES, -LN2_LO), r);
      DoubleVector p = DoubleVector.broadcast(SPECIES, P_LEAD);
      if (P_HIGH_TERMS) {
        p = p.fma(r, DoubleVector.broadcast(SPECIES, C12));
        p = p.fma(r, DoubleVector.broadcast(SPECIES, C11));
        p = p.fma(r, DoubleVector.broadcast(SPECIES, C10));
        p = p.fma(r, DoubleVector.broadcast(SPECIES, C9));
        p = p.fma(r, DoubleVector.broadcast(SPECIES, C8));
      }
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C7));
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C6));
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C5));
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C4));
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C3));
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C2));
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C1));
      DoubleVector q = r.mul(p);
      // 2^k from its exponent field (0 <= k <= 58, float32: 29).
      DoubleVector s = ((LongVector /*f32:IntVector*/) k.convert(VectorOperators.D2L /*f32:VectorOperators.F2I*/, 0))
          .add(EXPONENT_BIAS).lanewise(VectorOperators.LSHL, EXPONENT_SHIFT).reinterpretAsDoubles();
      DoubleVector e = q.fma(s, s.sub(1.0));
      DoubleVector t = e.div(e.add(2.0));
      t.blend(t.neg(), v.test(VectorOperators.IS_NEGATIVE)).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] = tanh(x[xOff + i]);
    }
  }

  /**
   * See {@link #expShifted}, with shift 0 ({@code x - 0} is x, also for -0 and NaN).
   */
  static void exp(int n, double[] x, int xOff, double[] y, int yOff) {
    expShifted(n, x, xOff, 0.0, y, yOff);
  }

  /**
   * {@code x = 2^e m} with m in [sqrt(1/2), sqrt(2)) from the exponent and mantissa bits, then
   * {@code log x = e ln2 + log m} with {@code log m = f - (f^2/2 - s (f^2/2 + R(s^2)))}, {@code f = m - 1},
   * {@code s = f / (2 + f)} (so {@code log m = 2 atanh(s)}) and R an even polynomial in s (see
   * {@link #log(double)} for the error bound), the only vector use of that polynomial. Lanes
   * that are not positive normal finite numbers are handled by masks, only in vectors that contain one: subnormals
   * are scaled by 2^54 (float32: 2^24) first, and 0, negative, NaN and infinite lanes get Math.log's special values.
   */
  static void log(int n, double[] x, int xOff, double[] y, int yOff) {
    int bound = SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += LANES) {
      DoubleVector v = DoubleVector.fromArray(SPECIES, x, xOff + i);
      // NaN compares false, so NaN lanes take the slow path too.
      boolean normal = v.compare(VectorOperators.GE, Double.MIN_NORMAL)
          .and(v.compare(VectorOperators.LE, Double.MAX_VALUE)).allTrue();
      DoubleVector xs = v;
      VectorMask<Double> tiny = null;
      if (!normal) {
        tiny = v.compare(VectorOperators.LT, Double.MIN_NORMAL);
        xs = v.blend(v.mul(LOG_TINY_SCALE), tiny);
      }
      // e = floor(log2(x / sqrt(1/2))) from the bits; m = x 2^-e by subtracting e from the exponent field (exact).
      LongVector /*f32:IntVector*/ bits = xs.reinterpretAsLongs /*f32:xs.reinterpretAsInts*/();
      LongVector /*f32:IntVector*/ ei = bits.sub(LOG_OFFSET).lanewise(VectorOperators.ASHR, EXPONENT_SHIFT);
      DoubleVector m = bits.sub(ei.lanewise(VectorOperators.LSHL, EXPONENT_SHIFT)).reinterpretAsDoubles();
      DoubleVector e = (DoubleVector) ei.convert(VectorOperators.L2D /*f32:VectorOperators.I2F*/, 0);
      if (!normal) {
        e = e.sub(DoubleVector.zero(SPECIES).blend(LOG_TINY_SHIFT, tiny));
      }
      DoubleVector f = m.sub(1.0);
      DoubleVector s = f.div(f.add(2.0));
      DoubleVector z = s.mul(s);
      DoubleVector p = DoubleVector.broadcast(SPECIES, LG_LEAD);
      if (LG_HIGH_TERMS) {
        p = p.fma(z, DoubleVector.broadcast(SPECIES, LG6));
        p = p.fma(z, DoubleVector.broadcast(SPECIES, LG5));
        p = p.fma(z, DoubleVector.broadcast(SPECIES, LG4));
      }
      p = p.fma(z, DoubleVector.broadcast(SPECIES, LG3));
      p = p.fma(z, DoubleVector.broadcast(SPECIES, LG2));
      p = p.fma(z, DoubleVector.broadcast(SPECIES, LG1));
      DoubleVector r = z.mul(p);
      DoubleVector hfsq = f.mul(f).mul(0.5);
      DoubleVector d = hfsq.sub(s.mul(hfsq.add(r)).add(e.mul(LN2_LO)));
      DoubleVector out = e.fma(DoubleVector.broadcast(SPECIES, LN2_HI), f.sub(d));
      if (!normal) {
        VectorMask<Double> special = v.compare(VectorOperators.GT, 0.0)
            .and(v.compare(VectorOperators.LT, Double.POSITIVE_INFINITY)).not();
        DoubleVector value = DoubleVector.broadcast(SPECIES, Double.NaN)
            .blend(Double.NEGATIVE_INFINITY, v.compare(VectorOperators.EQ, 0.0))
            .blend(Double.POSITIVE_INFINITY, v.compare(VectorOperators.EQ, Double.POSITIVE_INFINITY));
        out = out.blend(value, special);
      }
      out.intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] = log(x[xOff + i]);
    }
  }

  /**
   * e^(x[i] - shift) into y for n elements, returning their sum in a fixed order (the vector lanes summed per lane
   * across the loop, then across the lanes by {@code FOLDS}, then the tail in order). y may be the same range as x.
   *
   * <p>exp: the argument is clamped to [EXP_MIN, EXP_MAX] (beyond it the result is 0 or infinity anyway), reduced
   * to {@code k ln2 + r} with |r| <= ln2/2 (plus a rounding), {@code e^r = 1 + r P(r)} by one final fma, and
   * scaled by 2^k (see EXP_FAST). Error (first order, relative, u = 2^-53 or 2^-24): the reduction rounds r once
   * (|dr| <= u|r|, a relative change of e^r of at most 0.35u); Horner's rule gives P(r) within about 1.2u relative
   * and the final fma adds |r P| * 1.2u / e^r <= 0.6u plus its rounding u; truncation 0.04u. In all at most 2u
   * relative, i.e. within 2 ulps (an ulp of y exceeds u|y|), inside the 4 ulps the kernel tolerances assume; in the
   * subnormal range the last rounding is absolute (half the smallest subnormal). exp(NaN) is NaN, exp(+inf) = +inf,
   * exp(-inf) = 0.
   */
  static double expShifted(int n, double[] x, int xOff, double shift, double[] y, int yOff) {
    int bound = SPECIES.loopBound(n);
    DoubleVector sum = DoubleVector.zero(SPECIES);
    int i = 0;
    for (; i < bound; i += LANES) {
      DoubleVector v = DoubleVector.fromArray(SPECIES, x, xOff + i).sub(shift);
      boolean fast = v.abs().compare(VectorOperators.LE, EXP_FAST).allTrue();
      // Clamped only when some lane is out of the fast range (where the clamp changes nothing anyway): Math.min and
      // max semantics (NaN, signed zeros) cost several instructions per vector.
      DoubleVector xc = fast ? v : v.max(EXP_MIN).min(EXP_MAX);
      DoubleVector k = xc.fma(LOG2E, ROUND_SHIFT).sub(ROUND_SHIFT);
      DoubleVector r = k.fma(DoubleVector.broadcast(SPECIES, -LN2_HI), xc);
      r = k.fma(DoubleVector.broadcast(SPECIES, -LN2_LO), r);
      DoubleVector p = DoubleVector.broadcast(SPECIES, P_LEAD);
      if (P_HIGH_TERMS) {
        p = p.fma(r, DoubleVector.broadcast(SPECIES, C12));
        p = p.fma(r, DoubleVector.broadcast(SPECIES, C11));
        p = p.fma(r, DoubleVector.broadcast(SPECIES, C10));
        p = p.fma(r, DoubleVector.broadcast(SPECIES, C9));
        p = p.fma(r, DoubleVector.broadcast(SPECIES, C8));
      }
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C7));
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C6));
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C5));
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C4));
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C3));
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C2));
      p = p.fma(r, DoubleVector.broadcast(SPECIES, C1));
      DoubleVector er = r.fma(p, DoubleVector.broadcast(SPECIES, 1.0));
      LongVector /*f32:IntVector*/ ki =
          (LongVector /*f32:IntVector*/) k.convert(VectorOperators.D2L /*f32:VectorOperators.F2I*/, 0);
      DoubleVector e;
      if (fast) {
        e = er.reinterpretAsLongs /*f32:er.reinterpretAsInts*/().add(ki.lanewise(VectorOperators.LSHL, EXPONENT_SHIFT))
            .reinterpretAsDoubles();
      } else {
        LongVector /*f32:IntVector*/ k1 = ki.lanewise(VectorOperators.ASHR, 1);
        LongVector /*f32:IntVector*/ k2 = ki.sub(k1);
        e = er.mul(k1.add(EXPONENT_BIAS).lanewise(VectorOperators.LSHL, EXPONENT_SHIFT).reinterpretAsDoubles())
            .mul(k2.add(EXPONENT_BIAS).lanewise(VectorOperators.LSHL, EXPONENT_SHIFT).reinterpretAsDoubles());
      }
      e.intoArray(y, yOff + i);
      sum = sum.add(e);
    }
    for (VectorShuffle<Double> fold : FOLDS) {
      sum = sum.add(sum.rearrange(fold));
    }
    double s = sum.lane(0);
    for (; i < n; i++) {
      double e = exp(x[xOff + i] - shift);
      y[yOff + i] = e;
      s += e;
    }
    return s;
  }

  /**
   * The logistic function for the tails of {@link #sigmoid(int, double[], int, double[], int)}: the same operations
   * as its vector loop, so the same bits.
   */
  private static double sigmoid(double x) {
    double e = exp(-Math.abs(x));
    return (x >= 0 ? 1 : e) / (1 + e);
  }

  /** P(r) of the exp reduction: the scalar twin of the polynomial in the vector loops. */
  private static double expPoly(double r) {
    double p = P_LEAD;
    if (P_HIGH_TERMS) {
      p = Math.fma(p, r, C12);
      p = Math.fma(p, r, C11);
      p = Math.fma(p, r, C10);
      p = Math.fma(p, r, C9);
      p = Math.fma(p, r, C8);
    }
    p = Math.fma(p, r, C7);
    p = Math.fma(p, r, C6);
    p = Math.fma(p, r, C5);
    p = Math.fma(p, r, C4);
    p = Math.fma(p, r, C3);
    p = Math.fma(p, r, C2);
    return Math.fma(p, r, C1);
  }

  /** e^x for the tails of {@link #expShifted}: the same operations as its vector loop, so the same bits. */
  private static double exp(double x) {
    double xc = Math.min(Math.max(x, EXP_MIN), EXP_MAX);
    double k = Math.fma(xc, LOG2E, ROUND_SHIFT) - ROUND_SHIFT;
    double r = Math.fma(k, -LN2_HI, xc);
    r = Math.fma(k, -LN2_LO, r);
    double er = Math.fma(r, expPoly(r), 1);
    long /*f32:int*/ ki = (long /*f32:int*/) k;
    long /*f32:int*/ k1 = ki >> 1;
    long /*f32:int*/ k2 = ki - k1;
    double s1 = Double.longBitsToDouble /*f32:Float.intBitsToFloat*/((k1 + EXPONENT_BIAS) << EXPONENT_SHIFT);
    double s2 = Double.longBitsToDouble /*f32:Float.intBitsToFloat*/((k2 + EXPONENT_BIAS) << EXPONENT_SHIFT);
    return er * s1 * s2;
  }

  /**
   * tanh(x) for the tails of {@link #tanh(int, double[], int, double[], int)}: the same operations as its vector
   * loop, so the same bits. tanh(x) = sign(x) E / (E + 2) with E = e^(2a) - 1, a = min(|x|, TANH_MAX). E is computed
   * without cancellation as 2^k q + (2^k - 1) by one fma, q = r P(r) = e^r - 1 (same reduction and polynomial as
   * exp), so small |x| keeps full relative accuracy (k = 0: E = q).
   *
   * <p>Error (first order, relative): q within 3.4u (r's rounding u, P 1.4u, the product u); E within 3.4u for
   * k = 0, and for k >= 1 within 2 * 3.4u * |q| / E + u <= 5.2u (worst at the k = 1 boundary, q = -0.29,
   * E = 0.41); the quotient E / (E + 2) passes E's error on scaled by 2 / (E + 2) <= 1 and adds two roundings: at
   * most 7.3u, i.e. within 7.3 ulps in the worst case of this bound, inside the 8u relative error the kernel
   * tolerances assume for transcendentals. tanh(+-0) = +-0, tanh(+-inf) = +-1, tanh(NaN) is NaN.
   */
  private static double tanh(double x) {
    double y = Math.min(Math.abs(x), TANH_MAX) * 2;
    double k = Math.fma(y, LOG2E, ROUND_SHIFT) - ROUND_SHIFT;
    double r = Math.fma(k, -LN2_HI, y);
    r = Math.fma(k, -LN2_LO, r);
    double q = r * expPoly(r);
    long /*f32:int*/ ki = (long /*f32:int*/) k;
    double s = Double.longBitsToDouble /*f32:Float.intBitsToFloat*/((ki + EXPONENT_BIAS) << EXPONENT_SHIFT);
    double e = Math.fma(q, s, s - 1);
    double t = e / (e + 2);
    return Math.copySign(t, x);
  }

  /**
   * log(x) for the tails of {@link #log(int, double[], int, double[], int)}: the same operations as its vector loop,
   * so the same bits. With f = m - 1 (exact: m is within a factor 2 of 1), s = f / (2 + f), z = s^2,
   * {@code hfsq = f^2 / 2}, {@code log m = f - (hfsq - s (hfsq + R(z)))} and
   * {@code log x = e LN2_HI + (f - (hfsq - (s (hfsq + R) + e LN2_LO)))}, the last step one fma (e LN2_HI exact in
   * it). Special values as {@link Math#log}: log(+-0) = -inf, log(x < 0) = NaN, log(NaN) = NaN, log(+inf) = +inf,
   * log(1) = +0.
   *
   * <p>Error (first order, u = 2^-53 or 2^-24), with |f| <= 0.4143, |s| <= 0.1716: s within 2u (the rounding of
   * 2 + f and the division), z within 5u, the polynomial P = R / z within 1.15u (its own rounding u; z's error
   * enters scaled by (P - LG1) / P <= 0.018), R within 7.15u; hfsq within u; {@code hfsq + R} within 3.9u
   * (R <= 0.46 hfsq); the product with s within 6.9u. Absolute error of {@code w = f - (hfsq - ...)} at the ends of
   * the range (where every term is largest relative to log m): f = 0.4142 (hfsq = 0.0858, s(hfsq + R) = 0.0181,
   * hfsq - that = 0.0676, log m = 0.3466): 0.0858u + 6.2u * 0.0181 + 0.0181u (the sum with e LN2_LO) + 0.0676u +
   * 0.3466u (w's rounding) = 0.63u, i.e. 1.82u relative to log m; f = -0.2929: 0.53u, 1.53u relative. For e = 0 the
   * final fma adds zero, so y = w: at most 1.82u relative, tending to u as f -> 0. For e != 0, |y| >= ln2 / 2 >=
   * |log m|, and the final fma rounds once more: at most 0.63u / 0.3466 + u = 2.82u. The polynomial's fit adds
   * at most 2^-58.45 * |s| <= 0.011u relative to |log m| >= 2|s| (float32 0.0004u), and e LN2_LO's rounding and
   * ln2 - LN2_HI - LN2_LO are below 2^-50 u. In all at most 2.9u relative, so within 2.9 ulps (an ulp of y exceeds
   * u|y|), inside the 4 ulps (8u) the kernel tolerances assume; log's result is never subnormal.
   */
  private static double log(double x) {
    if (!(x > 0 && x < Double.POSITIVE_INFINITY)) {
      return x == 0 ? Double.NEGATIVE_INFINITY : x == Double.POSITIVE_INFINITY ? x : Double.NaN;
    }
    boolean tiny = x < Double.MIN_NORMAL;
    double xs = tiny ? x * LOG_TINY_SCALE : x;
    long /*f32:int*/ bits = Double.doubleToRawLongBits /*f32:Float.floatToRawIntBits*/(xs);
    long /*f32:int*/ ei = (bits - LOG_OFFSET) >> EXPONENT_SHIFT;
    double m = Double.longBitsToDouble /*f32:Float.intBitsToFloat*/(bits - (ei << EXPONENT_SHIFT));
    double e = (double) ei;
    if (tiny) {
      e = e - LOG_TINY_SHIFT;
    }
    double f = m - 1;
    double s = f / (f + 2);
    double z = s * s;
    double p = LG_LEAD;
    if (LG_HIGH_TERMS) {
      p = Math.fma(p, z, LG6);
      p = Math.fma(p, z, LG5);
      p = Math.fma(p, z, LG4);
    }
    p = Math.fma(p, z, LG3);
    p = Math.fma(p, z, LG2);
    p = Math.fma(p, z, LG1);
    double r = z * p;
    double hfsq = f * f * 0.5;
    double d = hfsq - (s * (hfsq + r) + e * LN2_LO);
    return Math.fma(e, LN2_HI, f - d);
  }

}
