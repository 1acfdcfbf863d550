package dev.rnn4j.kernels.testing;

// rnn4j:generate-float

import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.EB;
import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.GUARD;
import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.guarded;
import static dev.rnn4j.kernels.testing.TestValues.mixed;
import static dev.rnn4j.kernels.testing.TestValues.positive;
import static dev.rnn4j.kernels.testing.TestValues.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.kernels.DoubleKernels;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract tests of the elementwise kernels of {@link DoubleKernels} (add, sub, mul, div, scale, addScalar, fill,
 * copy) and of the maps (sigmoid, tanh, relu, exp, log) with their backward forms. A link of the contract suite's
 * chain of family classes; implementations subclass {@link DoubleKernelsContract}, which runs every family.
 */
@SuppressWarnings("cast")
public abstract class DoublePointwiseContract extends DoubleBlasContract {

  // ===============================================================================================================
  // Elementwise
  // ===============================================================================================================

  /** a_i = i + 0.5, b_i = 2i - 3: small exact values in both precisions (2i^2 < 2^23 for i <= 1025). */
  private static double[][] binaryInputs(int n) {
    double[] a = new double[n + 2];
    double[] b = new double[n + 3];
    Arrays.fill(a, 42);
    Arrays.fill(b, 43);
    for (int i = 0; i < n; i++) {
      a[1 + i] = i + 0.5;
      b[2 + i] = 2 * i - 3;
    }
    return new double[][] {a, b};
  }

  @ParameterizedTest(name = "n={0}")
  @MethodSource("dev.rnn4j.kernels.testing.KernelSweeps#sizes")
  void addSubMulDivAreExact(int n) {
    for (String op : new String[] {"add", "sub", "mul", "div"}) {
      for (int alias = 0; alias < 3; alias++) { // 0: separate output, 1: out = a, 2: out = b
        double[][] in = binaryInputs(n);
        double[] a = in[0];
        double[] b = in[1];
        if (op.equals("div")) {
          for (int i = 0; i < n; i++) {
            b[2 + i] = 1 << (i % 5); // powers of two: the quotient is exact
          }
        }
        double[] a0 = a.clone();
        double[] b0 = b.clone();
        double[] out = alias == 1 ? a : alias == 2 ? b : new double[n + 4];
        int outOff = alias == 1 ? 1 : alias == 2 ? 2 : 3;
        double[] out0 = out.clone();
        switch (op) {
          case "add" -> kernels().add(n, a, 1, b, 2, out, outOff);
          case "sub" -> kernels().sub(n, a, 1, b, 2, out, outOff);
          case "mul" -> kernels().mul(n, a, 1, b, 2, out, outOff);
          default -> kernels().div(n, a, 1, b, 2, out, outOff);
        }
        for (int i = 0; i < n; i++) {
          double ai = a0[1 + i];
          double bi = b0[2 + i];
          double want = switch (op) {
            case "add" -> 3 * i - 2.5; // (i + 0.5) + (2i - 3)
            case "sub" -> -i + 3.5; // (i + 0.5) - (2i - 3)
            case "mul" -> 2.0 * i * i - 2 * i - 1.5; // (i + 0.5)(2i - 3)
            default -> (i + 0.5) / (1 << (i % 5)); // exact division by a power of two
          };
          assertEquals(want, out[outOff + i], op + " alias=" + alias + " [" + i + "] a=" + ai + " b=" + bi);
        }
        Checks.unchangedOutside(op + ": out", out0, out, outOff, outOff + n);
        if (alias != 1) {
          Checks.unchanged(op + ": a", a0, a);
        }
        if (alias != 2) {
          Checks.unchanged(op + ": b", b0, b);
        }
      }
    }
  }

  @Test
  void divFollowsIeee() {
    double[] a = {1, -1, 0, Double.NaN, Double.POSITIVE_INFINITY};
    double[] b = {0, 0, 0, 1, Double.POSITIVE_INFINITY};
    double[] out = new double[5];
    kernels().div(5, a, 0, b, 0, out, 0);
    assertEquals(Double.POSITIVE_INFINITY, out[0]);
    assertEquals(Double.NEGATIVE_INFINITY, out[1]);
    assertTrue(Double.isNaN(out[2]) && Double.isNaN(out[3]) && Double.isNaN(out[4]), Arrays.toString(out));
  }

  @ParameterizedTest(name = "n={0}")
  @MethodSource("dev.rnn4j.kernels.testing.KernelSweeps#sizes")
  void scaleAddScalarFillCopy(int n) {
    double[] x = new double[n + 2];
    for (int i = 0; i < n; i++) {
      x[1 + i] = i - 3;
    }
    x[0] = 11;
    x[n + 1] = 13;
    double[] x0 = x.clone();
    double[] out = new double[n + 4];
    Arrays.fill(out, 17);
    double[] out0 = out.clone();
    kernels().scale(n, 0.25, x, 1, out, 2);
    for (int i = 0; i < n; i++) {
      assertEquals((i - 3) / 4.0, out[2 + i], "scale [" + i + "]"); // multiplying by 2^-2 is exact
    }
    Checks.unchanged("scale: x", x0, x);
    Checks.unchangedOutside("scale: out", out0, out, 2, 2 + n);
    kernels().addScalar(n, 0.5, x, 1, out, 2);
    for (int i = 0; i < n; i++) {
      assertEquals(i - 2.5, out[2 + i], "addScalar [" + i + "]"); // (i - 3) + 0.5
    }
    Checks.unchanged("addScalar: x", x0, x);
    Checks.unchangedOutside("addScalar: out", out0, out, 2, 2 + n);
    double[] beforeFill = out.clone();
    kernels().fill(n, -7.5, out, 1);
    for (int i = 0; i < n; i++) {
      assertEquals(-7.5, out[1 + i], "fill [" + i + "]");
    }
    Checks.unchangedOutside("fill", beforeFill, out, 1, 1 + n);
    double[] y = new double[n + 3];
    Arrays.fill(y, 99);
    double[] y0 = y.clone();
    kernels().copy(n, x, 1, y, 2);
    for (int i = 0; i < n; i++) {
      assertEquals(i - 3, y[2 + i], "copy [" + i + "]");
    }
    Checks.unchanged("copy: x", x0, x);
    Checks.unchangedOutside("copy: out", y0, y, 2, 2 + n);
    // In place: scale and addScalar on their own input: 2 (i - 3) + 1.
    kernels().scale(n, 2, x, 1, x, 1);
    kernels().addScalar(n, 1, x, 1, x, 1);
    for (int i = 0; i < n; i++) {
      assertEquals(2 * (i - 3) + 1, x[1 + i], "scale+addScalar in place [" + i + "]");
    }
    Checks.unchangedOutside("in place", x0, x, 1, 1 + n);
  }

  @ParameterizedTest(name = "n={0}")
  @MethodSource("dev.rnn4j.kernels.testing.KernelSweeps#sizes")
  void copyOfOverlappingRangesIsMemmove(int n) {
    for (int shift : new int[] {-3, -1, 1, 3}) {
      double[] x = new double[n + 8];
      for (int i = 0; i < x.length; i++) {
        x[i] = i;
      }
      kernels().copy(n, x, 4, x, 4 + shift);
      for (int i = 0; i < x.length; i++) {
        boolean written = i >= 4 + shift && i < 4 + shift + n;
        double want = written ? i - shift : i; // the original x[i - shift], as if copied through a buffer
        assertEquals(want, x[i], "copy shift=" + shift + " [" + i + "]");
      }
    }
  }

  // ===============================================================================================================
  // Maps
  // ===============================================================================================================

  /**
   * The map on random inputs from {@code source}, out of place and in place, against {@code exact} within
   * {@code bound(x, expected)}.
   */
  private void checkMap(String name, int n, TestValues.Source source, Checks.PointBound bound,
                        Checks.PointBound exact) {
    Random rnd = new Random(n * 7L + name.hashCode());
    double[] x = guarded(rnd, n, source);
    double[] x0 = x.clone();
    var want = new double /*f32:double*/[n];
    for (int i = 0; i < n; i++) {
      want[i] = exact.at(x0[GUARD + i], 0);
    }
    for (boolean inPlace : new boolean[] {false, true}) {
      double[] y = inPlace ? x : guarded(rnd, n, mixed(1));
      double[] y0 = y.clone();
      switch (name) {
        case "sigmoid" -> kernels().sigmoid(n, x, GUARD, y, GUARD);
        case "tanh" -> kernels().tanh(n, x, GUARD, y, GUARD);
        case "exp" -> kernels().exp(n, x, GUARD, y, GUARD);
        case "log" -> kernels().log(n, x, GUARD, y, GUARD);
        default -> kernels().relu(n, x, GUARD, y, GUARD);
      }
      if (!inPlace) {
        Checks.unchanged(name + ": x", x0, x);
      }
      Checks.unchangedOutside(name + ": y", y0, y, GUARD, GUARD + n);
      for (int i = 0; i < n; i++) {
        double xi = x0[GUARD + i];
        Checks.closeToExact(name + "(" + xi + ") [" + i + "] in place=" + inPlace, want[i], y[GUARD + i],
            bound.at(xi, want[i]));
      }
    }
  }

  @ParameterizedTest(name = "n={0}")
  @MethodSource("dev.rnn4j.kernels.testing.KernelSweeps#sizes")
  void mapsMatchDefinitions(int n) {
    checkMap("sigmoid", n, mixed(5), (x, y) -> EB.sigmoid(y), (x, y) -> Exact.sigmoid(x));
    checkMap("tanh", n, mixed(5), (x, y) -> EB.tanh(y), (x, y) -> Exact.tanh(x));
    checkMap("exp", n, uniform(-80, 80), (x, y) -> EB.exp(y), (x, y) -> Exact.exp(x));
    checkMap("log", n, positive(40), (x, y) -> EB.log(y), (x, y) -> Exact.log(x));
    checkMap("relu", n, mixed(8), (x, y) -> 0, (x, y) -> x > 0 ? x : 0);
  }

  @Test
  void mapsOfSpecialValues() {
    double inf = Double.POSITIVE_INFINITY;
    double nan = Double.NaN;
    double[] x = {1e4, -1e4, inf, -inf, nan, 0, 1000, -1000};
    double[] y = new double[x.length];
    kernels().sigmoid(x.length, x, 0, y, 0);
    // sigmoid(1e4) = 1 - e^-1e4 rounds to 1; sigmoid(-1e4) = e^-1e4 (underflows to 0): finite, never NaN.
    assertTrue(Arrays.equals(new double[] {1, 0, 1, 0, nan, 0.5, 1, 0}, y), "sigmoid " + Arrays.toString(y));
    kernels().tanh(x.length, x, 0, y, 0);
    assertTrue(Arrays.equals(new double[] {1, -1, 1, -1, nan, 0, 1, -1}, y), "tanh " + Arrays.toString(y));
    kernels().exp(x.length, x, 0, y, 0);
    assertTrue(Arrays.equals(new double[] {inf, 0, inf, 0, nan, 1, inf, 0}, y), "exp " + Arrays.toString(y));
    kernels().relu(x.length, x, 0, y, 0);
    assertTrue(Arrays.equals(new double[] {1e4, 0, inf, 0, nan, 0, 1000, 0}, y), "relu " + Arrays.toString(y));
    double[] lx = {0, -1, inf, nan, 1, -inf};
    double[] ly = new double[lx.length];
    kernels().log(lx.length, lx, 0, ly, 0);
    // log(0) = -Inf, log(x < 0) = NaN, log(Inf) = Inf, log(1) = 0.
    assertTrue(Arrays.equals(new double[] {-inf, nan, inf, nan, 0, nan}, ly), "log " + Arrays.toString(ly));
  }

  @ParameterizedTest(name = "n={0}")
  @MethodSource("dev.rnn4j.kernels.testing.KernelSweeps#sizes")
  void backwardMapsMatchDefinitions(int n) {
    Random rnd = new Random(n + 1000);
    for (String name : new String[] {"sigmoid", "tanh", "relu", "exp", "log"}) {
      for (int alias = 0; alias < 3; alias++) { // 0: separate dx, 1: dx = v, 2: dx = dy
        TestValues.Source vs = switch (name) {
          case "sigmoid" -> uniform(0, 1);
          case "tanh" -> uniform(-1, 1);
          case "relu" -> mixed(8);
          default -> positive(10);
        };
        double[] v = guarded(rnd, n, vs);
        double[] dy = guarded(rnd, n, mixed(8));
        double[] v0 = v.clone();
        double[] dy0 = dy.clone();
        double[] dx = alias == 1 ? v : alias == 2 ? dy : guarded(rnd, n, mixed(1));
        double[] dx0 = dx.clone();
        switch (name) {
          case "sigmoid" -> kernels().sigmoidBackward(n, v, GUARD, dy, GUARD, dx, GUARD);
          case "tanh" -> kernels().tanhBackward(n, v, GUARD, dy, GUARD, dx, GUARD);
          case "relu" -> kernels().reluBackward(n, v, GUARD, dy, GUARD, dx, GUARD);
          case "exp" -> kernels().expBackward(n, v, GUARD, dy, GUARD, dx, GUARD);
          default -> kernels().logBackward(n, v, GUARD, dy, GUARD, dx, GUARD);
        }
        Checks.unchangedOutside(name + "Backward: dx", dx0, dx, GUARD, GUARD + n);
        if (alias != 1) {
          Checks.unchanged(name + "Backward: input", v0, v);
        }
        if (alias != 2) {
          Checks.unchanged(name + "Backward: dy", dy0, dy);
        }
        for (int i = 0; i < n; i++) {
          double vi = v0[GUARD + i];
          double gi = dy0[GUARD + i];
          String what = name + "Backward alias=" + alias + " [" + i + "] v=" + vi + " dy=" + gi;
          switch (name) {
            case "sigmoid" -> Checks.closeToExact(what, Exact.sigmoidBackward(vi, gi), dx[GUARD + i],
                EB.running(3, Math.abs(Exact.product(gi, vi)) * (1 + Math.abs(vi)))); // dy y (1 - y)
            case "tanh" -> Checks.closeToExact(what, Exact.tanhBackward(vi, gi), dx[GUARD + i],
                EB.running(3, Math.abs(gi) * (1 + Exact.product(vi, vi)))); // dy (1 - y^2)
            case "relu" -> assertEquals(vi > 0 ? gi : 0, dx[GUARD + i], what); // dy where y > 0, else 0
            case "exp" -> assertEquals(gi * vi, dx[GUARD + i], what); // one correctly rounded product
            default -> assertEquals(gi / vi, dx[GUARD + i], what); // one correctly rounded quotient
          }
        }
      }
    }
  }

  @Test
  void reluBackwardAtZeroIsZero() {
    double[] y = {0, -0.0, 1e-30, Double.NaN};
    double[] dy = {5, 5, 5, 5};
    double[] dx = new double[4];
    kernels().reluBackward(4, y, 0, dy, 0, dx, 0);
    // subgradient 0 at 0 (PyTorch); NaN > 0 is false, so 0.
    assertTrue(Arrays.equals(new double[] {0, 0, 5, 0}, dx), Arrays.toString(dx));
  }
}
