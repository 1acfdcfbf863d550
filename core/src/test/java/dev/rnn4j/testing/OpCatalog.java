package dev.rnn4j.testing;

import dev.rnn4j.autograd.Ops;
import dev.rnn4j.kernels.testing.ErrorBounds;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Shapes;
import dev.rnn4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Every differentiable op of the core, as test cases: random small inputs, the function, and the derived bound on
 * how far two correct kernel implementations may disagree on its output and on each input gradient.
 *
 * <h2>How the bounds are derived</h2>
 * Two implementations of the kernel contract may differ only in how they round (several accumulators, fused
 * multiply-add, other transcendental routines); ops above the kernels are the same code. So:
 * <ul>
 *   <li><b>Exact (bound 0)</b>: every element is a copy or a single correctly rounded IEEE operation (+, -, *) on
 *       operands that are themselves identical in both runs, so the results are identical bit for bit. This covers
 *       the data movement ops (reshape, transpose, slice, narrow, concat, stack, split, indexSelect, embedding,
 *       broadcast forward), same-shape add/sub/mul, scalar ops, relu, dropout and their backward passes (whose
 *       accumulations are axpy with alpha = 1: {@code y + 1*x} rounds once with or without fma).</li>
 *   <li><b>Reductions</b> (sums, the backward of broadcasting, matmul): each implementation is within the running
 *       error bound {@code gamma(N) * A} of the exact value (ErrorBounds.running, N the roundings on a path, A the
 *       same expression over absolute values), so the two differ by at most twice that.</li>
 *   <li><b>Division</b> is allowed to be a reciprocal times a multiply (two roundings) in either implementation.</li>
 *   <li><b>Maps and softmax</b>: ErrorBounds' bounds for the forward kernels; a backward pass that reads the
 *       forward output y adds the first-order propagation of that output's error, |d(backward)/dy| * bound(y).</li>
 * </ul>
 * Bounds are computed in float64 from the (identical) inputs; {@link ErrorBounds#F32} or {@link ErrorBounds#F64}
 * supplies u by dtype.
 */
public final class OpCatalog {

  private OpCatalog() {}

  /** float64 copies of one instance's inputs and of the output gradient used for the backward pass. */
  public record Ref(double[][] in, int[][] inShapes, double[] seed, int[] outShape) {}

  /** Per-element bounds on |run1 - run2|: index 0 for the output, 1 + i for the gradient of input i. */
  @FunctionalInterface
  public interface Tolerance {
    double[][] of(Ref r, ErrorBounds eb);
  }

  /** One op applied to concrete inputs. All inputs require gradients. */
  public record Instance(String name, Tensor[] inputs, Function<Tensor[], Tensor> f, Tolerance tolerance) {}

  @FunctionalInterface
  public interface Maker {
    Instance make(SplittableRandom rng, DType dtype, int maxDim);
  }

  /**
   * An op. {@code smooth} is false where finite differences do not apply (a float32 round trip); the gradient-check
   * properties skip those.
   */
  public record Case(String name, boolean smooth, Maker maker) {
    public Instance make(SplittableRandom rng, DType dtype, int maxDim) {
      return maker.make(rng, dtype, maxDim);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Input generation
  // ---------------------------------------------------------------------------------------------------------------

  static int dim(SplittableRandom rng, int max) {
    return 1 + rng.nextInt(max);
  }

  /** Uniform values in [lo, hi], requiring gradients. */
  static Tensor vals(SplittableRandom rng, DType dt, double lo, double hi, int... shape) {
    return Tensor.uniform(dt, rng, lo, hi, shape).requiresGrad(true);
  }

  /** Magnitudes uniform in [lo, hi] with a random sign (keeps away from zero: denominators, relu's kink). */
  static Tensor away(SplittableRandom rng, DType dt, double lo, double hi, int... shape) {
    Tensor t = Tensor.uniform(dt, rng, lo, hi, shape);
    for (int i = 0; i < t.numel(); i++) {
      if (rng.nextBoolean()) {
        t.setFlat(i, -t.getFlat(i));
      }
    }
    return t.requiresGrad(true);
  }

  static Tensor[] in(Tensor... t) {
    return t;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Bound helpers
  // ---------------------------------------------------------------------------------------------------------------

  static double[][] exact(Ref r) {
    double[][] t = new double[1 + r.in().length][];
    t[0] = new double[Shapes.numel(r.outShape())];
    for (int i = 0; i < r.in().length; i++) {
      t[1 + i] = new double[r.in()[i].length];
    }
    return t;
  }

  /** Twice the running bound with N roundings over the magnitudes A. */
  static double[] agree(ErrorBounds eb, int roundings, double[] magnitudes) {
    double[] t = new double[magnitudes.length];
    for (int i = 0; i < t.length; i++) {
      t[i] = ErrorBounds.agreement(eb.running(roundings, magnitudes[i]));
    }
    return t;
  }

  /** Sums |v| (v of shape {@code from}) over the dimensions along which {@code to} was broadcast to {@code from}. */
  static double[] reduceAbs(double[] v, int[] from, int[] to) {
    double[] out = new double[Shapes.numel(to)];
    int lead = from.length - to.length;
    int[] idx = new int[from.length];
    for (int flat = 0; flat < v.length; flat++) {
      int target = 0;
      for (int d = lead; d < from.length; d++) {
        int td = to[d - lead];
        target = target * td + (td == 1 ? 0 : idx[d]);
      }
      out[target] += Math.abs(v[flat]);
      for (int d = from.length - 1; d >= 0; d--) {
        if (++idx[d] < from[d]) {
          break;
        }
        idx[d] = 0;
      }
    }
    return out;
  }

  /** Gradient bound of an operand broadcast from {@code to} to the output shape, local gradients {@code local}. */
  static double[] broadcastGrad(ErrorBounds eb, Ref r, int input, double[] local, int extraRoundings) {
    int[] to = r.inShapes()[input];
    int n = Shapes.numel(r.outShape()) / Math.max(1, Shapes.numel(to));
    return agree(eb, n + r.outShape().length + 1 + extraRoundings, reduceAbs(local, r.outShape(), to));
  }

  static double[] absSeed(Ref r) {
    double[] s = new double[r.seed().length];
    for (int i = 0; i < s.length; i++) {
      s[i] = Math.abs(r.seed()[i]);
    }
    return s;
  }

  /** The broadcast value of input {@code input} at each output position. */
  static double[] expanded(Ref r, int input) {
    int[] from = r.outShape();
    int[] to = r.inShapes()[input];
    double[] v = r.in()[input];
    double[] out = new double[Shapes.numel(from)];
    int lead = from.length - to.length;
    int[] idx = new int[from.length];
    for (int flat = 0; flat < out.length; flat++) {
      int src = 0;
      for (int d = lead; d < from.length; d++) {
        int td = to[d - lead];
        src = src * td + (td == 1 ? 0 : idx[d]);
      }
      out[flat] = v[src];
      for (int d = from.length - 1; d >= 0; d--) {
        if (++idx[d] < from[d]) {
          break;
        }
        idx[d] = 0;
      }
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The cases
  // ---------------------------------------------------------------------------------------------------------------

  /** Every op, in a fixed order. */
  public static List<Case> cases() {
    List<Case> c = new ArrayList<>();
    elementwise(c);
    linearAlgebraAndReductions(c);
    maps(c);
    losses(c);
    shapes(c);
    return c;
  }

  private static void elementwise(List<Case> c) {
    c.add(new Case("add", true, (rng, dt, max) -> {
      int r = dim(rng, max);
      int k = dim(rng, max);
      return new Instance("add", in(vals(rng, dt, -2, 2, r, k), vals(rng, dt, -2, 2, r, k)), x -> x[0].add(x[1]),
          (ref, eb) -> exact(ref));
    }));
    c.add(new Case("add row vector over matrix", true, (rng, dt, max) -> {
      int r = dim(rng, max);
      int k = dim(rng, max);
      return new Instance("add row vector", in(vals(rng, dt, -2, 2, r, k), vals(rng, dt, -2, 2, k)),
          x -> x[0].add(x[1]), (ref, eb) -> {
            double[][] t = exact(ref);
            t[2] = broadcastGrad(eb, ref, 1, ref.seed(), 0); // d/db_j = sum_i g_ij
            return t;
          });
    }));
    c.add(new Case("add scalar tensor", true, (rng, dt, max) -> {
      int r = dim(rng, max);
      int k = dim(rng, max);
      return new Instance("add scalar", in(vals(rng, dt, -2, 2, r, k), vals(rng, dt, -2, 2)),
          x -> x[1].add(x[0]), (ref, eb) -> {
            double[][] t = exact(ref);
            t[2] = broadcastGrad(eb, ref, 1, ref.seed(), 0); // d/ds = sum of all g
            return t;
          });
    }));
    c.add(new Case("add column and row", true, (rng, dt, max) -> {
      int r = dim(rng, max);
      int k = dim(rng, max);
      return new Instance("add column and row", in(vals(rng, dt, -2, 2, r, 1), vals(rng, dt, -2, 2, 1, k)),
          x -> x[0].add(x[1]), (ref, eb) -> {
            double[][] t = exact(ref);
            t[1] = broadcastGrad(eb, ref, 0, ref.seed(), 0);
            t[2] = broadcastGrad(eb, ref, 1, ref.seed(), 0);
            return t;
          });
    }));
    c.add(new Case("sub row vector", true, (rng, dt, max) -> {
      int r = dim(rng, max);
      int k = dim(rng, max);
      return new Instance("sub", in(vals(rng, dt, -2, 2, r, k), vals(rng, dt, -2, 2, k)), x -> x[0].sub(x[1]),
          (ref, eb) -> {
            double[][] t = exact(ref);
            t[2] = broadcastGrad(eb, ref, 1, ref.seed(), 0); // d/db_j = -sum_i g_ij
            return t;
          });
    }));
    c.add(new Case("mul", true, (rng, dt, max) -> {
      int r = dim(rng, max);
      int k = dim(rng, max);
      return new Instance("mul", in(vals(rng, dt, -2, 2, r, k), vals(rng, dt, -2, 2, r, k)), x -> x[0].mul(x[1]),
          (ref, eb) -> exact(ref));
    }));
    c.add(new Case("mul column broadcast", true, (rng, dt, max) -> {
      int r = dim(rng, max);
      int k = dim(rng, max);
      return new Instance("mul column", in(vals(rng, dt, -2, 2, r, k), vals(rng, dt, -2, 2, r, 1)),
          x -> x[0].mul(x[1]), (ref, eb) -> {
            // d/da = g * b (one identical rounding); d/db_i = sum_j g_ij a_ij
            double[][] t = exact(ref);
            double[] local = new double[ref.seed().length];
            for (int i = 0; i < local.length; i++) {
              local[i] = ref.seed()[i] * ref.in()[0][i];
            }
            t[2] = broadcastGrad(eb, ref, 1, local, 1);
            return t;
          });
    }));
    c.add(new Case("div", true, (rng, dt, max) -> {
      int r = dim(rng, max);
      int k = dim(rng, max);
      return new Instance("div", in(vals(rng, dt, -2, 2, r, k), away(rng, dt, 0.5, 2, r, k)), x -> x[0].div(x[1]),
          (ref, eb) -> divTolerance(ref, eb));
    }));
    c.add(new Case("div row broadcast", true, (rng, dt, max) -> {
      int r = dim(rng, max);
      int k = dim(rng, max);
      return new Instance("div row", in(vals(rng, dt, -2, 2, r, k), away(rng, dt, 0.5, 2, k)), x -> x[0].div(x[1]),
          (ref, eb) -> divTolerance(ref, eb));
    }));
    c.add(new Case("neg, add and mul by constants", true, (rng, dt, max) -> {
      int r = dim(rng, max);
      return new Instance("scalar ops", in(vals(rng, dt, -2, 2, r, dim(rng, max))),
          x -> x[0].neg().add(0.75).mul(1.5), (ref, eb) -> exact(ref));
    }));
  }

  /**
   * out = a / b: each implementation at most 2 roundings (a reciprocal and a product), |out|;
   * d/da = g / b: 2 roundings; d/db = -g * out / b: out (2), times g (1), divided by b (2): 5 roundings over
   * |g a / b^2|. A broadcast b adds the column sum (n + rank + 1 roundings).
   */
  private static double[][] divTolerance(Ref ref, ErrorBounds eb) {
    double[] a = ref.in()[0];
    double[] b = expanded(ref, 1);
    double[] g = ref.seed();
    double[] out = new double[a.length];
    double[] ga = new double[a.length];
    double[] gb = new double[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] / b[i];
      ga[i] = g[i] / b[i];
      gb[i] = g[i] * a[i] / (b[i] * b[i]);
    }
    double[][] t = new double[3][];
    t[0] = agree(eb, 2, out);
    t[1] = agree(eb, 2, ga);
    t[2] = broadcastGrad(eb, ref, 1, gb, 5);
    return t;
  }

  private static void linearAlgebraAndReductions(List<Case> c) {
    c.add(new Case("matmul", true, (rng, dt, max) -> {
      int m = dim(rng, max);
      int k = dim(rng, max);
      int n = dim(rng, max);
      return new Instance("matmul", in(vals(rng, dt, -2, 2, m, k), vals(rng, dt, -2, 2, k, n)),
          x -> x[0].matmul(x[1]), OpCatalog::matmulTolerance);
    }));
    c.add(new Case("batched matmul", true, (rng, dt, max) -> {
      int b = dim(rng, 3);
      int m = dim(rng, max);
      int k = dim(rng, max);
      int n = dim(rng, max);
      return new Instance("batched matmul", in(vals(rng, dt, -2, 2, b, m, k), vals(rng, dt, -2, 2, b, k, n)),
          x -> x[0].matmul(x[1]), OpCatalog::matmulTolerance);
    }));
    c.add(new Case("matmul with shared right operand", true, (rng, dt, max) -> {
      int b = dim(rng, 3);
      int m = dim(rng, max);
      int k = dim(rng, max);
      int n = dim(rng, max);
      return new Instance("matmul 3d x 2d", in(vals(rng, dt, -2, 2, b, m, k), vals(rng, dt, -2, 2, k, n)),
          x -> x[0].matmul(x[1]), OpCatalog::matmulTolerance);
    }));
    c.add(new Case("linear", true, (rng, dt, max) -> {
      int b = dim(rng, 3);
      int t = dim(rng, max);
      int i = dim(rng, max);
      int o = dim(rng, max);
      return new Instance("linear", in(vals(rng, dt, -2, 2, b, t, i), vals(rng, dt, -1, 1, o, i),
          vals(rng, dt, -1, 1, o)), x -> Ops.linear(x[0], x[1], x[2]), OpCatalog::linearTolerance);
    }));
    c.add(new Case("sum", true, (rng, dt, max) -> {
      int r = dim(rng, max);
      int k = dim(rng, max);
      return new Instance("sum", in(vals(rng, dt, -2, 2, r, k)), x -> x[0].sum(), (ref, eb) -> {
        double[][] t = exact(ref);
        double abs = 0;
        for (double v : ref.in()[0]) {
          abs += Math.abs(v);
        }
        t[0] = agree(eb, ref.in()[0].length, new double[] {abs});
        return t;
      });
    }));
    c.add(new Case("mean", true, (rng, dt, max) -> {
      int r = dim(rng, max);
      int k = dim(rng, max);
      return new Instance("mean", in(vals(rng, dt, -2, 2, r, k)), x -> x[0].mean(), (ref, eb) -> {
        // sum (n roundings), 1/n (1) and the product (1), over sum|x| / n; the backward is a fill of g * (1/n)
        double[][] t = exact(ref);
        double abs = 0;
        for (double v : ref.in()[0]) {
          abs += Math.abs(v);
        }
        t[0] = agree(eb, ref.in()[0].length + 2, new double[] {abs / ref.in()[0].length});
        return t;
      });
    }));
    c.add(new Case("sum and mean along an axis", true, (rng, dt, max) -> {
      int[] shape = {dim(rng, max), dim(rng, max), dim(rng, 3)};
      int axis = rng.nextInt(3);
      boolean mean = rng.nextBoolean();
      boolean keep = rng.nextBoolean();
      return new Instance((mean ? "mean" : "sum") + " axis " + axis, in(vals(rng, dt, -2, 2, shape)),
          x -> mean ? x[0].mean(axis, keep) : x[0].sum(axis, keep), (ref, eb) -> {
            // per output element: a sum over the axis (addColumnSums: len + 1 roundings), plus 2 for a mean
            double[][] t = exact(ref);
            int[] kept = shape.clone();
            kept[axis] = 1;
            double[] abs = reduceAbs(ref.in()[0], shape, kept);
            int len = shape[axis];
            if (mean) {
              for (int i = 0; i < abs.length; i++) {
                abs[i] /= len;
              }
            }
            t[0] = agree(eb, len + 1 + (mean ? 2 : 0), abs);
            return t;
          });
    }));
  }

  /**
   * C = A B with A viewed as [R, K] (R = M, or batch * M for a shared B) or batched: each output is a length-K dot
   * (K + 2 roundings, as ErrorBounds' gemm); dA = dC B^T (N + 2 over |dC| |B|^T); dB = A^T dC (R + 2 over
   * |A|^T |dC|).
   */
  private static double[][] matmulTolerance(Ref ref, ErrorBounds eb) {
    int[] as = ref.inShapes()[0];
    int[] bs = ref.inShapes()[1];
    double[] a = ref.in()[0];
    double[] b = ref.in()[1];
    double[] g = ref.seed();
    boolean batched = bs.length == 3;
    int batches = batched ? as[0] : 1;
    int rows = batched ? as[1] : a.length / as[as.length - 1];
    int k = as[as.length - 1];
    int n = bs[bs.length - 1];
    double[] out = new double[g.length];
    double[] da = new double[a.length];
    double[] db = new double[b.length];
    for (int q = 0; q < batches; q++) {
      int ao = q * rows * k;
      int bo = batched ? q * k * n : 0;
      int co = q * rows * n;
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < n; j++) {
          for (int p = 0; p < k; p++) {
            double av = Math.abs(a[ao + i * k + p]);
            double bv = Math.abs(b[bo + p * n + j]);
            double gv = Math.abs(g[co + i * n + j]);
            out[co + i * n + j] += av * bv;
            da[ao + i * k + p] += gv * bv;
            db[bo + p * n + j] += av * gv;
          }
        }
      }
    }
    int dbRows = batched ? rows : rows * batches;
    return new double[][] {agree(eb, k + 2, out), agree(eb, n + 2, da), agree(eb, dbRows + 2, db)};
  }

  /**
   * y = x W^T + b with x as [R, I]: each output is a length-I dot plus the bias (I + 2 roundings over
   * {@code sum_p |x_ip W_jp| + |b_j|}); dX = dY W (O + 2 over |dY| |W|); dW = dY^T X (R + 2 over |dY|^T |X|); db = column
   * sums of dY (R + 1 over sum_i |dY_ij|).
   */
  private static double[][] linearTolerance(Ref ref, ErrorBounds eb) {
    double[] x = ref.in()[0];
    double[] w = ref.in()[1];
    double[] b = ref.in()[2];
    double[] g = ref.seed();
    int o = b.length;
    int in = ref.inShapes()[1][1];
    int rows = x.length / in;
    double[] out = new double[g.length];
    double[] dx = new double[x.length];
    double[] dw = new double[w.length];
    double[] db = new double[o];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < o; j++) {
        double gv = Math.abs(g[r * o + j]);
        out[r * o + j] += Math.abs(b[j]);
        db[j] += gv;
        for (int p = 0; p < in; p++) {
          double xv = Math.abs(x[r * in + p]);
          double wv = Math.abs(w[j * in + p]);
          out[r * o + j] += xv * wv;
          dx[r * in + p] += gv * wv;
          dw[j * in + p] += gv * xv;
        }
      }
    }
    return new double[][] {agree(eb, in + 2, out), agree(eb, o + 2, dx), agree(eb, rows + 2, dw),
        agree(eb, rows + 1, db)};
  }

  private static void maps(List<Case> c) {
    c.add(new Case("sigmoid", true, (rng, dt, max) -> new Instance("sigmoid",
        in(vals(rng, dt, -4, 4, dim(rng, max), dim(rng, max))), x -> x[0].sigmoid(), (ref, eb) -> {
          // forward: ErrorBounds.sigmoid; backward dx = g y (1 - y) from each run's own y: the propagated error
          // |g| |1 - 2y| dy (+ second order |g| dy^2), plus 3 roundings over |g| |y| (1 + |y|)
          double[] x = ref.in()[0];
          double[][] t = new double[2][x.length];
          for (int i = 0; i < x.length; i++) {
            double y = 1 / (1 + Math.exp(-x[i]));
            double dy = eb.sigmoid(y);
            double g = Math.abs(ref.seed()[i]);
            t[0][i] = ErrorBounds.agreement(dy);
            t[1][i] = ErrorBounds.agreement(g * dy * (Math.abs(1 - 2 * y) + dy) * ErrorBounds.SECOND_ORDER
                + eb.running(3, g * Math.abs(y) * (1 + Math.abs(y))));
          }
          return t;
        })));
    c.add(new Case("tanh", true, (rng, dt, max) -> new Instance("tanh",
        in(vals(rng, dt, -3, 3, dim(rng, max), dim(rng, max))), x -> x[0].tanh(), (ref, eb) -> {
          // backward dx = g (1 - y^2): propagated |g| (2|y| dy + dy^2), plus 3 roundings over |g| (1 + y^2)
          double[] x = ref.in()[0];
          double[][] t = new double[2][x.length];
          for (int i = 0; i < x.length; i++) {
            double y = Math.tanh(x[i]);
            double dy = eb.tanh(y);
            double g = Math.abs(ref.seed()[i]);
            t[0][i] = ErrorBounds.agreement(dy);
            t[1][i] = ErrorBounds.agreement(g * dy * (2 * Math.abs(y) + dy) * ErrorBounds.SECOND_ORDER
                + eb.running(3, g * (1 + y * y)));
          }
          return t;
        })));
    c.add(new Case("relu", true, (rng, dt, max) -> new Instance("relu",
        in(away(rng, dt, 0.1, 2, dim(rng, max), dim(rng, max))), x -> x[0].relu(), (ref, eb) -> exact(ref))));
    c.add(new Case("exp", true, (rng, dt, max) -> new Instance("exp",
        in(vals(rng, dt, -3, 3, dim(rng, max), dim(rng, max))), x -> x[0].exp(), (ref, eb) -> {
          // backward dx = g y: propagated |g| dy, plus 1 rounding over |g y|
          double[] x = ref.in()[0];
          double[][] t = new double[2][x.length];
          for (int i = 0; i < x.length; i++) {
            double y = Math.exp(x[i]);
            double g = Math.abs(ref.seed()[i]);
            t[0][i] = ErrorBounds.agreement(eb.exp(y));
            t[1][i] = ErrorBounds.agreement(g * eb.exp(y) + eb.running(1, g * y));
          }
          return t;
        })));
    c.add(new Case("log", true, (rng, dt, max) -> new Instance("log",
        in(vals(rng, dt, 0.2, 4, dim(rng, max), dim(rng, max))), x -> x[0].log(), (ref, eb) -> {
          // backward dx = g / x reads the (identical) input: up to 2 roundings over |g / x|
          double[] x = ref.in()[0];
          double[][] t = new double[2][x.length];
          for (int i = 0; i < x.length; i++) {
            t[0][i] = ErrorBounds.agreement(eb.log(Math.log(x[i])));
            t[1][i] = ErrorBounds.agreement(eb.running(2, Math.abs(ref.seed()[i] / x[i])));
          }
          return t;
        })));
    c.add(new Case("softmax", true, (rng, dt, max) -> {
      int r = dim(rng, max);
      int k = dim(rng, max);
      return new Instance("softmax", in(vals(rng, dt, -3, 3, r, k)), x -> x[0].softmax(),
          (ref, eb) -> softmaxTolerance(ref, eb, r, k, false));
    }));
    c.add(new Case("logSoftmax", true, (rng, dt, max) -> {
      int r = dim(rng, max);
      int k = dim(rng, max);
      return new Instance("logSoftmax", in(vals(rng, dt, -3, 3, r, k)), x -> x[0].logSoftmax(),
          (ref, eb) -> softmaxTolerance(ref, eb, r, k, true));
    }));
  }

  /** Per-row quantities of the stable (log-)softmax of a row, exact in float64. */
  record SoftmaxRow(double[] y, double[] logp, double[] argument, double maxArgument, double logS, double logSum,
                    double[] forwardBound, double[] logForwardBound) {

    static SoftmaxRow of(double[] x, int off, int n, ErrorBounds eb) {
      double m = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < n; j++) {
        m = Math.max(m, x[off + j]);
      }
      double s = 0;
      double[] arg = new double[n];
      double maxArg = 0;
      for (int j = 0; j < n; j++) {
        arg[j] = Math.abs(x[off + j] - m);
        maxArg = Math.max(maxArg, arg[j]);
        s += Math.exp(x[off + j] - m);
      }
      double logS = Math.log(s);
      double[] y = new double[n];
      double[] lp = new double[n];
      double[] fb = new double[n];
      double[] lfb = new double[n];
      for (int j = 0; j < n; j++) {
        lp[j] = x[off + j] - m - logS;
        y[j] = Math.exp(lp[j]);
        fb[j] = eb.softmax(n, y[j], arg[j], maxArg);
        lfb[j] = eb.logSoftmax(n, lp[j], arg[j], maxArg, Math.abs(m + logS), logS);
      }
      return new SoftmaxRow(y, lp, arg, maxArg, logS, Math.abs(m + logS), fb, lfb);
    }
  }

  /**
   * softmax: forward ErrorBounds.softmax; backward dx_j = y_j (g_j - s), s = sum_k g_k y_k: the kernel's bound
   * (ErrorBounds.softmaxBackward) plus the propagation of each run's own y errors d_k:
   * {@code d_j |g_j - s| + |y_j| sum_k |g_k| d_k}. logSoftmax: forward ErrorBounds.logSoftmax; backward
   * dx_j = g_j - e^{y_j} S, S = sum_k g_k: ErrorBounds.logSoftmaxBackward plus {@code e^{y_j} |S| d_j}.
   */
  private static double[][] softmaxTolerance(Ref ref, ErrorBounds eb, int rows, int cols, boolean log) {
    double[] x = ref.in()[0];
    double[] g = ref.seed();
    double[][] t = new double[2][x.length];
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      SoftmaxRow row = SoftmaxRow.of(x, o, cols, eb);
      double s = 0;
      double sumAbsGy = 0;
      double sumG = 0;
      double sumAbsG = 0;
      double propagated = 0;
      for (int k = 0; k < cols; k++) {
        s += g[o + k] * row.y()[k];
        sumAbsGy += Math.abs(g[o + k] * row.y()[k]);
        sumG += g[o + k];
        sumAbsG += Math.abs(g[o + k]);
        propagated += Math.abs(g[o + k]) * row.forwardBound()[k];
      }
      for (int j = 0; j < cols; j++) {
        double gj = g[o + j];
        if (!log) {
          t[0][o + j] = ErrorBounds.agreement(row.forwardBound()[j]);
          double own = eb.softmaxBackward(cols, row.y()[j], gj, sumAbsGy);
          double prop = (row.forwardBound()[j] * Math.abs(gj - s) + Math.abs(row.y()[j]) * propagated)
              * ErrorBounds.SECOND_ORDER;
          t[1][o + j] = ErrorBounds.agreement(own + prop);
        } else {
          double e = row.y()[j];
          t[0][o + j] = ErrorBounds.agreement(row.logForwardBound()[j]);
          double own = eb.logSoftmaxBackward(cols, e, gj, sumG, sumAbsG);
          double prop = e * Math.abs(sumG) * row.logForwardBound()[j] * ErrorBounds.SECOND_ORDER;
          t[1][o + j] = ErrorBounds.agreement(own + prop);
        }
      }
    }
    return t;
  }

  private static void losses(List<Case> c) {
    c.add(new Case("crossEntropy with class weights and ignore index", true, (rng, dt, max) -> {
      int n = dim(rng, max);
      int classes = 1 + dim(rng, max);
      int[] targets = new int[n];
      for (int i = 0; i < n; i++) {
        targets[i] = i > 0 && rng.nextInt(4) == 0 ? -1 : rng.nextInt(classes); // row 0 is never ignored
      }
      Tensor weights = Tensor.uniform(dt, rng, 0.5, 2, classes);
      double[] w = weights.toDoubleArray();
      return new Instance("crossEntropy", in(vals(rng, dt, -3, 3, n, classes)),
          x -> Ops.crossEntropy(x[0], targets, -1, weights), (ref, eb) -> crossEntropyTolerance(ref, eb, n,
              classes, targets, w));
    }));
    c.add(new Case("mse", true, (rng, dt, max) -> {
      int r = dim(rng, max);
      int k = dim(rng, max);
      return new Instance("mse", in(vals(rng, dt, -2, 2, r, k), vals(rng, dt, -2, 2, r, k)),
          x -> Ops.mse(x[0], x[1]), (ref, eb) -> {
            // d = p - t and d*d are identical in both runs; the mean adds n + 2 roundings over sum(d^2) / n. The
            // backward is a fill, one product and a copy: identical.
            double[][] t = exact(ref);
            double sq = 0;
            int n = ref.in()[0].length;
            for (int i = 0; i < n; i++) {
              double d = ref.in()[0][i] - ref.in()[1][i];
              sq += d * d;
            }
            t[0] = agree(eb, n + 2, new double[] {sq / n});
            return t;
          });
    }));
    c.add(new Case("dropout", true, (rng, dt, max) -> {
      long seed = rng.nextLong();
      return new Instance("dropout", in(vals(rng, dt, -2, 2, dim(rng, max), dim(rng, max))),
          x -> Ops.dropout(x[0], 0.3, true, new SplittableRandom(seed)), (ref, eb) -> exact(ref));
    }));
  }

  /**
   * One run of crossEntropy: log-probabilities p with per-element error d (ErrorBounds.logSoftmax); over the kept
   * rows, loss = -sum w_r p_r / W: the numerator's error is {@code sum w_r d_r + gamma(n) sum w_r |p_r|}, W's
   * relative error gamma(n); the division and the final rounding to the dtype add 2u: so
   * {@code |dloss| <= (sum w_r d_r + gamma(n) sum w_r |p_r|) / W + |loss| (gamma(n) + 2u)}.
   * Backward: coefficients c_r = -g w_r / W with relative error gamma(n) + 3u (W, the double quotient, the cast and
   * the scale); then logSoftmaxBackward with dy = c_r at the target: ErrorBounds.logSoftmaxBackward, plus the
   * propagated y error {@code e_j |c_r| d_j} and coefficient error {@code |dc_r| ([j = t_r] + e_j)}.
   */
  private static double[][] crossEntropyTolerance(Ref ref, ErrorBounds eb, int n, int classes, int[] targets,
                                                  double[] w) {
    double[] x = ref.in()[0];
    double g = ref.seed()[0];
    SoftmaxRow[] rows = new SoftmaxRow[n];
    double wSum = 0;
    double num = 0;
    double numAbs = 0;
    double numErr = 0;
    int kept = 0;
    for (int r = 0; r < n; r++) {
      rows[r] = SoftmaxRow.of(x, r * classes, classes, eb);
      if (targets[r] >= 0) {
        kept++;
        double wr = w[targets[r]];
        wSum += wr;
        num += wr * rows[r].logp()[targets[r]];
        numAbs += wr * Math.abs(rows[r].logp()[targets[r]]);
        numErr += wr * rows[r].logForwardBound()[targets[r]];
      }
    }
    double loss = -num / wSum;
    double gk = eb.gamma(Math.max(kept, 1));
    double lossBound = ((numErr + gk * numAbs) / wSum + Math.abs(loss) * (gk + 2 * eb.u()))
        * ErrorBounds.SECOND_ORDER;
    double[] gradBound = new double[x.length];
    for (int r = 0; r < n; r++) {
      if (targets[r] < 0) {
        continue; // the row's gradient is exactly zero in both runs
      }
      double cr = -g * w[targets[r]] / wSum;
      double dc = Math.abs(cr) * (gk + 3 * eb.u()) * ErrorBounds.SECOND_ORDER;
      for (int j = 0; j < classes; j++) {
        double e = rows[r].y()[j];
        double dy = j == targets[r] ? cr : 0;
        double own = eb.logSoftmaxBackward(classes, e, dy, cr, Math.abs(cr));
        double prop = (e * Math.abs(cr) * rows[r].logForwardBound()[j]
            + dc * ((j == targets[r] ? 1 : 0) + e)) * ErrorBounds.SECOND_ORDER;
        gradBound[r * classes + j] = ErrorBounds.agreement(own + prop);
      }
    }
    return new double[][] {{ErrorBounds.agreement(lossBound)}, gradBound};
  }

  private static void shapes(List<Case> c) {
    c.add(new Case("reshape and transpose", true, (rng, dt, max) -> {
      int r = dim(rng, max);
      int k = dim(rng, max);
      return new Instance("reshape/transpose", in(vals(rng, dt, -2, 2, r, k)),
          x -> x[0].transpose().reshape(-1).reshape(k, r).mul(x[0].transpose()), (ref, eb) -> exact(ref));
    }));
    c.add(new Case("transpose of a 3-d tensor", true, (rng, dt, max) -> new Instance("transpose(0, 1)",
        in(vals(rng, dt, -2, 2, dim(rng, max), dim(rng, max), dim(rng, 3))), x -> x[0].transpose(0, 1)
            .mul(x[0].transpose(0, 1)), (ref, eb) -> exact(ref))));
    c.add(new Case("permute", true, (rng, dt, max) -> new Instance("permute(2, 0, 1)",
        in(vals(rng, dt, -2, 2, dim(rng, max), dim(rng, 3), dim(rng, max))), x -> Ops.permute(x[0], 2, 0, 1),
        (ref, eb) -> exact(ref))));
    c.add(new Case("slice and select", true, (rng, dt, max) -> {
      int r = 2 + dim(rng, max);
      int k = dim(rng, max);
      int start = rng.nextInt(r - 1);
      int end = start + 1 + rng.nextInt(r - start - 1);
      return new Instance("slice", in(vals(rng, dt, -2, 2, r, k)),
          x -> Ops.concat(0, x[0].slice(start, end).mul(x[0].slice(start, end)),
              Ops.stack(0, x[0].select(start), x[0].select(end - 1))), (ref, eb) -> exact(ref));
    }));
    c.add(new Case("narrow along dimension 1", true, (rng, dt, max) -> {
      int r = dim(rng, max);
      int k = 1 + dim(rng, max);
      int start = rng.nextInt(k);
      int len = 1 + rng.nextInt(k - start);
      return new Instance("narrow", in(vals(rng, dt, -2, 2, r, k)), x -> x[0].narrow(1, start, len),
          (ref, eb) -> exact(ref));
    }));
    c.add(new Case("concat", true, (rng, dt, max) -> {
      int r = dim(rng, max);
      int axis = rng.nextInt(2);
      int[] s1 = axis == 0 ? new int[] {dim(rng, max), r} : new int[] {r, dim(rng, max)};
      int[] s2 = axis == 0 ? new int[] {dim(rng, max), r} : new int[] {r, dim(rng, max)};
      return new Instance("concat " + axis, in(vals(rng, dt, -2, 2, s1), vals(rng, dt, -2, 2, s2)),
          x -> Ops.concat(axis, x[0], x[1].mul(x[1])), (ref, eb) -> exact(ref));
    }));
    c.add(new Case("stack and split", true, (rng, dt, max) -> {
      int r = dim(rng, max);
      int k = dim(rng, max);
      int axis = rng.nextInt(3);
      return new Instance("stack/split " + axis, in(vals(rng, dt, -2, 2, r, k), vals(rng, dt, -2, 2, r, k)),
          x -> {
            Tensor s = Ops.stack(axis, x[0], x[1].mul(x[0]));
            Tensor[] parts = Ops.split(s, axis, 1, 1);
            return Ops.concat(axis, parts[1], parts[0].mul(parts[0]));
          }, (ref, eb) -> exact(ref));
    }));
    c.add(new Case("indexSelect with repeats", true, (rng, dt, max) -> {
      int v = dim(rng, max);
      int k = dim(rng, max);
      int[] idx = new int[1 + rng.nextInt(2 * max)];
      for (int i = 0; i < idx.length; i++) {
        idx[i] = rng.nextInt(v);
      }
      return new Instance("indexSelect", in(vals(rng, dt, -2, 2, v, k)), x -> x[0].indexSelect(idx),
          (ref, eb) -> exact(ref));
    }));
    c.add(new Case("embedding", true, (rng, dt, max) -> {
      int v = dim(rng, max);
      int e = dim(rng, max);
      int t = dim(rng, 3);
      int b = dim(rng, 3);
      int[] idx = new int[t * b];
      for (int i = 0; i < idx.length; i++) {
        idx[i] = rng.nextInt(v);
      }
      return new Instance("embedding", in(vals(rng, dt, -2, 2, v, e)), x -> Ops.embedding(x[0], idx, t, b),
          (ref, eb) -> exact(ref));
    }));
    c.add(new Case("broadcastTo", true, (rng, dt, max) -> {
      int r = dim(rng, max);
      int k = dim(rng, max);
      return new Instance("broadcastTo", in(vals(rng, dt, -2, 2, 1, k)), x -> x[0].broadcastTo(r, k),
          (ref, eb) -> {
            double[][] t = exact(ref);
            t[1] = broadcastGrad(eb, ref, 0, ref.seed(), 0);
            return t;
          });
    }));
    c.add(new Case("dtype round trip", false, (rng, dt, max) -> {
      DType other = dt == DType.FLOAT32 ? DType.FLOAT64 : DType.FLOAT32;
      return new Instance("to " + other, in(vals(rng, dt, -2, 2, dim(rng, max), dim(rng, max))),
          x -> x[0].to(other).mul(2).to(dt), (ref, eb) -> exact(ref));
    }));
  }
}
