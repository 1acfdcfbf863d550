package dev.rnn4j.kernels.testing;

// Generated from DoubleReductionContract.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

import static dev.rnn4j.kernels.testing.FloatKernelTestSupport.EB;
import static dev.rnn4j.kernels.testing.FloatKernelTestSupport.GUARD;
import static dev.rnn4j.kernels.testing.FloatKernelTestSupport.REF;
import static dev.rnn4j.kernels.testing.FloatKernelTestSupport.array;
import static dev.rnn4j.kernels.testing.FloatKernelTestSupport.guarded;
import static dev.rnn4j.kernels.testing.KernelSweeps.WIDTH_INDEPENDENT;
import static dev.rnn4j.kernels.testing.TestValues.mixed;
import static dev.rnn4j.kernels.testing.TestValues.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.kernels.FloatKernels;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract tests of the reductions of {@link FloatKernels} (sum, sumOfSquares, max, addColumnSums) and of the
 * row-wise softmax and logSoftmax with their backward forms. A link of the contract suite's chain of family
 * classes; implementations subclass {@link FloatKernelsContract}, which runs every family.
 */
@SuppressWarnings("cast")
public abstract class FloatReductionContract extends FloatPointwiseContract {

  // ===============================================================================================================
  // Reductions
  // ===============================================================================================================

  @ParameterizedTest(name = "n={0}")
  @MethodSource("dev.rnn4j.kernels.testing.KernelSweeps#sizes")
  void sumAndSumOfSquares(int n) {
    float[] x = new float[n + 2];
    x[0] = 1e30f;
    x[n + 1] = -1e30f;
    for (int i = 0; i < n; i++) {
      x[1 + i] = i + 1;
    }
    long s = (long) n * (n + 1) / 2; // 1 + 2 + ... + n
    long q = (long) n * (n + 1) * (2L * n + 1) / 6; // 1 + 4 + ... + n^2
    Checks.close("sum 1..n", s, kernels().sum(n, x, 1), EB.running(n, s));
    Checks.close("sumOfSquares 1..n", q, kernels().sumOfSquares(n, x, 1), EB.running(n, q));
    Random rnd = new Random(n);
    float[] r = guarded(rnd, n, mixed(10));
    float[] r0 = r.clone();
    float[] ones = new float[r.length];
    Arrays.fill(ones, 1);
    float got = kernels().sum(n, r, GUARD);
    float gotSq = kernels().sumOfSquares(n, r, GUARD);
    Checks.unchanged("sum", r0, r);
    Checks.closeToExact("sum", Exact.dot(Checks.widen(r), GUARD, Checks.widen(ones), GUARD, n), got,
        EB.running(n, Exact.dotAbs(Checks.widen(r), GUARD, Checks.widen(ones), GUARD, n)));
    Checks.closeToExact("sumOfSquares", Exact.dot(Checks.widen(r), GUARD, Checks.widen(r), GUARD, n), gotSq,
        EB.running(n, Exact.dotAbs(Checks.widen(r), GUARD, Checks.widen(r), GUARD, n)));
  }

  @ParameterizedTest(name = "n={0}")
  @MethodSource("dev.rnn4j.kernels.testing.KernelSweeps#sizes")
  void maxIsExactAndPropagatesNaN(int n) {
    assertEquals(Float.NEGATIVE_INFINITY, kernels().max(0, new float[] {5}, 0), "max of nothing");
    if (n == 0) {
      return;
    }
    for (int at : new int[] {0, n / 2, n - 1}) {
      float[] x = new float[n + 2];
      x[0] = 1e9f; // guards larger than every element
      x[n + 1] = 1e9f;
      for (int i = 0; i < n; i++) {
        x[1 + i] = -(i % 7) - 1; // all in [-7, -1]
      }
      x[1 + at] = 0.5f;
      assertEquals(0.5f, kernels().max(n, x, 1), "max at " + at);
      x[1 + at] = Float.NaN;
      assertTrue(Float.isNaN(kernels().max(n, x, 1)), "NaN at " + at);
      x[1 + at] = Float.POSITIVE_INFINITY;
      assertEquals(Float.POSITIVE_INFINITY, kernels().max(n, x, 1), "+Inf at " + at);
    }
    float[] negInf = new float[n];
    Arrays.fill(negInf, Float.NEGATIVE_INFINITY);
    assertEquals(Float.NEGATIVE_INFINITY, kernels().max(n, negInf, 0), "all -Inf");
  }

  @ParameterizedTest(name = "n={0}")
  @MethodSource("dev.rnn4j.kernels.testing.KernelSweeps#positiveSizes")
  void nanAndInfinityPropagateThroughReductions(int n) {
    float nan = Float.NaN;
    float inf = Float.POSITIVE_INFINITY;
    for (int at : new int[] {0, n / 2, n - 1}) {
      float[] x = new float[n];
      Arrays.fill(x, 1.5f);
      float[] ones = x.clone();
      x[at] = nan;
      assertTrue(Float.isNaN(kernels().sum(n, x, 0)), "sum with NaN at " + at);
      assertTrue(Float.isNaN(kernels().sumOfSquares(n, x, 0)), "sumOfSquares with NaN at " + at);
      assertTrue(Float.isNaN(kernels().dot(n, x, 0, ones, 0)), "dot with NaN at " + at);
      assertTrue(Float.isNaN(kernels().dot(n, ones, 0, x, 0)), "dot with NaN at " + at);
      x[at] = inf;
      assertEquals(inf, kernels().sum(n, x, 0), "sum with +Inf at " + at);
      assertEquals(inf, kernels().sumOfSquares(n, x, 0), "sumOfSquares with +Inf at " + at);
      x[at] = -inf;
      assertEquals(inf, kernels().sumOfSquares(n, x, 0), "sumOfSquares with -Inf at " + at);
      assertEquals(-inf, kernels().dot(n, x, 0, ones, 0), "dot with -Inf at " + at);
      if (n > 1) {
        x[(at + 1) % n] = inf; // +Inf + -Inf = NaN
        assertTrue(Float.isNaN(kernels().sum(n, x, 0)), "sum of +Inf and -Inf");
      }
      // gemm: NaN in row `at` of A (m = n rows, k = 3) poisons exactly row `at` of C, even with beta = 0.
      float[] a = new float[n * 3];
      Arrays.fill(a, 0.5f);
      a[at * 3 + 1] = nan;
      float[] b = {1, 2, 3, 4, 5, 6}; // 3 x 2
      float[] c = new float[n * 2];
      kernels().gemm(false, false, n, 2, 3, 1, a, 0, 3, b, 0, 2, 0, c, 0, 2);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < 2; j++) {
          // row of A without NaN: 0.5 (1 + 3 + 5) = 4.5 and 0.5 (2 + 4 + 6) = 6
          float want = i == at ? nan : j == 0 ? 4.5f : 6;
          assertEquals(want, c[i * 2 + j], "gemm C[" + i + ", " + j + "] with NaN in A[" + at + ", 1]");
        }
      }
    }
  }

  @Test
  @Tag(WIDTH_INDEPENDENT)
  void addColumnSumsHandComputed() {
    // x = [[1, 2, 3], [4, 5, 6]] stored with ld 4 (one padding element per row, 100); out = [10, 20, 30] + [5, 7, 9].
    float[] x = {1, 2, 3, 100, 4, 5, 6, 100};
    float[] out = {-1, 10, 20, 30, -1};
    kernels().addColumnSums(2, 3, x, 0, 4, out, 1);
    assertTrue(Arrays.equals(new float[] {-1, 15, 27, 39, -1}, out), Arrays.toString(out));
  }

  @ParameterizedTest(name = "cols={0}")
  @MethodSource("dev.rnn4j.kernels.testing.KernelSweeps#sizes")
  void addColumnSumsMatchesExact(int cols) {
    Random rnd = new Random(cols);
    for (int rows : new int[] {0, 1, 3, 17}) {
      int ldx = cols + 2;
      float[] x = array(rnd, GUARD + rows * ldx + GUARD, mixed(8));
      float[] out = guarded(rnd, cols, mixed(8));
      float[] x0 = x.clone();
      float[] out0 = out.clone();
      kernels().addColumnSums(rows, cols, x, GUARD, ldx, out, GUARD);
      Checks.unchanged("addColumnSums: x", x0, x);
      Checks.unchangedOutside("addColumnSums: out", out0, out, GUARD, GUARD + cols);
      for (int j = 0; j < cols; j++) {
        float[] col = new float[rows + 1];
        col[rows] = out0[GUARD + j];
        for (int i = 0; i < rows; i++) {
          col[i] = x0[GUARD + i * ldx + j];
        }
        float[] ones = new float[rows + 1];
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
    float[] x = {3, 3, 3, 3, 1e4f, 1e4f, -1e4f, -1e4f, -1e4f, -1e4f, 1e4f, -1e4f};
    float[] y = new float[4];
    kernels().softmax(1, 4, x, 0, 4, y, 0, 4);
    assertTrue(Arrays.equals(new float[] {0.25f, 0.25f, 0.25f, 0.25f}, y), Arrays.toString(y));
    kernels().softmax(1, 2, x, 4, 2, y, 0, 2);
    assertEquals(0.5f, y[0]);
    assertEquals(0.5f, y[1]);
    kernels().softmax(1, 4, x, 6, 4, y, 0, 4);
    assertTrue(Arrays.equals(new float[] {0.25f, 0.25f, 0.25f, 0.25f}, y), Arrays.toString(y));
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
    assertEquals(-2e4f, y[1]);
  }

  @Test
  void softmaxOfInfinitiesIsNaN() {
    // A row with +Inf gives NaN (Inf - Inf), a row of -Inf gives NaN (0/0), as in PyTorch.
    float inf = Float.POSITIVE_INFINITY;
    float[] x = {inf, 1, -inf, -inf};
    float[] y = new float[2];
    kernels().softmax(1, 2, x, 0, 2, y, 0, 2);
    assertTrue(Float.isNaN(y[0]), Arrays.toString(y));
    kernels().softmax(1, 2, x, 2, 2, y, 0, 2);
    assertTrue(Float.isNaN(y[0]) && Float.isNaN(y[1]), Arrays.toString(y));
    kernels().logSoftmax(1, 2, x, 0, 2, y, 0, 2);
    assertTrue(Float.isNaN(y[0]), Arrays.toString(y));
  }

  @ParameterizedTest(name = "cols={0}")
  @MethodSource("dev.rnn4j.kernels.testing.KernelSweeps#sizes")
  void softmaxAndLogSoftmaxMatchExact(int cols) {
    Random rnd = new Random(cols + 77);
    int rows = 3;
    int ldx = cols + 3;
    for (boolean log : new boolean[] {false, true}) {
      float[] input = array(rnd, GUARD + rows * ldx + GUARD, mixed(6));
      for (int j = 0; j < cols; j++) {
        input[GUARD + ldx + j] += 1e4f; // row 1 is huge and positive
        input[GUARD + 2 * ldx + j] -= 1e4f; // row 2 huge and negative
      }
      // Expected rows from the definition (computed once, used for both the out-of-place and the in-place call).
      var rowsIn = new double[rows][];
      var rowsWant = new double[rows][];
      for (int r = 0; r < rows; r++) {
        rowsIn[r] = Checks.widen(Arrays.copyOfRange(input, GUARD + r * ldx, GUARD + r * ldx + cols));
        rowsWant[r] = log ? Exact.logSoftmax(rowsIn[r], 0, cols) : Exact.softmax(rowsIn[r], 0, cols);
      }
      for (boolean inPlace : new boolean[] {false, true}) {
        int ldy = inPlace ? ldx : cols + 1;
        float[] x = input.clone();
        float[] y = inPlace ? x : array(rnd, GUARD + rows * ldy + GUARD, mixed(1));
        float[] y0 = y.clone();
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
    float[] y = {0.5f, 0.5f};
    float[] dy = {1, 0};
    float[] dx = new float[2];
    kernels().softmaxBackward(1, 2, y, 0, dy, 0, dx, 0);
    assertTrue(Arrays.equals(new float[] {0.25f, -0.25f}, dx), Arrays.toString(dx));
    // logSoftmaxBackward with y = log [1/4, 3/4] would not be exact; use y = [0, -Inf]: exp(y) = [1, 0],
    // dy = [2, 3]: sum = 5, dx = [2 - 5, 3 - 0] = [-3, 3].
    float[] ly = {0, Float.NEGATIVE_INFINITY};
    float[] ldy = {2, 3};
    kernels().logSoftmaxBackward(1, 2, ly, 0, ldy, 0, dx, 0);
    assertTrue(Arrays.equals(new float[] {-3, 3}, dx), Arrays.toString(dx));
  }

  @ParameterizedTest(name = "cols={0}")
  @MethodSource("dev.rnn4j.kernels.testing.KernelSweeps#sizes")
  void softmaxBackwardsMatchExact(int cols) {
    Random rnd = new Random(cols + 99);
    int rows = 2;
    for (boolean log : new boolean[] {false, true}) {
      for (boolean inPlace : new boolean[] {false, true}) {
        float[] y = guarded(rnd, rows * cols, log ? uniform(-12, 0) : uniform(0, 1));
        float[] dy = guarded(rnd, rows * cols, mixed(6));
        float[] y0 = y.clone();
        float[] dy0 = dy.clone();
        float[] dx = inPlace ? dy : guarded(rnd, rows * cols, mixed(1));
        float[] dx0 = dx.clone();
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
        var ones = new double[wy.length];
        Arrays.fill(ones, 1);
        for (int r = 0; r < rows; r++) {
          int o = GUARD + r * cols;
          var s = log ? Exact.dot(wdy, o, ones, 0, cols) : Exact.dot(wdy, o, wy, o, cols);
          var sumAbs = log ? Exact.dotAbs(wdy, o, ones, 0, cols) : Exact.dotAbs(wdy, o, wy, o, cols);
          for (int j = 0; j < cols; j++) {
            var yj = wy[o + j];
            var dyj = wdy[o + j];
            // softmax: y_j (dy_j - s); log: dy_j - exp(y_j) s. s is rounded once (relative 2^-53), exp(y_j) too, and
            // the final expression once more: the float32 evaluation of the expected value is within
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
