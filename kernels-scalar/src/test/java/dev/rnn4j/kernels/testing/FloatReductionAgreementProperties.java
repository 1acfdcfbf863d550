package dev.rnn4j.kernels.testing;

// Generated from DoubleReductionAgreementProperties.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

import static dev.rnn4j.kernels.testing.FloatKernelTestSupport.EB;
import static dev.rnn4j.kernels.testing.FloatKernelTestSupport.MAX_LEN;
import static dev.rnn4j.kernels.testing.FloatKernelTestSupport.SPEC;
import static dev.rnn4j.kernels.testing.FloatKernelTestSupport.array;
import static dev.rnn4j.kernels.testing.FloatKernelTestSupport.offset;
import static dev.rnn4j.kernels.testing.FloatKernelTestSupport.slack;
import static dev.rnn4j.kernels.testing.FloatKernelTestSupport.vectorCase;
import static dev.rnn4j.kernels.testing.FloatKernelTestSupport.wide;
import static dev.rnn4j.kernels.testing.FloatKernelTestSupport.withSpecials;
import static dev.rnn4j.kernels.testing.ErrorBounds.agreement;
import static dev.rnn4j.kernels.testing.TestValues.mixed;
import static dev.rnn4j.kernels.testing.TestValues.size;
import static dev.rnn4j.kernels.testing.TestValues.uniform;

import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.kernels.testing.FloatKernelTestSupport.Copies;
import dev.rnn4j.kernels.testing.FloatKernelTestSupport.VectorCase;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Agreement with the scalar spec of the reductions (sum, max, sumOfSquares, addColumnSums) and of the row-wise
 * softmax and logSoftmax with their backward forms, with their cases and checks. A link of the agreement suite's
 * chain of family classes; implementations subclass {@link FloatKernelAgreementProperties}, which runs every
 * family.
 */
@SuppressWarnings("cast")
public abstract class FloatReductionAgreementProperties extends FloatPointwiseAgreementProperties {

  // ===============================================================================================================
  // Properties
  // ===============================================================================================================

  @Property(tries = 30)
  public void sumAgrees(@ForAll long seed) {
    checkSum(SPEC, candidate(), vectorCase(new Random(seed)));
  }

  @Property(tries = 30)
  public void maxAgrees(@ForAll long seed) {
    checkMax(SPEC, candidate(), maxCase(new Random(seed)));
  }

  @Property(tries = 30)
  public void sumOfSquaresAgrees(@ForAll long seed) {
    checkSumOfSquares(SPEC, candidate(), vectorCase(new Random(seed)));
  }

  @Property(tries = 30)
  public void addColumnSumsAgrees(@ForAll long seed) {
    checkAddColumnSums(SPEC, candidate(), matrixCase(new Random(seed)));
  }

  @Property(tries = 30)
  public void softmaxAgrees(@ForAll long seed) {
    checkSoftmax(SPEC, candidate(), rowsCase(new Random(seed)));
  }

  @Property(tries = 30)
  public void softmaxBackwardAgrees(@ForAll long seed) {
    checkSoftmaxBackward(SPEC, candidate(), rowsBackwardCase(new Random(seed), uniform(0, 1)));
  }

  @Property(tries = 30)
  public void logSoftmaxAgrees(@ForAll long seed) {
    checkLogSoftmax(SPEC, candidate(), rowsCase(new Random(seed)));
  }

  @Property(tries = 30)
  public void logSoftmaxBackwardAgrees(@ForAll long seed) {
    checkLogSoftmaxBackward(SPEC, candidate(), rowsBackwardCase(new Random(seed), uniform(-12, 0)));
  }

  // ===============================================================================================================
  // Cases. Arrays are larger than the ranges the kernel may touch (offsets before, slack after, ld > row length);
  // every element is random, so any write outside the stated range shows up as a changed element. Where two
  // record components are the same array object, the case tests aliasing.
  // ===============================================================================================================

  /** A strided rows x cols matrix and a vector of cols (addColumnSums). */
  public record MatrixCase(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff) {
    @Override
    public String toString() {
      return "(rows=" + rows + ", cols=" + cols + ", xOff=" + xOff + ", ldx=" + ldx + ", outOff=" + outOff + ")";
    }
  }

  /** Row-wise softmax forward arguments; y may be x (same offset and ld). */
  public record RowsCase(int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
    @Override
    public String toString() {
      return "(rows=" + rows + ", cols=" + cols + ", xOff=" + xOff + ", ldx=" + ldx + ", yOff=" + yOff + ", ldy="
          + ldy + ", in place=" + (x == y) + ")";
    }
  }

  /** Row-wise softmax backward arguments (contiguous rows); dx may be dy. */
  public record RowsBackwardCase(int rows, int cols, float[] y, int yOff, float[] dy, int dyOff, float[] dx,
                                 int dxOff) {
    @Override
    public String toString() {
      return "(rows=" + rows + ", cols=" + cols + ", yOff=" + yOff + ", dyOff=" + dyOff + ", dxOff=" + dxOff
          + ", in place=" + (dx == dy) + ")";
    }
  }

  /** A vector for max: mixed values with occasional NaN, +-Inf and +-0. */
  public static VectorCase maxCase(Random rnd) {
    int n = size(rnd, MAX_LEN);
    int xOff = offset(rnd);
    float[] x = array(rnd, xOff + n + slack(rnd), withSpecials(mixed(8)));
    return new VectorCase(n, 0, x, xOff, x, xOff);
  }

  /** A strided matrix and a vector for addColumnSums. */
  public static MatrixCase matrixCase(Random rnd) {
    int rows = size(rnd, 40);
    int cols = size(rnd, 40);
    int ldx = Math.max(1, cols + slack(rnd));
    int xOff = offset(rnd);
    int outOff = offset(rnd);
    return new MatrixCase(rows, cols, array(rnd, xOff + rows * ldx + slack(rnd), mixed(8)), xOff, ldx,
        array(rnd, outOff + cols + slack(rnd), mixed(8)), outOff);
  }

  /** Rows for softmax: mixed values up to about 2^7, one row in four shifted by +-1e4; in place in one of three. */
  public static RowsCase rowsCase(Random rnd) {
    int rows = size(rnd, 12);
    int cols = size(rnd, 40);
    int ldx = Math.max(1, cols + slack(rnd));
    int xOff = offset(rnd);
    float[] x = array(rnd, xOff + rows * ldx + slack(rnd), mixed(6));
    for (int r = 0; r < rows; r++) {
      if (rnd.nextInt(4) == 0) {
        float shift = rnd.nextBoolean() ? 1e4f : -1e4f;
        for (int j = 0; j < cols; j++) {
          x[xOff + r * ldx + j] += shift;
        }
      }
    }
    if (rnd.nextInt(3) == 0) {
      return new RowsCase(rows, cols, x, xOff, ldx, x, xOff, ldx);
    }
    int ldy = Math.max(1, cols + slack(rnd));
    int yOff = offset(rnd);
    return new RowsCase(rows, cols, x, xOff, ldx, array(rnd, yOff + rows * ldy + slack(rnd), mixed(2)), yOff, ldy);
  }

  /** Contiguous rows for the softmax backward forms: y from {@code source}; dx is dy in one case of three. */
  public static RowsBackwardCase rowsBackwardCase(Random rnd, TestValues.Source source) {
    int rows = size(rnd, 12);
    int cols = size(rnd, 40);
    int yOff = offset(rnd);
    int dyOff = offset(rnd);
    float[] y = array(rnd, yOff + rows * cols + slack(rnd), source);
    float[] dy = array(rnd, dyOff + rows * cols + slack(rnd), mixed(6));
    if (rnd.nextInt(3) == 0) {
      return new RowsBackwardCase(rows, cols, y, yOff, dy, dyOff, dy, dyOff);
    }
    int dxOff = offset(rnd);
    return new RowsBackwardCase(rows, cols, y, yOff, dy, dyOff, array(rnd, dxOff + rows * cols + slack(rnd),
        mixed(2)), dxOff);
  }

  // ===============================================================================================================
  // Checks
  // ===============================================================================================================

  /** Within gamma(n) sum |x_i|, twice. */
  public static void checkSum(FloatKernels reference, FloatKernels candidate, VectorCase v) {
    String op = "sum" + v;
    float[] x = v.x().clone();
    float want = reference.sum(v.n(), v.x(), v.xOff());
    float got = candidate.sum(v.n(), x, v.xOff());
    Checks.unchanged(op, v.x(), x);
    var abs = wide(0);
    for (int i = 0; i < v.n(); i++) {
      abs += Math.abs(wide(v.x()[v.xOff() + i]));
    }
    Checks.close(op, want, got, agreement(EB.running(v.n(), abs)));
  }

  /** Exact, NaN if any element is NaN, -Inf for n = 0. */
  public static void checkMax(FloatKernels reference, FloatKernels candidate, VectorCase v) {
    String op = "max" + v;
    float[] x = v.x().clone();
    float want = reference.max(v.n(), v.x(), v.xOff());
    float got = candidate.max(v.n(), x, v.xOff());
    Checks.unchanged(op, v.x(), x);
    Checks.close(op, want, got, 0);
  }

  /** Within gamma(n) sum x_i^2, twice. */
  public static void checkSumOfSquares(FloatKernels reference, FloatKernels candidate, VectorCase v) {
    String op = "sumOfSquares" + v;
    float[] x = v.x().clone();
    float want = reference.sumOfSquares(v.n(), v.x(), v.xOff());
    float got = candidate.sumOfSquares(v.n(), x, v.xOff());
    Checks.unchanged(op, v.x(), x);
    var abs = wide(0);
    for (int i = 0; i < v.n(); i++) {
      abs += wide(v.x()[v.xOff() + i]) * v.x()[v.xOff() + i];
    }
    Checks.close(op, want, got, agreement(EB.running(v.n(), abs)));
  }

  /** out_j within gamma(rows + 1) (|out_j| + sum_i |x_ij|), twice. */
  public static void checkAddColumnSums(FloatKernels reference, FloatKernels candidate, MatrixCase m) {
    String op = "addColumnSums" + m;
    float[] wantOut = m.out().clone();
    float[] x = m.x().clone();
    float[] gotOut = m.out().clone();
    reference.addColumnSums(m.rows(), m.cols(), m.x(), m.xOff(), m.ldx(), wantOut, m.outOff());
    candidate.addColumnSums(m.rows(), m.cols(), x, m.xOff(), m.ldx(), gotOut, m.outOff());
    Checks.unchanged(op + ": x", m.x(), x);
    Checks.unchangedOutside(op + ": out", m.out(), gotOut, m.outOff(), m.outOff() + m.cols());
    Checks.closeRange(op, wantOut, gotOut, m.outOff(), m.cols(), j -> {
      var abs = Math.abs(wide(m.out()[m.outOff() + j]));
      for (int i = 0; i < m.rows(); i++) {
        abs += Math.abs(wide(m.x()[m.xOff() + i * m.ldx() + j]));
      }
      return agreement(EB.running(m.rows() + 1, abs));
    });
  }

  /** Per element within {@link ErrorBounds#softmax}, twice; rows of +-1e4 included. */
  public static void checkSoftmax(FloatKernels reference, FloatKernels candidate, RowsCase s) {
    checkRows("softmax", reference, candidate, s, false);
  }

  /** Per element within {@link ErrorBounds#logSoftmax}, twice. */
  public static void checkLogSoftmax(FloatKernels reference, FloatKernels candidate, RowsCase s) {
    checkRows("logSoftmax", reference, candidate, s, true);
  }

  private static void checkRows(String name, FloatKernels reference, FloatKernels candidate, RowsCase s,
                                boolean log) {
    String op = name + s;
    Copies r = new Copies();
    Copies c = new Copies();
    if (log) {
      reference.logSoftmax(s.rows(), s.cols(), r.of(s.x()), s.xOff(), s.ldx(), r.of(s.y()), s.yOff(), s.ldy());
      candidate.logSoftmax(s.rows(), s.cols(), c.of(s.x()), s.xOff(), s.ldx(), c.of(s.y()), s.yOff(), s.ldy());
    } else {
      reference.softmax(s.rows(), s.cols(), r.of(s.x()), s.xOff(), s.ldx(), r.of(s.y()), s.yOff(), s.ldy());
      candidate.softmax(s.rows(), s.cols(), c.of(s.x()), s.xOff(), s.ldx(), c.of(s.y()), s.yOff(), s.ldy());
    }
    if (s.x() != s.y()) {
      Checks.unchanged(op + ": x", s.x(), c.of(s.x()));
    }
    Checks.unchangedOutsideMatrix(op + ": y", s.y(), c.of(s.y()), s.rows(), s.cols(), s.yOff(), s.ldy());
    float[] want = r.of(s.y());
    float[] got = c.of(s.y());
    for (int row = 0; row < s.rows(); row++) {
      int xr = s.xOff() + row * s.ldx();
      int yr = s.yOff() + row * s.ldy();
      var max = wide(s.x()[xr]);
      for (int j = 1; j < s.cols(); j++) {
        max = Math.max(max, s.x()[xr + j]);
      }
      var maxArgument = wide(0);
      var sum = wide(0);
      for (int j = 0; j < s.cols(); j++) {
        maxArgument = Math.max(maxArgument, Math.abs(s.x()[xr + j] - max));
        sum += Math.exp(s.x()[xr + j] - max);
      }
      var logS = Math.log(sum);
      for (int j = 0; j < s.cols(); j++) {
        var argument = Math.abs(s.x()[xr + j] - max);
        var bound = log
            ? EB.logSoftmax(s.cols(), want[yr + j], argument, maxArgument, max + logS, logS)
            : EB.softmax(s.cols(), want[yr + j], argument, maxArgument);
        Checks.close(op + " [" + row + ", " + j + "]", want[yr + j], got[yr + j], agreement(bound));
      }
    }
  }

  /** Per element within {@link ErrorBounds#softmaxBackward}, twice. */
  public static void checkSoftmaxBackward(FloatKernels reference, FloatKernels candidate, RowsBackwardCase s) {
    checkRowsBackward("softmaxBackward", reference, candidate, s, false);
  }

  /** Per element within {@link ErrorBounds#logSoftmaxBackward}, twice. */
  public static void checkLogSoftmaxBackward(FloatKernels reference, FloatKernels candidate, RowsBackwardCase s) {
    checkRowsBackward("logSoftmaxBackward", reference, candidate, s, true);
  }

  private static void checkRowsBackward(String name, FloatKernels reference, FloatKernels candidate,
                                        RowsBackwardCase s, boolean log) {
    String op = name + s;
    Copies r = new Copies();
    Copies c = new Copies();
    if (log) {
      reference.logSoftmaxBackward(s.rows(), s.cols(), r.of(s.y()), s.yOff(), r.of(s.dy()), s.dyOff(), r.of(s.dx()),
          s.dxOff());
      candidate.logSoftmaxBackward(s.rows(), s.cols(), c.of(s.y()), s.yOff(), c.of(s.dy()), s.dyOff(), c.of(s.dx()),
          s.dxOff());
    } else {
      reference.softmaxBackward(s.rows(), s.cols(), r.of(s.y()), s.yOff(), r.of(s.dy()), s.dyOff(), r.of(s.dx()),
          s.dxOff());
      candidate.softmaxBackward(s.rows(), s.cols(), c.of(s.y()), s.yOff(), c.of(s.dy()), s.dyOff(), c.of(s.dx()),
          s.dxOff());
    }
    Checks.unchanged(op + ": y", s.y(), c.of(s.y()));
    if (s.dx() != s.dy()) {
      Checks.unchanged(op + ": dy", s.dy(), c.of(s.dy()));
    }
    int len = s.rows() * s.cols();
    Checks.unchangedOutside(op + ": dx", s.dx(), c.of(s.dx()), s.dxOff(), s.dxOff() + len);
    float[] want = r.of(s.dx());
    float[] got = c.of(s.dx());
    for (int row = 0; row < s.rows(); row++) {
      int o = row * s.cols();
      var sumAbs = wide(0);
      var sum = wide(0);
      for (int j = 0; j < s.cols(); j++) {
        float dy = s.dy()[s.dyOff() + o + j];
        float y = s.y()[s.yOff() + o + j];
        sumAbs += log ? Math.abs(wide(dy)) : Math.abs(wide(dy) * y);
        sum += dy;
      }
      for (int j = 0; j < s.cols(); j++) {
        float dy = s.dy()[s.dyOff() + o + j];
        float y = s.y()[s.yOff() + o + j];
        var bound = log
            ? EB.logSoftmaxBackward(s.cols(), Math.exp(y), dy, sum, sumAbs)
            : EB.softmaxBackward(s.cols(), y, dy, sumAbs);
        int at = s.dxOff() + o + j;
        Checks.close(op + " [" + row + ", " + j + "]", want[at], got[at], agreement(bound));
      }
    }
  }
}
