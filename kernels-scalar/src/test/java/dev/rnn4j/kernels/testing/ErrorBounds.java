package dev.rnn4j.kernels.testing;

/**
 * The tolerance model of the kernel tests: for each kernel, a bound on the error of one implementation against the
 * exact (real-number) result, derived from the operations it performs. One instance per precision, parameterised by
 * the unit roundoff {@code u} ({@link #F64}: u = 2^-53, {@link #F32}: u = 2^-24).
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li><b>Basic operations</b> ({@code + - * /}, sqrt, fma) are correctly rounded: {@code fl(x op y) = (x op y)(1 + d)},
 *       |d| <= u (plus an absolute {@link #eta} for gradual underflow).</li>
 *   <li><b>Running error bound</b> (Higham, <i>Accuracy and Stability of Numerical Algorithms</i>, 2nd ed., §3.1,
 *       §3.4): an expression in which every term passes through at most N roundings, evaluated in any order (one
 *       accumulator, several accumulators, pairwise, with or without fused multiply-add), has
 *       {@code |computed - exact| <= gamma(N) * A}, {@code gamma(N) = N u / (1 - N u)}, where A is the same
 *       expression evaluated exactly with every operand replaced by its absolute value and every subtraction by an
 *       addition. For a length-k dot product N = k (k - 1 additions plus one product on each path), so
 *       {@code |err| <= gamma(k) * sum |a_i b_i|}; a fused multiply-add only removes roundings.</li>
 *   <li><b>Transcendentals</b>: {@link Math#exp}, {@link Math#log} are within 1 ulp and {@link Math#tanh} within 2.5
 *       ulps of the exact result (their Javadoc); the float32 spec rounds the float64 result once more (+0.5 ulp).
 *       The SIMD twin computes exp, tanh and log with its own range reduction and polynomial (bounds derived in its
 *       Javadoc: 2u, 7.3u and 2.9u). We assume every implementation is within
 *       {@link #TRANSCENDENTAL_ULPS} = 4 ulps, and since {@code ulp(y) <= 2u|y|} that is a relative error of at most {@code 2 * 4 * u = 8u}
 *       ({@link #transcendentalRel}). Functions that cross zero (tanh at 0, log at 1) get an absolute floor of the
 *       same size scaled to 1 ({@code 8u}): near the crossing the result is a difference of two O(1) quantities in
 *       argument-reduction implementations, so only an absolute accuracy at the scale of the argument is
 *       meaningful.</li>
 *   <li><b>Comparing two implementations</b>: each is within its bound B of the exact value, so they differ by at
 *       most 2B ({@link #agreement}). When both compute a step identically (as the spec and any candidate compute
 *       {@code x_j - max}), the bound still counts it for both: it is an upper bound, not an estimate.</li>
 *   <li>First-order bounds (products of perturbed factors) neglect O(u^2) terms; those functions multiply by
 *       {@link #SECOND_ORDER} = 1 + 2^-10, which exceeds the neglected terms whenever the first-order relative bound
 *       is below 2^-11 (true for every case the tests generate).</li>
 * </ul>
 *
 * <p>Each method below returns the bound for ONE implementation against the exact value; its Javadoc states the
 * derivation.
 */
public final class ErrorBounds {

  /** float64: u = 2^-53, smallest subnormal 2^-1074. */
  public static final ErrorBounds F64 = new ErrorBounds("float64", 0x1p-53, 0x1p-1074);
  /** float32: u = 2^-24, smallest subnormal 2^-149. */
  public static final ErrorBounds F32 = new ErrorBounds("float32", 0x1p-24, 0x1p-149);

  /** Assumed accuracy, in ulps, of exp, log and tanh in every implementation (see the class Javadoc). */
  public static final int TRANSCENDENTAL_ULPS = 4;

  /** Factor that covers the neglected second-order terms of first-order bounds. */
  public static final double SECOND_ORDER = 1 + 0x1p-10;

  private final String name;
  private final double u;
  private final double eta;

  private ErrorBounds(String name, double u, double eta) {
    this.name = name;
    this.u = u;
    this.eta = eta;
  }

  /** The unit roundoff u. */
  public double u() {
    return u;
  }

  /** The absolute error of one rounding in the subnormal range (the smallest subnormal number). */
  public double eta() {
    return eta;
  }

  /** {@code gamma(k) = k u / (1 - k u)}. */
  public double gamma(int k) {
    double ku = k * u;
    if (ku >= 1) {
      throw new IllegalArgumentException("gamma: k u >= 1 for k = " + k + " in " + name);
    }
    return ku / (1 - ku);
  }

  /** Bound of one implementation against the exact value of a difference of two implementations: 2 * bound. */
  public static double agreement(double oneImplementationBound) {
    return 2 * oneImplementationBound;
  }

  /**
   * An expression with at most {@code roundings} roundings on every path, whose absolute-value evaluation is
   * {@code absExpression} (running error bound): {@code gamma(roundings) * absExpression + roundings * eta}.
   * Used for dot, sum, sumOfSquares (N = k), gemm and gemv (N = k + 2: k for the dot, one for alpha, one for adding
   * beta C), axpy (N = 2), addColumnSums (N = rows + 1).
   */
  public double running(int roundings, double absExpression) {
    return gamma(roundings) * absExpression + roundings * eta;
  }

  /** {@code 2 * TRANSCENDENTAL_ULPS * u}: the relative error of exp, log, tanh (see the class Javadoc). */
  public double transcendentalRel() {
    return 2.0 * TRANSCENDENTAL_ULPS * u;
  }

  /** exp: {@code 8u |y| + eta} (y the exact result; no zero crossing, only underflow). */
  public double exp(double y) {
    return transcendentalRel() * Math.abs(y) + eta;
  }

  /** log: {@code 8u |y| + 8u} (the absolute floor near the zero crossing at x = 1). */
  public double log(double y) {
    return transcendentalRel() * (Math.abs(y) + 1);
  }

  /** tanh: {@code 8u |y| + 8u} (the absolute floor near the zero crossing at x = 0). */
  public double tanh(double y) {
    return transcendentalRel() * (Math.abs(y) + 1);
  }

  /**
   * sigmoid in any of the overflow-free forms of the contract. With {@code e = exp(-|x|) <= 1} (relative error 8u),
   * {@code 1 + e} has relative error {@code 8u e/(1+e) + u <= 4u + u = 5u}; then {@code 1 / (1 + e)} (x >= 0) is
   * within 6u and {@code e / (1 + e)} (x < 0) within {@code 8u + 5u + u = 14u}, or 15u when the division is a
   * product with the reciprocal. The plain form {@code 1 / (1 + exp(-x))} for all x has {@code exp(-x) >= 1} for
   * x < 0: denominator {@code 8u + u}, division u: 10u. Bound: {@code 16u |y| + eta}, above the largest case (15u).
   * (A form through {@code (1 + tanh(x/2)) / 2} cancels for large negative x and does not meet this bound.)
   */
  public double sigmoid(double y) {
    return 16 * u * Math.abs(y) + eta;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Softmax
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * softmax, one element: {@code y_j = e_j / s}, {@code e_j = exp(x_j - m)}, {@code s = sum e}.
   * The argument {@code x_j - m} is rounded once (absolute error {@code u |x_j - m|}, which exp turns into a relative
   * error of the same size); exp adds 8u; so {@code rel(e_j) <= 8u + u |x_j - m|}. The n positive terms are summed
   * with {@code rel(s) <= gamma(n) + max_j rel(e_j)}; the division adds u, or 2u when it is done as a product with
   * the reciprocal {@code 1/s} (as vectorised code does). Bound:
   * {@code (rel(e_j) + rel(s) + 2u) * |y_j| * SECOND_ORDER + eta}.
   *
   * @param n row length
   * @param y exact (or reference) output element
   * @param argument {@code |x_j - m|} for this element
   * @param maxArgument {@code max_j |x_j - m|} over the row
   */
  public double softmax(int n, double y, double argument, double maxArgument) {
    double relE = transcendentalRel() + u * argument;
    double relS = gamma(n) + transcendentalRel() + u * maxArgument;
    return (relE + relS + 2 * u) * Math.abs(y) * SECOND_ORDER + eta;
  }

  /**
   * logSoftmax, one element: {@code y_j = x_j - (m + log s)}. With {@code rel(s)} as in {@link #softmax}, log s has
   * absolute error {@code rel(s)} (log's derivative is 1/s) plus log's own {@code 8u(|log s| + 1)}; forming
   * {@code m + log s} and subtracting from x_j add {@code u |m + log s|} and {@code u |y_j|}; an implementation that
   * computes {@code (x_j - m) - log s} instead rounds {@code u |x_j - m|}, also counted.
   *
   * @param logSum {@code |m + log s|}
   * @param logS {@code log s} (in [0, log n])
   */
  public double logSoftmax(int n, double y, double argument, double maxArgument, double logSum, double logS) {
    double relS = gamma(n) + transcendentalRel() + u * maxArgument;
    return (relS + log(logS) + u * Math.abs(logSum) + u * Math.abs(y) + u * argument) * SECOND_ORDER + eta;
  }

  /**
   * softmaxBackward, one element: {@code dx_j = y_j (dy_j - s)}, {@code s = sum_k dy_k y_k}. s is a length-n dot
   * (n roundings); the subtraction and the product add one each: running bound with {@code n + 2} roundings over
   * {@code |y_j| (|dy_j| + sum_k |dy_k y_k|)}.
   */
  public double softmaxBackward(int n, double y, double dy, double sumAbsDyY) {
    return running(n + 2, Math.abs(y) * (Math.abs(dy) + sumAbsDyY));
  }

  /**
   * logSoftmaxBackward, one element: {@code dx_j = dy_j - exp(y_j) s}, {@code s = sum_k dy_k}. exp contributes
   * {@code 8u |exp(y_j) s|}; the sum (n - 1 roundings), the product and the subtraction are a running bound with
   * {@code n + 1} roundings over {@code |dy_j| + exp(y_j) sum_k |dy_k|}.
   */
  public double logSoftmaxBackward(int n, double e, double dy, double s, double sumAbsDy) {
    return (transcendentalRel() * Math.abs(e * s) + running(n + 1, Math.abs(dy) + Math.abs(e) * sumAbsDy))
        * SECOND_ORDER;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Recurrent kernels
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * LSTM forward, one element. Gates {@code i, f, o = sigmoid(.)} with error {@code sigmoid(.)} each, {@code g = tanh}
   * with error {@code tanh(g)}. {@code c = f cPrev + i g}: first-order error
   * {@code dc = |cPrev| df + |g| di + |i| dg + gamma(2) (|f cPrev| + |i g|)}. {@code h = o tanh(c)}: tanh is
   * 1-Lipschitz, so {@code dh = |o| (dc + tanh-bound(tc)) + |tc| do + u |h|}.
   *
   * @return {@code {bound on c, bound on h}}
   */
  public double[] lstmForward(double i, double f, double g, double o, double cPrev, double c) {
    double di = sigmoid(i);
    double df = sigmoid(f);
    double dg = tanh(g);
    double d0 = sigmoid(o);
    double dc = (Math.abs(cPrev) * df + Math.abs(g) * di + Math.abs(i) * dg
        + gamma(2) * (Math.abs(f * cPrev) + Math.abs(i * g))) * SECOND_ORDER;
    double tc = Math.tanh(c);
    double dh = (Math.abs(o) * (dc + tanh(tc)) + Math.abs(tc) * d0 + u * Math.abs(o * tc)) * SECOND_ORDER;
    return new double[] {dc + eta, dh + eta};
  }

  /**
   * LSTM backward, one element, for exact inputs (gate activations i, f, g, o, the states and gradients). Only
   * {@code tc = tanh(c)} carries a transcendental error {@code e = tanh-bound(tc)}. Then
   * {@code A = dh o (1 - tc^2)} has error {@code |dh o| (2 |tc| e) + gamma(3) |dh o| (1 + tc^2)};
   * {@code dcTotal = dc + A}: {@code D = dA + u (|dc| + |A|)}; each gate gradient is dcTotal (or dh) times a product
   * of up to four exact factors (error {@code gamma(4)} of its absolute value) plus D times those factors; do uses
   * tc directly: {@code |dh o (1-o)| e + gamma(3) |dh tc o (1-o)|} (and 1 - o adds one more rounding, counted in
   * gamma(4)).
   *
   * @return {@code {di, df, dg, do, dcPrev}} bounds
   */
  public double[] lstmBackward(double i, double f, double g, double o, double cPrev, double c, double dh, double dc) {
    double tc = Math.tanh(c);
    double e = tanh(tc);
    double absA = Math.abs(dh * o) * (1 + tc * tc);
    double dA = Math.abs(dh * o) * 2 * (Math.abs(tc) + e) * e + gamma(3) * absA;
    double absT = Math.abs(dc) + absA;
    double dT = dA + u * absT;
    double fi = Math.abs(g * i) * (1 + Math.abs(i));
    double ff = Math.abs(cPrev * f) * (1 + Math.abs(f));
    double fg = Math.abs(i) * (1 + g * g);
    double fo = Math.abs(o) * (1 + Math.abs(o));
    double[] r = new double[5];
    r[0] = dT * fi + gamma(4) * absT * fi;
    r[1] = dT * ff + gamma(4) * absT * ff;
    r[2] = dT * fg + gamma(4) * absT * fg;
    r[3] = Math.abs(dh) * fo * e + gamma(4) * Math.abs(dh * tc) * fo;
    r[4] = dT * Math.abs(f) + u * absT * Math.abs(f);
    for (int k = 0; k < r.length; k++) {
      r[k] = r[k] * SECOND_ORDER + eta;
    }
    return r;
  }

  /**
   * GRU forward, one element, exact inputs {@code gi_*, gh_*, hPrev}. {@code r = sigmoid(gi_r + gh_r)}: the
   * argument is rounded once ({@code u |a|}), sigmoid is 1/4-Lipschitz: {@code dr = u|a_r|/4 + sigmoid-bound(r)};
   * same for z. {@code n = tanh(gi_n + r gh_n)}: argument error {@code |gh_n| dr + gamma(2)(|gi_n| + |r gh_n|)}, tanh
   * 1-Lipschitz: {@code dn = that + tanh-bound(n)}. {@code h = (1 - z) n + z hPrev} (or {@code n + z (hPrev - n)}):
   * {@code dh = dz (|n| + |hPrev|) + (1 + |z|) dn + gamma(3) ((1 + |z|) |n| + |z hPrev|)}.
   *
   * @return {@code {dr, dz, dn, dh}} bounds
   */
  public double[] gruForward(double giR, double ghR, double giZ, double ghZ, double giN, double ghN, double hPrev) {
    double r = sigmoidExact(giR + ghR);
    double z = sigmoidExact(giZ + ghZ);
    double dr = u * Math.abs(giR + ghR) / 4 + sigmoid(r);
    double dz = u * Math.abs(giZ + ghZ) / 4 + sigmoid(z);
    double n = Math.tanh(giN + r * ghN);
    double dn = Math.abs(ghN) * dr + gamma(2) * (Math.abs(giN) + Math.abs(r * ghN)) + tanh(n);
    double dh = dz * (Math.abs(n) + Math.abs(hPrev)) + (1 + Math.abs(z)) * dn
        + gamma(3) * ((1 + Math.abs(z)) * Math.abs(n) + Math.abs(z * hPrev));
    return new double[] {dr * SECOND_ORDER + eta, dz * SECOND_ORDER + eta, dn * SECOND_ORDER + eta,
        dh * SECOND_ORDER + eta};
  }

  /**
   * GRU backward, one element, exact inputs: every output is a product of exact factors with at most 5 roundings
   * (the differences {@code 1 - z}, {@code 1 - n^2}, {@code hPrev - n}, {@code 1 - r} count as one each and their
   * absolute-value forms are {@code 1 + |z|}, {@code 1 + n^2}, {@code |hPrev| + |n|}, {@code 1 + |r|}):
   * {@code dn}: gamma(4), {@code dz}: gamma(5), {@code dr = dn gh_n r (1-r)}: gamma(8), {@code dn r}: gamma(5),
   * {@code dhPrev = dh z}: exact product, gamma(1).
   *
   * @return {@code {dr, dz, dn, dnR, dhPrev}} bounds
   */
  public double[] gruBackward(double r, double z, double n, double ghN, double hPrev, double dh) {
    double absDn = Math.abs(dh) * (1 + Math.abs(z)) * (1 + n * n);
    double absDz = Math.abs(dh) * (Math.abs(hPrev) + Math.abs(n)) * Math.abs(z) * (1 + Math.abs(z));
    double absDr = absDn * Math.abs(ghN * r) * (1 + Math.abs(r));
    return new double[] {
        gamma(8) * absDr + eta, gamma(5) * absDz + eta, gamma(4) * absDn + eta,
        gamma(5) * absDn * Math.abs(r) + eta, gamma(1) * Math.abs(dh * z) + eta};
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Optimizers
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * SGD, one element, running error bound. Counting roundings: {@code g = grad + wd p} (2), {@code (1 - damp) g}
   * (2 more on the g path), {@code + momentum v} (1), nesterov {@code g + momentum v} (2), {@code lr g} (1),
   * {@code p - lr g} (1): at most 8 on every path. The absolute-value expressions:
   * {@code G = |grad| + |wd p|}, {@code V = |momentum v| + (1 + |damp|) G} (or G on the first step),
   * {@code P = |p| + |lr| (nesterov ? G + |momentum| V : V)} (or {@code |p| + |lr| G} without momentum).
   *
   * @return {@code {param bound, velocity bound}}
   */
  public double[] sgd(double lr, double momentum, double dampening, double weightDecay, boolean nesterov,
                      boolean firstStep, double p, double grad, double v) {
    double gAbs = Math.abs(grad) + Math.abs(weightDecay * p);
    double vAbs = firstStep ? gAbs : Math.abs(momentum * v) + (1 + Math.abs(dampening)) * gAbs;
    double step = momentum == 0 ? gAbs : nesterov ? gAbs + Math.abs(momentum) * vAbs : vAbs;
    double pAbs = Math.abs(p) + Math.abs(lr) * step;
    return new double[] {running(8, pAbs), running(5, vAbs)};
  }

  /**
   * Adam / AdamW, one element, first order. {@code g = grad + wd p} ({@code dG = gamma(2) G}, G as in {@link #sgd});
   * {@code m' = b1 m + (1-b1) g}: {@code dM = gamma(4) (|b1 m| + (1+b1) G)}; {@code v' = b2 v + (1-b2) g^2}:
   * {@code dV = gamma(8) (|b2 v| + (1+b2) G^2)}. Bias factors {@code B = 1 - beta^t}: pow is within 1 ulp (2u
   * relative) and the subtraction adds u, so {@code rel(B) = (2u beta^t + u B) / B} (the cancellation in 1 - beta^t
   * amplifies pow's error). Each division may also be done as a product with a precomputed reciprocal (two
   * roundings), so each counts 2u. {@code mh = m'/B1}: {@code dMh = dM/B1 + |mh| (rel(B1) + 2u)}; {@code vh = v'/B2}:
   * {@code dVh = dV/B2 + vh (rel(B2) + 2u)}; {@code s = sqrt(vh)}, or PyTorch's {@code sqrt(v') / sqrt(B2)} with
   * three roundings: {@code dS = min(dVh / (2 s), sqrt(dVh)) + 3u s}; {@code den = s + eps}: {@code dDen = dS + u den};
   * {@code step = lr mh / den}: {@code dStep = |lr| (dMh / den + |mh| dDen / den^2) + 3u |step|} (the product and
   * the division, 2u for the latter);
   * {@code p - step} (after {@code p (1 - lr wd)} when decoupled, gamma(3) |p|): {@code + u |p'|}.
   *
   * @return {@code {param bound, m bound, v bound}}
   */
  public double[] adam(double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled,
                       int step, double p, double grad, double m, double v) {
    double pDecayed = decoupled ? p * (1 - lr * weightDecay) : p;
    double g = decoupled ? grad : grad + weightDecay * p;
    double gAbs = decoupled ? Math.abs(grad) : Math.abs(grad) + Math.abs(weightDecay * p);
    double dM = gamma(4) * (Math.abs(beta1 * m) + (1 + beta1) * gAbs) + eta;
    double dV = gamma(8) * (Math.abs(beta2 * v) + (1 + beta2) * gAbs * gAbs) + eta;
    double mNew = beta1 * m + (1 - beta1) * g;
    double vNew = beta2 * v + (1 - beta2) * g * g;
    double pow1 = Math.pow(beta1, step);
    double pow2 = Math.pow(beta2, step);
    double b1 = 1 - pow1;
    double b2 = 1 - pow2;
    double relB1 = (2 * u * pow1 + u * b1) / b1;
    double relB2 = (2 * u * pow2 + u * b2) / b2;
    double mh = mNew / b1;
    double vh = vNew / b2;
    double dMh = dM / b1 + Math.abs(mh) * (relB1 + 2 * u);
    double dVh = dV / b2 + vh * (relB2 + 2 * u);
    double s = Math.sqrt(vh);
    double dS = (s > 0 ? Math.min(dVh / (2 * s), Math.sqrt(dVh)) : Math.sqrt(dVh)) + 3 * u * s;
    double den = s + eps;
    double dDen = dS + u * den;
    double stepValue = lr * mh / den;
    double dStep = Math.abs(lr) * (dMh / den + Math.abs(mh) * dDen / (den * den)) + 3 * u * Math.abs(stepValue);
    double dP = (decoupled ? gamma(3) * Math.abs(p) : 0) + dStep + u * (Math.abs(pDecayed) + Math.abs(stepValue));
    return new double[] {dP * SECOND_ORDER + eta, dM, dV};
  }

  private static double sigmoidExact(double x) {
    return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
  }

  @Override
  public String toString() {
    return name + " (u = " + u + ")";
  }
}
