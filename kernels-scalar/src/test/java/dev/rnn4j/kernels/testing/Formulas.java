package dev.rnn4j.kernels.testing;

/**
 * The recurrent and optimizer equations written out once more, independently of the kernels, in float64, one
 * element at a time: the known answers of the contract tests and the functions whose central finite differences
 * check the backward kernels. Gate nonlinearities use {@link Exact} (correctly rounded to float64) unless a method
 * says otherwise.
 */
public final class Formulas {

  private Formulas() {}

  /** Bounds of the float64 evaluation of these formulas (their own error, added to every tolerance). */
  public static final ErrorBounds BOUNDS = ErrorBounds.F64;

  // ----------------------------------------------------------------------------------------------------------------
  // LSTM: i = s(a_i), f = s(a_f), g = tanh(a_g), o = s(a_o); c = f cPrev + i g; h = o tanh(c)   (s = sigmoid)
  // ----------------------------------------------------------------------------------------------------------------

  /** {@code {i, f, g, o, c, h}} from the pre-activations. */
  public static double[] lstmForward(double ai, double af, double ag, double ao, double cPrev) {
    double i = Exact.sigmoid(ai);
    double f = Exact.sigmoid(af);
    double g = Exact.tanh(ag);
    double o = Exact.sigmoid(ao);
    double c = f * cPrev + i * g;
    double h = o * Exact.tanh(c);
    return new double[] {i, f, g, o, c, h};
  }

  /**
   * The scalar loss whose gradient the LSTM backward computes, {@code L = dh * h + dc * c} (dh, dc: the incoming
   * gradients), with Math's nonlinearities (fast enough for finite differences, accurate to an ulp).
   */
  public static double lstmLoss(double ai, double af, double ag, double ao, double cPrev, double dh, double dc) {
    double c = mathSigmoid(af) * cPrev + mathSigmoid(ai) * Math.tanh(ag);
    double h = mathSigmoid(ao) * Math.tanh(c);
    return dh * h + dc * c;
  }

  /**
   * {@code {di, df, dg, do, dcPrev}}: tc = tanh(c), dcTotal = dc + dh o (1 - tc^2), di = dcTotal g i (1 - i),
   * df = dcTotal cPrev f (1 - f), dg = dcTotal i (1 - g^2), do = dh tc o (1 - o), dcPrev = dcTotal f.
   */
  public static double[] lstmBackward(double i, double f, double g, double o, double cPrev, double c, double dh,
                                      double dc) {
    double tc = Exact.tanh(c);
    double dcTotal = dc + dh * o * (1 - tc * tc);
    return new double[] {
        dcTotal * g * i * (1 - i), dcTotal * cPrev * f * (1 - f), dcTotal * i * (1 - g * g), dh * tc * o * (1 - o),
        dcTotal * f};
  }

  // ----------------------------------------------------------------------------------------------------------------
  // GRU (reset after the recurrent product): r = s(gi_r + gh_r), z = s(gi_z + gh_z), n = tanh(gi_n + r gh_n),
  // h = (1 - z) n + z hPrev
  // ----------------------------------------------------------------------------------------------------------------

  /** {@code {r, z, n, h}}. */
  public static double[] gruForward(double giR, double ghR, double giZ, double ghZ, double giN, double ghN,
                                    double hPrev) {
    double r = Exact.sigmoid(giR + ghR);
    double z = Exact.sigmoid(giZ + ghZ);
    double n = Exact.tanh(giN + r * ghN);
    return new double[] {r, z, n, (1 - z) * n + z * hPrev};
  }

  /** {@code L = dh * h} with Math's nonlinearities (for finite differences). */
  public static double gruLoss(double giR, double ghR, double giZ, double ghZ, double giN, double ghN, double hPrev,
                               double dh) {
    double r = mathSigmoid(giR + ghR);
    double z = mathSigmoid(giZ + ghZ);
    double n = Math.tanh(giN + r * ghN);
    return dh * ((1 - z) * n + z * hPrev);
  }

  /**
   * {@code {dr, dz, dn, dn * r, dhPrev}}: dn = dh (1 - z)(1 - n^2), dz = dh (hPrev - n) z (1 - z),
   * dr = dn gh_n r (1 - r); dgi = (dr, dz, dn), dgh = (dr, dz, dn r), dhPrev = dh z.
   */
  public static double[] gruBackward(double r, double z, double n, double ghN, double hPrev, double dh) {
    double dn = dh * (1 - z) * (1 - n * n);
    double dz = dh * (hPrev - n) * z * (1 - z);
    double dr = dn * ghN * r * (1 - r);
    return new double[] {dr, dz, dn, dn * r, dh * z};
  }

  // ----------------------------------------------------------------------------------------------------------------
  // Finite differences
  // ----------------------------------------------------------------------------------------------------------------

  /** A scalar function of one variable. */
  @FunctionalInterface
  public interface Scalar {
    double at(double x);
  }

  /**
   * Derivative at x by central differences with one Richardson extrapolation: {@code D(h) = (f(x+h) - f(x-h)) / 2h},
   * {@code (4 D(h/2) - D(h)) / 3}, h = 1e-3. Truncation error {@code <= h^4 max|f^(5)| / 480} (below 1e-14 for the
   * smooth compositions of sigmoid and tanh used, whose fifth derivatives are O(1) to O(10^2) for the inputs drawn);
   * rounding error {@code <= 3 * 2^-53 max|f| / h} (below 1e-12 for |f| <= 10). {@link #FD_TOLERANCE} = 1e-8
   * covers both with a wide margin.
   */
  public static double derivative(Scalar f, double x) {
    double h = 1e-3;
    double d1 = (f.at(x + h) - f.at(x - h)) / (2 * h);
    double d2 = (f.at(x + h / 2) - f.at(x - h / 2)) / h;
    return (4 * d2 - d1) / 3;
  }

  /** Absolute tolerance of {@link #derivative} for the functions of these tests. */
  public static final double FD_TOLERANCE = 1e-8;

  // ----------------------------------------------------------------------------------------------------------------
  // Optimizers (PyTorch torch.optim.SGD and Adam / AdamW, one element, one step)
  // ----------------------------------------------------------------------------------------------------------------

  /** {@code {p', v'}} after one SGD step. */
  public static double[] sgdStep(double lr, double momentum, double dampening, double weightDecay, boolean nesterov,
                                 boolean firstStep, double p, double grad, double v) {
    double g = grad + weightDecay * p; // L2 weight decay is added to the gradient
    double vNew = v;
    if (momentum != 0) {
      vNew = firstStep ? g : momentum * v + (1 - dampening) * g; // buf = g on the first step
      g = nesterov ? g + momentum * vNew : vNew;
    }
    return new double[] {p - lr * g, vNew};
  }

  /** {@code {p', m', v'}} after Adam step t (1-based); decoupled = AdamW. */
  public static double[] adamStep(double lr, double beta1, double beta2, double eps, double weightDecay,
                                  boolean decoupled, int t, double p, double grad, double m, double v) {
    double g = grad;
    if (decoupled) {
      p = p * (1 - lr * weightDecay); // AdamW: p <- p - lr * wd * p
    } else {
      g = g + weightDecay * p; // Adam: L2 term in the gradient
    }
    double mNew = beta1 * m + (1 - beta1) * g;
    double vNew = beta2 * v + (1 - beta2) * g * g;
    double mHat = mNew / (1 - Math.pow(beta1, t));
    double vHat = vNew / (1 - Math.pow(beta2, t));
    return new double[] {p - lr * mHat / (Math.sqrt(vHat) + eps), mNew, vNew};
  }

  private static double mathSigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }
}
