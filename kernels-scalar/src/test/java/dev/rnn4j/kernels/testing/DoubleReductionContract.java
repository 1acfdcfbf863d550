package dev.rnn4j.kernels.testing;

// rnn4j:generate-float

import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.EB;
import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.GUARD;
import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.REF;
import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.array;
import static dev.rnn4j.kernels.testing.DoubleKernelTestSupport.guarded;
import static dev.rnn4j.kernels.testing.KernelSweeps.WIDTH_INDEPENDENT;
import static dev.rnn4j.kernels.testing.TestValues.mixed;
import static dev.rnn4j.kernels.testing.TestValues.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.kernels.DoubleKernels;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract tests of the reductions of {@link DoubleKernels} (sum, sumOfSquares, max, addColumnSums) and of the
 * row-wise softmax and logSoftmax with their backward forms. A link of the contract suite's chain of family
 * classes; implementations subclass {@link DoubleKernelsContract}, which runs every family.
 */
@SuppressWarnings("cast")
public abstract class DoubleReductionContract extends DoublePointwiseContract {

  // ===============================================================================================================
  // Reductions
  // ===============================================================================================================

  @ParameterizedTest(name = "n={0}")
  @MethodSource("dev.rnn4j.kernels.testing.KernelSweeps#sizes")
  void sumAndSumOfSquares(int n) {
    double[] x = new double[n + 2];
    x[0] = 1e30;
    x[n + 1] = -1e30;
    for (int i = 0; i < n; i++) {
      x[1 + i] = i + 1;
    }
    long s = (long) n * (n + 1) / 2; // 1 + 2 + ... + n
    long q = (long) n * (n + 1) * (2L * n + 1) / 6; // 1 + 4 + ... + n^2
    Checks.close("sum 1..n", s, kernels().sum(n, x, 1), EB.running(n, s));
    Checks.close("sumOfSquares 1..n", q, kernels().sumOfSquares(n, x, 1), EB.running(n, q));
    Random rnd = new Random(n);
    double[] r = guarded(rnd, n, mixed(10));
    double[] r0 = r.clone();
    double[] ones = new double[r.length];
    Arrays.fill(ones, 1);
    double got = kernels().sum(n, r, GUARD);
    double gotSq = kernels().sumOfSquares(n, r, GUARD);
    Checks.unchanged("sum", r0, r);
    Checks.closeToExact("sum", Exact.dot(Checks.widen(r), GUARD, Checks.widen(ones), GUARD, n), got,
        EB.running(n, Exact.dotAbs(Checks.widen(r), GUARD, Checks.widen(ones), GUARD, n)));
    Checks.closeToExact("sumOfSquares", Exact.dot(Checks.widen(r), GUARD, Checks.widen(r), GUARD, n), gotSq,
        EB.running(n, Exact.dotAbs(Checks.widen(r), GUARD, Checks.widen(r), GUARD, n)));
  }

  @ParameterizedTest(name = "n={0}")
  @MethodSource("dev.rnn4j.kernels.testing.KernelSweeps#sizes")
  void maxIsExactAndPropagatesNaN(int n) {
    assertEquals(Double.NEGATIVE_INFINITY, kernels().max(0, new double[] {5}, 0), "max of nothing");
    if (n == 0) {
      return;
    }
    for (int at : new int[] {0, n / 2, n - 1}) {
      double[] x = new double[n + 2];
      x[0] = 1e9; // guards larger than every element
      x[n + 1] = 1e9;
      for (int i = 0; i < n; i++) {
        x[1 + i] = -(i % 7) - 1; // all in [-7, -1]
      }
      x[1 + at] = 0.5;
      assertEquals(0.5, kernels().max(n, x, 1), "max at " + at);
      x[1 + at] = Double.NaN;
      assertTrue(Double.isNaN(kernels().max(n, x, 1)), "NaN at " + at);
      x[1 + at] = Double.POSITIVE_INFINITY;
      assertEquals(Double.POSITIVE_INFINITY, kernels().max(n, x, 1), "+Inf at " + at);
    }
    double[] negInf = new double[n];
    Arrays.fill(negInf, Double.NEGATIVE_INFINITY);
    assertEquals(Double.NEGATIVE_INFINITY, kernels().max(n, negInf, 0), "all -Inf");
  }

  @ParameterizedTest(name = "n={0}")
  @MethodSource("dev.rnn4j.kernels.testing.KernelSweeps#positiveSizes")
  void nanAndInfinityPropagateThroughReductions(int n) {
    double nan = Double.NaN;
    double inf = Double.POSITIVE_INFINITY;
    for (int at : new int[] {0, n / 2, n - 1}) {
      double[] x = new double[n];
      Arrays.fill(x, 1.5);
      double[] ones = x.clone();
      x[at] = nan;
      assertTrue(Double.isNaN(kernels().sum(n, x, 0)), "sum with NaN at " + at);
      assertTrue(Double.isNaN(kernels().sumOfSquares(n, x, 0)), "sumOfSquares with NaN at " + at);
      assertTrue(Double.isNaN(kernels().dot(n, x, 0, ones, 0)), "dot with NaN at " + at);
      assertTrue(Double.isNaN(kernels().dot(n, ones, 0, x, 0)), "dot with NaN at " + at);
      x[at] = inf;
      assertEquals(inf, kernels().sum(n, x, 0), "sum with +Inf at " + at);
      assertEquals(inf, kernels().sumOfSquares(n, x, 0), "sumOfSquares with +Inf at " + at);
      x[at] = -inf;
      assertEquals(inf, kernels().sumOfSquares(n, x, 0), "sumOfSquares with -Inf at " + at);
      assertEquals(-inf, kernels().dot(n, x, 0, ones, 0), "dot with -Inf at " + at);
      if (n > 1) {
        x[(at + 1) % n] = inf; // +Inf + -Inf = NaN
        assertTrue(Double.isNaN(kernels().sum(n, x, 0)), "sum of +Inf and -Inf");
      }
      // gemm: NaN in row `at` of A (m = n rows, k = 3) poisons exactly row `at` of C, even with beta = 0.
      double[] a = new double[n * 3];
      Arrays.fill(a, 0.5);
      a[at * 3 + 1] = nan;
      double[] b = {1, 2, 3, 4, 5, 6}; // 3 x 2
      double[] c = new double[n * 2];
      kernels().gemm(false, false, n, 2, 3, 1, a, 0, 3, b, 0, 2, 0, c, 0, 2);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < 2; j++) {
          // row of A without NaN: 0.5 (1 + 3 + 5) = 4.5 and 0.5 (2 + 4 + 6) = 6
          double want = i == at ? nan : j == 0 ? 4.5 : 6;
          assertEquals(want, c[i * 2 + j], "gemm C[" + i + ", " + j + "] with NaN in A[" + at + ", 1]");
        }
      }
    }
  }

  @Test
  @Tag(WIDTH_INDEPENDENT)
  void addColumnSumsHandComputed() {
    // x = [[1, 2, 3], [4, 5, 6]] stored with ld 4 (one padding element per row, 100); out = [10, 20, 30] + [5, 7, 9].
    double[] x = {1, 2, 3, 100, 4, 5, 6, 100};
    double[] out = {-1, 10, 20, 30, -1};
    kernels().addColumnSums(2, 3, x, 0, 4, out, 1);
    assertTrue(Arrays.equals(new double[] {-1, 15, 27, 39, -1}, out), Arrays.toString(out));
  }

  @ParameterizedTest(name = "cols={0}")
  @MethodSource("dev.rnn4j.kernels.testing.KernelSweeps#sizes")
  void addColumnSumsMatchesExact(int cols) {
    Random rnd = new Random(cols);
    for (int rows : new int[] {0, 1, 3, 17}) {
      int ldx = cols + 2;
      double[] x = array(rnd, GUARD + rows * ldx + GUARD, mixed(8));
      double[] out = guarded(rnd, cols, mixed(8));
      double[] x0 = x.clone();
      double[] out0 = out.clone();
      kernels().addColumnSums(rows, cols, x, GUARD, ldx, out, GUARD);
      Checks.unchanged("addColumnSums: x", x0, x);
      Checks.unchangedOutside("addColumnSums: out", out0, out, GUARD, GUARD + cols);
      for (int j = 0; j < cols; j++) {
        double[] col = new double[rows + 1];
        col[rows] = out0[GUARD + j];
        for (int i = 0; i < rows; i++) {
          col[i] = x0[GUARD + i * ldx + j];
        }
        double[] ones = new double[rows + 1];
        Arrays.fill(ones, 1);
        Checks.closeToExact("addColumnSums rows=" + rows + " [" + j + "]",
            Exact.dot(Checks.widen(col), 0, Checks.widen(ones), 0, rows + 1), out[GUARD + j],
            EB.running(rows + 1, Exact.dotAbs(Checks.widen(col), 0, Checks.widen(ones), 0, rows + 1)));
      }
    }
  }

  // ===============================================================================================================
  // Softmax
  // ===============================================================================================================

  @Test
  @Tag(WIDTH_INDEPENDENT)
  void softmaxHandComputed() {
    // A constant row of 4 gives 1/4 each; [0, 0] gives 1/2; huge rows are shifted by their maximum first:
    // [1e4, 1e4] -> [1/2, 1/2]; [-1e4, -1e4, -1e4, -1e4] -> 1/4 each; [1e4, -1e4] -> [1, e^-2e4 = 0].
    double[] x = {3, 3, 3, 3, 1e4, 1e4, -1e4, -1e4, -1e4, -1e4, 1e4, -1e4};
    double[] y = new double[4];
    kernels().softmax(1, 4, x, 0, 4, y, 0, 4);
    assertTrue(Arrays.equals(new double[] {0.25, 0.25, 0.25, 0.25}, y), Arrays.toString(y));
    kernels().softmax(1, 2, x, 4, 2, y, 0, 2);
    assertEquals(0.5, y[0]);
    assertEquals(0.5, y[1]);
    kernels().softmax(1, 4, x, 6, 4, y, 0, 4);
    assertTrue(Arrays.equals(new double[] {0.25, 0.25, 0.25, 0.25}, y), Arrays.toString(y));
    kernels().softmax(1, 2, x, 10, 2, y, 0, 2);
    assertEquals(1, y[0]);
    assertEquals(0, y[1]);
    // logSoftmax: [3, 3, 3, 3] -> -log 4 each; [1e4, -1e4] -> [0, -2e4] (log(1 + e^-2e4) is 0 in floating point).
    kernels().logSoftmax(1, 4, x, 0, 4, y, 0, 4);
    for (int j = 0; j < 4; j++) {
      Checks.closeToExact("logSoftmax const [" + j + "]", -Exact.log(4), y[j],
          EB.logSoftmax(4, Math.log(4), 0, 0, 3 + Math.log(4), Math.log(4)));
    }
    kernels().logSoftmax(1, 2, x, 10, 2, y, 0, 2);
    assertEquals(0, y[0]);
    assertEquals(-2e4, y[1]);
  }

  @Test
  void softmaxOfInfinitiesIsNaN() {
    // A row with +Inf gives NaN (Inf - Inf), a row of -Inf gives NaN (0/0), as in PyTorch.
    double inf = Double.POSITIVE_INFINITY;
    double[] x = {inf, 1, -inf, -inf};
    double[] y = new double[2];
    kernels().softmax(1, 2, x, 0, 2, y, 0, 2);
    assertTrue(Double.isNaN(y[0]), Arrays.toString(y));
    kernels().softmax(1, 2, x, 2, 2, y, 0, 2);
    assertTrue(Double.isNaN(y[0]) && Double.isNaN(y[1]), Arrays.toString(y));
    kernels().logSoftmax(1, 2, x, 0, 2, y, 0, 2);
    assertTrue(Double.isNaN(y[0]), Arrays.toString(y));
  }

  @ParameterizedTest(name = "cols={0}")
  @MethodSource("dev.rnn4j.kernels.testing.KernelSweeps#sizes")
  void softmaxAndLogSoftmaxMatchExact(int cols) {
    Random rnd = new Random(cols + 77);
    int rows = 3;
    int ldx = cols + 3;
    for (boolean log : new boolean[] {false, true}) {
      double[] input = array(rnd, GUARD + rows * ldx + GUARD, mixed(6));
      for (int j = 0; j < cols; j++) {
        input[GUARD + ldx + j] += 1e4; // row 1 is huge and positive
        input[GUARD + 2 * ldx + j] -= 1e4; // row 2 huge and negative
      }
      // Expected rows from the definition (computed once, used for both the out-of-place and the in-place call).
      var rowsIn = new double /*f32:double*/[rows][];
      var rowsWant = new double /*f32:double*/[rows][];
      for (int r = 0; r < rows; r++) {
        rowsIn[r] = Checks.widen(Arrays.copyOfRange(input, GUARD + r * ldx, GUARD + r * ldx + cols));
        rowsWant[r] = log ? Exact.logSoftmax(rowsIn[r], 0, cols) : Exact.softmax(rowsIn[r], 0, cols);
      }
      for (boolean inPlace : new boolean[] {false, true}) {
        int ldy = inPlace ? ldx : cols + 1;
        double[] x = input.clone();
        double[] y = inPlace ? x : array(rnd, GUARD + rows * ldy + GUARD, mixed(1));
        double[] y0 = y.clone();
        if (log) {
          kernels().logSoftmax(rows, cols, x, GUARD, ldx, y, GUARD, ldy);
        } else {
          kernels().softmax(rows, cols, x, GUARD, ldx, y, GUARD, ldy);
        }
        String op = (log ? "logSoftmax" : "softmax") + " in place=" + inPlace + " cols=" + cols;
        if (!inPlace) {
          Checks.unchanged(op + ": x", input, x);
        }
        Checks.unchangedOutsideMatrix(op + ": y", y0, y, rows, cols, GUARD, ldy);
        for (int r = 0; r < rows; r++) {
          var row = rowsIn[r];
          var want = rowsWant[r];
          var max = Exact.max(row);
          var maxArgument = cols == 0 ? 0 : max - Exact.min(row);
          // log sum_j exp(x_j - max) lies in [0, log cols] (each term <= 1, one term = 1): use the upper end.
          var logS = Math.log(Math.max(1, cols));
          for (int j = 0; j < cols; j++) {
            var bound = log
                ? EB.logSoftmax(cols, want[j], max - row[j], maxArgument, Math.abs(max) + logS, logS)
                : EB.softmax(cols, want[j], max - row[j], maxArgument);
            Checks.closeToExact(op + " [" + r + ", " + j + "]", want[j], y[GUARD + r * ldy + j], bound);
          }
        }
      }
    }
  }

  @Test
  @Tag(WIDTH_INDEPENDENT)
  void softmaxBackwardHandComputed() {
    // y = [1/2, 1/2], dy = [1, 0]: s = 1/2; dx = [1/2 (1 - 1/2), 1/2 (0 - 1/2)] = [1/4, -1/4].
    double[] y = {0.5, 0.5};
    double[] dy = {1, 0};
    double[] dx = new double[2];
    kernels().softmaxBackward(1, 2, y, 0, dy, 0, dx, 0);
    assertTrue(Arrays.equals(new double[] {0.25, -0.25}, dx), Arrays.toString(dx));
    // logSoftmaxBackward with y = log [1/4, 3/4] would not be exact; use y = [0, -Inf]: exp(y) = [1, 0],
    // dy = [2, 3]: sum = 5, dx = [2 - 5, 3 - 0] = [-3, 3].
    double[] ly = {0, Double.NEGATIVE_INFINITY};
    double[] ldy = {2, 3};
    kernels().logSoftmaxBackward(1, 2, ly, 0, ldy, 0, dx, 0);
    assertTrue(Arrays.equals(new double[] {-3, 3}, dx), Arrays.toString(dx));
  }

  @ParameterizedTest(name = "cols={0}")
  @MethodSource("dev.rnn4j.kernels.testing.KernelSweeps#sizes")
  void softmaxBackwardsMatchExact(int cols) {
    Random rnd = new Random(cols + 99);
    int rows = 2;
    for (boolean log : new boolean[] {false, true}) {
      for (boolean inPlace : new boolean[] {false, true}) {
        double[] y = guarded(rnd, rows * cols, log ? uniform(-12, 0) : uniform(0, 1));
        double[] dy = guarded(rnd, rows * cols, mixed(6));
        double[] y0 = y.clone();
        double[] dy0 = dy.clone();
        double[] dx = inPlace ? dy : guarded(rnd, rows * cols, mixed(1));
        double[] dx0 = dx.clone();
        if (log) {
          kernels().logSoftmaxBackward(rows, cols, y, GUARD, dy, GUARD, dx, GUARD);
        } else {
          kernels().softmaxBackward(rows, cols, y, GUARD, dy, GUARD, dx, GUARD);
        }
        String op = (log ? "logSoftmaxBackward" : "softmaxBackward") + " in place=" + inPlace + " cols=" + cols;
        Checks.unchanged(op + ": y", y0, y);
        if (!inPlace) {
          Checks.unchanged(op + ": dy", dy0, dy);
        }
        Checks.unchangedOutside(op + ": dx", dx0, dx, GUARD, GUARD + rows * cols);
        var wy = Checks.widen(y0);
        var wdy = Checks.widen(dy0);
        var ones = new double /*f32:double*/[wy.length];
        Arrays.fill(ones, 1);
        for (int r = 0; r < rows; r++) {
          int o = GUARD + r * cols;
          var s = log ? Exact.dot(wdy, o, ones, 0, cols) : Exact.dot(wdy, o, wy, o, cols);
          var sumAbs = log ? Exact.dotAbs(wdy, o, ones, 0, cols) : Exact.dotAbs(wdy, o, wy, o, cols);
          for (int j = 0; j < cols; j++) {
            var yj = wy[o + j];
            var dyj = wdy[o + j];
            // softmax: y_j (dy_j - s); log: dy_j - exp(y_j) s. s is rounded once (relative 2^-53), exp(y_j) too, and
            // the final expression once more: the float64 evaluation of the expected value is within
            // REF.running(3, ...) of the exact one.
            var e = Exact.exp(yj);
            var want = log ? Exact.sum(dyj, -Exact.product(e, s)) : Exact.product(yj, Exact.sum(dyj, -s));
            var bound = log
                ? EB.logSoftmaxBackward(cols, e, dyj, s, sumAbs) + REF.running(3, Math.abs(dyj) + e * sumAbs)
                : EB.softmaxBackward(cols, yj, dyj, sumAbs) + REF.running(3, Math.abs(yj) * (Math.abs(dyj) + sumAbs));
            Checks.closeToExact(op + " [" + r + ", " + j + "]", want, dx[o + j], bound);
          }
        }
      }
    }
  }
}
