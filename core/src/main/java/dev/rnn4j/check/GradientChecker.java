package dev.rnn4j.check;

import dev.rnn4j.autograd.NoGrad;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.tensor.Checks;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Shapes;
import dev.rnn4j.tensor.Tensor;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Compares the gradients that autograd computes for a function with central finite differences, as PyTorch's
 * {@code torch.autograd.gradcheck}.
 *
 * <p>For {@code y = f(x_1, ..., x_n)} the checker builds the full Jacobian twice: analytically, one backward pass per
 * output element (a vector-Jacobian product with a one-hot output gradient), and numerically,
 * {@code (f(x + eps e_k) - f(x - eps e_k)) / (2 eps)} per input element. Entry by entry it requires
 * {@code |analytical - numerical| <= atol + rtol * |numerical|}. Only inputs with {@code requiresGrad()} are
 * differentiated; the others are constants. The caller's tensors are not touched: the checker works on copies.
 *
 * <pre>{@code
 * Tensor x = Tensor.normal(DType.FLOAT64, rng, 0, 1, 3, 4).requiresGrad(true);
 * GradientChecker.defaults().assertGradients(in -> in[0].tanh().sum(), x);
 * }</pre>
 *
 * <p>Defaults as gradcheck: eps 1e-6, atol 1e-5, rtol 1e-3, in float64. Float32 inputs are refused unless the
 * caller opts in with {@link Builder#allowFloat32()}: with 24-bit mantissas, central differences at eps = 1e-6 are
 * dominated by rounding (the classic source of flaky gradient checks); an opted-in float32 check needs a larger eps
 * (around 1e-2) and looser tolerances. The function must be deterministic (re-seed any randomness, e.g. dropout,
 * inside it) and smooth near the inputs (keep away from the kinks of relu).
 */
@SuppressWarnings("try") // scopes used for their effect only
public final class GradientChecker {

  /** gradcheck's defaults. */
  public static final double DEFAULT_EPS = 1e-6;
  public static final double DEFAULT_ATOL = 1e-5;
  public static final double DEFAULT_RTOL = 1e-3;

  private final double eps;
  private final double atol;
  private final double rtol;
  private final boolean allowFloat32;
  private final Kernels kernels;

  private GradientChecker(Builder b) {
    this.eps = b.eps;
    this.atol = b.atol;
    this.rtol = b.rtol;
    this.allowFloat32 = b.allowFloat32;
    this.kernels = b.kernels;
  }

  /** A checker with gradcheck's defaults, float64 only, on the current kernels. */
  public static GradientChecker defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Options of a {@link GradientChecker}. */
  public static final class Builder {
    private double eps = DEFAULT_EPS;
    private double atol = DEFAULT_ATOL;
    private double rtol = DEFAULT_RTOL;
    private boolean allowFloat32;
    private Kernels kernels;

    private Builder() {}

    /** Finite-difference step (> 0). */
    public Builder eps(double eps) {
      if (!(eps > 0) || !Double.isFinite(eps)) {
        throw new IllegalArgumentException("GradientChecker: eps must be finite and > 0, got " + eps);
      }
      this.eps = eps;
      return this;
    }

    /** Absolute tolerance (finite, >= 0). */
    public Builder atol(double atol) {
      if (!(atol >= 0) || Double.isInfinite(atol)) { // an infinite tolerance would pass any gradient
        throw new IllegalArgumentException("GradientChecker: atol must be finite and >= 0, got " + atol);
      }
      this.atol = atol;
      return this;
    }

    /** Relative tolerance (finite, >= 0). */
    public Builder rtol(double rtol) {
      if (!(rtol >= 0) || Double.isInfinite(rtol)) { // an infinite tolerance would pass any gradient
        throw new IllegalArgumentException("GradientChecker: rtol must be finite and >= 0, got " + rtol);
      }
      this.rtol = rtol;
      return this;
    }

    /** Accepts float32 inputs (choose eps and tolerances for float32 yourself). */
    public Builder allowFloat32() {
      this.allowFloat32 = true;
      return this;
    }

    /** Runs the function and its backward on these kernels (default: the kernels current at check time). */
    public Builder kernels(Kernels kernels) {
      this.kernels = Checks.notNull(kernels, "GradientChecker", "kernels");
      return this;
    }

    public GradientChecker build() {
      return new GradientChecker(this);
    }
  }

  /**
   * The outcome of a check. When it failed, the fields describe the worst Jacobian entry (largest ratio of its
   * difference to its allowed difference); when it passed, the entry with the largest difference.
   *
   * @param passed whether every entry was within tolerance
   * @param entries number of Jacobian entries compared
   * @param failures number of entries out of tolerance
   * @param outputIndex row-major index of the output element
   * @param outputShape shape of the output
   * @param inputIndex which input (position in the argument list)
   * @param elementIndex row-major index of the element within that input
   * @param inputShape shape of that input
   * @param numerical the finite-difference derivative
   * @param analytical the autograd derivative
   * @param atol the absolute tolerance used
   * @param rtol the relative tolerance used
   */
  public record Result(boolean passed, int entries, int failures, int outputIndex, int[] outputShape, int inputIndex,
                       int elementIndex, int[] inputShape, double numerical, double analytical, double atol,
                       double rtol) {

    /** {@code |analytical - numerical|} of the reported entry. */
    public double difference() {
      return Math.abs(analytical - numerical);
    }

    /** One line describing the result and the reported entry. */
    public String message() {
      if (entries == 0) {
        return "gradient check passed: no Jacobian entries (empty output or inputs)";
      }
      String where = "d output[" + outputIndex + "] " + coordinates(outputIndex, outputShape) + " / d input "
          + inputIndex + "[" + elementIndex + "] " + coordinates(elementIndex, inputShape);
      if (passed) {
        return "gradient check passed: " + entries + " Jacobian entries; largest difference at " + where
            + ": numerical " + numerical + ", analytical " + analytical;
      }
      return "gradient check failed: " + failures + " of " + entries + " Jacobian entries out of tolerance; worst at "
          + where + ": numerical " + numerical + ", analytical " + analytical + " (|difference| " + difference()
          + " > atol " + atol + " + rtol " + rtol + " * |numerical|)";
    }

    private static String coordinates(int flat, int[] shape) {
      int[] c = new int[shape.length];
      for (int i = shape.length - 1; i >= 0; i--) {
        c[i] = shape[i] == 0 ? 0 : flat % shape[i];
        flat = shape[i] == 0 ? 0 : flat / shape[i];
      }
      return "at " + Arrays.toString(c) + " of " + Shapes.format(shape);
    }

    @Override
    public String toString() {
      return message();
    }
  }

  /**
   * Checks {@code f} at {@code inputs}.
   *
   * @throws IllegalArgumentException for float32 inputs without {@link Builder#allowFloat32()}, non-leaf inputs, or
   *     no input requiring a gradient
   */
  public Result check(Function<Tensor[], Tensor> f, Tensor... inputs) {
    Checks.notNull(f, "GradientChecker", "function");
    Checks.noNulls(inputs, "GradientChecker", "inputs");
    if (inputs.length == 0) {
      throw new IllegalArgumentException("GradientChecker: no inputs");
    }
    boolean any = false;
    for (int i = 0; i < inputs.length; i++) {
      Tensor t = inputs[i];
      if (!t.isLeaf()) {
        throw new IllegalArgumentException("GradientChecker: input " + i + " " + Shapes.format(t.shape())
            + " is the result of an op; pass leaf tensors (detach() them)");
      }
      if (t.requiresGrad() && t.dtype() == DType.FLOAT32 && !allowFloat32) {
        throw new IllegalArgumentException("GradientChecker: input " + i + " " + Shapes.format(t.shape())
            + " is float32; finite differences in float32 are dominated by rounding. Check in float64 "
            + "(to(DType.FLOAT64)) or opt in with builder().allowFloat32() and a larger eps");
      }
      any |= t.requiresGrad();
    }
    if (!any) {
      throw new IllegalArgumentException("GradientChecker: no input requires a gradient; mark the inputs to "
          + "differentiate with requiresGrad(true)");
    }
    if (kernels == null) {
      return run(f, inputs);
    }
    try (KernelScope s = KernelScope.use(kernels)) {
      return run(f, inputs);
    }
  }

  /**
   * Checks {@code f} at {@code inputs} and throws {@link AssertionError} with {@link Result#message()} if any
   * Jacobian entry is out of tolerance.
   *
   * @return the result (passed)
   */
  public Result assertGradients(Function<Tensor[], Tensor> f, Tensor... inputs) {
    Result r = check(f, inputs);
    if (!r.passed()) {
      throw new AssertionError(r.message());
    }
    return r;
  }

  private Result run(Function<Tensor[], Tensor> f, Tensor[] inputs) {
    Tensor[] xs = new Tensor[inputs.length];
    for (int i = 0; i < inputs.length; i++) {
      xs[i] = inputs[i].copy().requiresGrad(inputs[i].requiresGrad());
    }
    Tensor y = result(f, xs, "the original input");
    int m = y.numel();
    int[] outShape = y.shape();
    // analytical[i][j * n_i + e] = d y_j / d x_i[e]
    double[][] analytical = new double[xs.length][];
    for (int i = 0; i < xs.length; i++) {
      analytical[i] = new double[xs[i].requiresGrad() ? m * xs[i].numel() : 0];
    }
    if (y.requiresGrad()) {
      for (int j = 0; j < m; j++) {
        for (Tensor x : xs) {
          if (x.requiresGrad()) {
            x.zeroGrad();
          }
        }
        Tensor seed = Tensor.zerosLike(y);
        seed.setFlat(j, 1);
        y.backward(seed, true);
        for (int i = 0; i < xs.length; i++) {
          if (xs[i].requiresGrad() && xs[i].grad() != null) {
            double[] g = xs[i].grad().toDoubleArray();
            System.arraycopy(g, 0, analytical[i], j * g.length, g.length);
          }
        }
      }
    }
    Acc acc = new Acc();
    try (NoGrad g = NoGrad.enter()) {
      for (int i = 0; i < xs.length; i++) {
        Tensor x = xs[i];
        if (!x.requiresGrad()) {
          continue;
        }
        int n = x.numel();
        for (int e = 0; e < n; e++) {
          double orig = x.getFlat(e);
          x.setFlat(e, orig + eps);
          double hi = x.getFlat(e); // the perturbation actually stored (rounded in float32)
          double[] plus = evaluate(f, xs, m);
          x.setFlat(e, orig - eps);
          double lo = x.getFlat(e);
          double[] minus = evaluate(f, xs, m);
          x.setFlat(e, orig);
          for (int j = 0; j < m; j++) {
            double numerical = (plus[j] - minus[j]) / (hi - lo);
            acc.add(j, i, e, numerical, analytical[i][j * n + e]);
          }
        }
      }
    }
    return acc.result(outShape, xs);
  }

  private static Tensor result(Function<Tensor[], Tensor> f, Tensor[] xs, String where) {
    Tensor y = f.apply(xs);
    if (y == null) {
      throw new IllegalArgumentException("GradientChecker: the function returned null at " + where
          + "; it must return a tensor");
    }
    return y;
  }

  private static double[] evaluate(Function<Tensor[], Tensor> f, Tensor[] xs, int m) {
    Tensor y = result(f, xs, "a perturbed input");
    if (y.numel() != m) {
      throw new IllegalStateException("GradientChecker: the function returned " + y.numel() + " elements on a "
          + "perturbed input but " + m + " at the original input");
    }
    return y.toDoubleArray();
  }

  /** Tracks the worst entry. */
  private final class Acc {
    int entries;
    int failures;
    double worstScore = -1;
    int wj;
    int wi;
    int we;
    double wn;
    double wa;

    void add(int j, int i, int e, double numerical, double analytical) {
      entries++;
      double diff = Math.abs(analytical - numerical);
      double allowed = atol + rtol * Math.abs(numerical);
      boolean ok = diff <= allowed; // false for NaN
      if (!ok) {
        failures++;
      }
      // Failures rank by diff / allowed (NaN first); passes by diff.
      double score = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : allowed > 0 ? diff / allowed : diff;
      if (score > worstScore || worstScore < 0) {
        worstScore = score;
        wj = j;
        wi = i;
        we = e;
        wn = numerical;
        wa = analytical;
      }
    }

    Result result(int[] outShape, Tensor[] xs) {
      int[] inShape = entries == 0 ? new int[0] : xs[wi].shape();
      return new Result(failures == 0, entries, failures, wj, outShape, wi, we, inShape, wn, wa, atol, rtol);
    }
  }
}
