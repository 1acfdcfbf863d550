package dev.rnn4j.kernels.simd;

// rnn4j:generate-float

import static dev.rnn4j.kernels.simd.PanamaDoubleSpecies.FOLDS;
import static dev.rnn4j.kernels.simd.PanamaDoubleSpecies.LANES;
import static dev.rnn4j.kernels.simd.PanamaDoubleSpecies.SPECIES;

import java.util.Arrays;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;

/**
 * The float64 elementwise kernels, the maps that need no transcendental function (relu and the backward forms),
 * the reductions and the row-wise softmax and log-softmax. exp, log, sigmoid and tanh are in
 * {@link PanamaDoubleMath}, which the softmax kernels call for their exponentials.
 */
// Casts around Math calls are redundant in the 64-bit source; the generated 32-bit twin needs them.
@SuppressWarnings("cast")
final class PanamaDoubleMaps {

  /**
   * Rows per block of addColumnSums (see there). Measured on the float32 bias gradients of the LSTM train
   * configuration (3200 x 1024): 8 rows 0.21-0.41 ms, 16 rows 0.35-0.50, 32 rows 0.40-0.58, against 0.48-0.86 ms
   * walking each strip down all rows.
   */
  static final int SUM_ROWS = 8;

  private PanamaDoubleMaps() {}

  static void add(int n, double[] a, int aOff, double[] b, int bOff, double[] out, int outOff) {
    int bound = SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += LANES) {
      DoubleVector.fromArray(SPECIES, a, aOff + i).add(DoubleVector.fromArray(SPECIES, b, bOff + i))
          .intoArray(out, outOff + i);
    }
    for (; i < n; i++) {
      out[outOff + i] = a[aOff + i] + b[bOff + i];
    }
  }

  static void sub(int n, double[] a, int aOff, double[] b, int bOff, double[] out, int outOff) {
    int bound = SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += LANES) {
      DoubleVector.fromArray(SPECIES, a, aOff + i).sub(DoubleVector.fromArray(SPECIES, b, bOff + i))
          .intoArray(out, outOff + i);
    }
    for (; i < n; i++) {
      out[outOff + i] = a[aOff + i] - b[bOff + i];
    }
  }

  static void mul(int n, double[] a, int aOff, double[] b, int bOff, double[] out, int outOff) {
    int bound = SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += LANES) {
      DoubleVector.fromArray(SPECIES, a, aOff + i).mul(DoubleVector.fromArray(SPECIES, b, bOff + i))
          .intoArray(out, outOff + i);
    }
    for (; i < n; i++) {
      out[outOff + i] = a[aOff + i] * b[bOff + i];
    }
  }

  static void div(int n, double[] a, int aOff, double[] b, int bOff, double[] out, int outOff) {
    int bound = SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += LANES) {
      DoubleVector.fromArray(SPECIES, a, aOff + i).div(DoubleVector.fromArray(SPECIES, b, bOff + i))
          .intoArray(out, outOff + i);
    }
    for (; i < n; i++) {
      out[outOff + i] = a[aOff + i] / b[bOff + i];
    }
  }

  static void scale(int n, double alpha, double[] x, int xOff, double[] out, int outOff) {
    int bound = SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += LANES) {
      DoubleVector.fromArray(SPECIES, x, xOff + i).mul(alpha).intoArray(out, outOff + i);
    }
    for (; i < n; i++) {
      out[outOff + i] = alpha * x[xOff + i];
    }
  }

  static void addScalar(int n, double alpha, double[] x, int xOff, double[] out, int outOff) {
    int bound = SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += LANES) {
      DoubleVector.fromArray(SPECIES, x, xOff + i).add(alpha).intoArray(out, outOff + i);
    }
    for (; i < n; i++) {
      out[outOff + i] = x[xOff + i] + alpha;
    }
  }

  static void fill(int n, double value, double[] out, int outOff) {
    DoubleVector v = DoubleVector.broadcast(SPECIES, value);
    int bound = SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += LANES) {
      v.intoArray(out, outOff + i);
    }
    for (; i < n; i++) {
      out[outOff + i] = value;
    }
  }

  static void copy(int n, double[] x, int xOff, double[] out, int outOff) {
    // The JVM's arraycopy is already vectorised and handles overlap (memmove semantics) correctly.
    System.arraycopy(x, xOff, out, outOff, n);
  }

  static void sigmoidBackward(int n, double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff) {
    int bound = SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += LANES) {
      DoubleVector s = DoubleVector.fromArray(SPECIES, y, yOff + i);
      DoubleVector.fromArray(SPECIES, dy, dyOff + i).mul(s).mul(s.neg().add(1.0)).intoArray(dx, dxOff + i);
    }
    for (; i < n; i++) {
      double s = y[yOff + i];
      dx[dxOff + i] = dy[dyOff + i] * s * (1 - s);
    }
  }


  static void tanhBackward(int n, double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff) {
    int bound = SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += LANES) {
      DoubleVector t = DoubleVector.fromArray(SPECIES, y, yOff + i);
      DoubleVector.fromArray(SPECIES, dy, dyOff + i).mul(t.mul(t).neg().add(1.0)).intoArray(dx, dxOff + i);
    }
    for (; i < n; i++) {
      double t = y[yOff + i];
      dx[dxOff + i] = dy[dyOff + i] * (1 - t * t);
    }
  }


  static void relu(int n, double[] x, int xOff, double[] y, int yOff) {
    int bound = SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += LANES) {
      // Vector MAX follows Math.max: NaN propagates, and max(-0.0, 0.0) is +0.0 as in the spec.
      DoubleVector.fromArray(SPECIES, x, xOff + i).max(0.0).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      double v = x[xOff + i];
      y[yOff + i] = v > 0 || v != v ? v : 0;
    }
  }


  static void reluBackward(int n, double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff) {
    int bound = SPECIES.loopBound(n);
    DoubleVector zero = DoubleVector.zero(SPECIES);
    int i = 0;
    for (; i < bound; i += LANES) {
      VectorMask<Double> pos = DoubleVector.fromArray(SPECIES, y, yOff + i).compare(VectorOperators.GT, 0.0);
      zero.blend(DoubleVector.fromArray(SPECIES, dy, dyOff + i), pos).intoArray(dx, dxOff + i);
    }
    for (; i < n; i++) {
      dx[dxOff + i] = y[yOff + i] > 0 ? dy[dyOff + i] : 0;
    }
  }


  static void expBackward(int n, double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff) {
    mul(n, dy, dyOff, y, yOff, dx, dxOff);
  }


  static void logBackward(int n, double[] x, int xOff, double[] dy, int dyOff, double[] dx, int dxOff) {
    div(n, dy, dyOff, x, xOff, dx, dxOff);
  }


  /**
   * Four independent accumulators: an add has a latency of 3-4 cycles and the loop issues about one load and one
   * add per cycle, so four chains keep the adder busy.
   */
  static double sum(int n, double[] x, int xOff) {
    int i = 0;
    int bound4 = n - 4 * LANES;
    DoubleVector s0 = DoubleVector.zero(SPECIES);
    DoubleVector s1 = s0;
    DoubleVector s2 = s0;
    DoubleVector s3 = s0;
    for (; i <= bound4; i += 4 * LANES) {
      s0 = s0.add(DoubleVector.fromArray(SPECIES, x, xOff + i));
      s1 = s1.add(DoubleVector.fromArray(SPECIES, x, xOff + i + LANES));
      s2 = s2.add(DoubleVector.fromArray(SPECIES, x, xOff + i + 2 * LANES));
      s3 = s3.add(DoubleVector.fromArray(SPECIES, x, xOff + i + 3 * LANES));
    }
    int bound = SPECIES.loopBound(n);
    for (; i < bound; i += LANES) {
      s0 = s0.add(DoubleVector.fromArray(SPECIES, x, xOff + i));
    }
    DoubleVector t = s0.add(s1).add(s2.add(s3));
    for (VectorShuffle<Double> fold : FOLDS) {
      t = t.add(t.rearrange(fold));
    }
    double acc = t.lane(0);
    for (; i < n; i++) {
      acc += x[xOff + i];
    }
    return acc;
  }


  /**
   * Two accumulators: max is exact, so reassociation changes nothing, and two chains already cover its latency
   * at one load per cycle. Vector MAX follows {@link Math#max}, so NaN propagates.
   */
  static double max(int n, double[] x, int xOff) {
    int i = 0;
    double m = Double.NEGATIVE_INFINITY;
    int bound2 = n - 2 * LANES;
    if (bound2 >= 0) {
      DoubleVector m0 = DoubleVector.broadcast(SPECIES, Double.NEGATIVE_INFINITY);
      DoubleVector m1 = m0;
      for (; i <= bound2; i += 2 * LANES) {
        m0 = m0.max(DoubleVector.fromArray(SPECIES, x, xOff + i));
        m1 = m1.max(DoubleVector.fromArray(SPECIES, x, xOff + i + LANES));
      }
      m = m0.max(m1).reduceLanes(VectorOperators.MAX);
    }
    for (; i < n; i++) {
      m = Math.max(m, x[xOff + i]);
    }
    return m;
  }


  /** {@inheritDoc} Four accumulators, for the reason given at {@link #sum}. */
  static double sumOfSquares(int n, double[] x, int xOff) {
    int i = 0;
    int bound4 = n - 4 * LANES;
    DoubleVector s0 = DoubleVector.zero(SPECIES);
    DoubleVector s1 = s0;
    DoubleVector s2 = s0;
    DoubleVector s3 = s0;
    for (; i <= bound4; i += 4 * LANES) {
      DoubleVector v0 = DoubleVector.fromArray(SPECIES, x, xOff + i);
      DoubleVector v1 = DoubleVector.fromArray(SPECIES, x, xOff + i + LANES);
      DoubleVector v2 = DoubleVector.fromArray(SPECIES, x, xOff + i + 2 * LANES);
      DoubleVector v3 = DoubleVector.fromArray(SPECIES, x, xOff + i + 3 * LANES);
      s0 = v0.fma(v0, s0);
      s1 = v1.fma(v1, s1);
      s2 = v2.fma(v2, s2);
      s3 = v3.fma(v3, s3);
    }
    int bound = SPECIES.loopBound(n);
    for (; i < bound; i += LANES) {
      DoubleVector v = DoubleVector.fromArray(SPECIES, x, xOff + i);
      s0 = v.fma(v, s0);
    }
    DoubleVector t = s0.add(s1).add(s2.add(s3));
    for (VectorShuffle<Double> fold : FOLDS) {
      t = t.add(t.rearrange(fold));
    }
    double acc = t.lane(0);
    for (; i < n; i++) {
      acc += x[xOff + i] * x[xOff + i];
    }
    return acc;
  }


  /**
   * The columns that fill whole strips of four vectors are summed a block of {@value #SUM_ROWS} rows at a time:
   * for each strip, its four running sums come from scratch, take the block's rows, and go back. The sums thus walk
   * x a few consecutive rows at a time, across their whole width, instead of one strip down all rows: for the bias
   * gradients of a layer (thousands of rows, each several KiB apart) that visits each memory page once, not once per
   * strip, and runs about twice as fast. Each column is still summed from zero in row order, as in the spec, and
   * added to out once. The remaining columns take one vector, then one column, down all rows.
   */
  static void addColumnSums(PanamaDoubleScratch scratch, int rows, int cols, double[] x, int xOff, int ldx,
                            double[] out, int outOff) {
    int strip = 4 * LANES;
    int stripped = cols / strip * strip;
    if (stripped > 0) {
      double[] sums = scratch.get().sums(stripped);
      Arrays.fill(sums, 0, stripped, 0.0);
      for (int i0 = 0; i0 < rows; i0 += SUM_ROWS) {
        int i1 = Math.min(rows, i0 + SUM_ROWS);
        for (int j = 0; j < stripped; j += strip) {
          DoubleVector s0 = DoubleVector.fromArray(SPECIES, sums, j);
          DoubleVector s1 = DoubleVector.fromArray(SPECIES, sums, j + LANES);
          DoubleVector s2 = DoubleVector.fromArray(SPECIES, sums, j + 2 * LANES);
          DoubleVector s3 = DoubleVector.fromArray(SPECIES, sums, j + 3 * LANES);
          for (int i = i0; i < i1; i++) {
            int r = xOff + i * ldx + j;
            s0 = s0.add(DoubleVector.fromArray(SPECIES, x, r));
            s1 = s1.add(DoubleVector.fromArray(SPECIES, x, r + LANES));
            s2 = s2.add(DoubleVector.fromArray(SPECIES, x, r + 2 * LANES));
            s3 = s3.add(DoubleVector.fromArray(SPECIES, x, r + 3 * LANES));
          }
          s0.intoArray(sums, j);
          s1.intoArray(sums, j + LANES);
          s2.intoArray(sums, j + 2 * LANES);
          s3.intoArray(sums, j + 3 * LANES);
        }
      }
      for (int j = 0; j < stripped; j += LANES) {
        int o = outOff + j;
        DoubleVector.fromArray(SPECIES, out, o).add(DoubleVector.fromArray(SPECIES, sums, j)).intoArray(out, o);
      }
    }
    int j = stripped;
    for (; j + LANES <= cols; j += LANES) {
      DoubleVector s = DoubleVector.zero(SPECIES);
      for (int i = 0; i < rows; i++) {
        s = s.add(DoubleVector.fromArray(SPECIES, x, xOff + i * ldx + j));
      }
      DoubleVector.fromArray(SPECIES, out, outOff + j).add(s).intoArray(out, outOff + j);
    }
    for (; j < cols; j++) {
      double acc = 0;
      for (int i = 0; i < rows; i++) {
        acc += x[xOff + i * ldx + j];
      }
      out[outOff + j] += acc;
    }
  }


  static void softmax(int rows, int cols, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy) {
    int bound = SPECIES.loopBound(cols);
    for (int r = 0; r < rows; r++) {
      int xr = xOff + r * ldx;
      int yr = yOff + r * ldy;
      double m = max(cols, x, xr);
      double s = PanamaDoubleMath.expShifted(cols, x, xr, m, y, yr);
      DoubleVector dv = DoubleVector.broadcast(SPECIES, s);
      int j = 0;
      for (; j < bound; j += LANES) {
        DoubleVector.fromArray(SPECIES, y, yr + j).div(dv).intoArray(y, yr + j);
      }
      for (; j < cols; j++) {
        y[yr + j] /= s;
      }
    }
  }

  static void softmaxBackward(int rows, int cols, double[] y, int yOff, double[] dy, int dyOff,
                              double[] dx, int dxOff) {
    int bound = SPECIES.loopBound(cols);
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      double s = PanamaDoubleBlas.dot(cols, dy, dyOff + o, y, yOff + o);
      int j = 0;
      for (; j < bound; j += LANES) {
        DoubleVector yv = DoubleVector.fromArray(SPECIES, y, yOff + o + j);
        yv.mul(DoubleVector.fromArray(SPECIES, dy, dyOff + o + j).sub(s)).intoArray(dx, dxOff + o + j);
      }
      for (; j < cols; j++) {
        dx[dxOff + o + j] = y[yOff + o + j] * (dy[dyOff + o + j] - s);
      }
    }
  }

  /**
   * The exponentials of a row go to a per-thread scratch row (y may be the same range as x, so it cannot hold
   * them) and only their sum is kept.
   */
  static void logSoftmax(PanamaDoubleScratch scratch, int rows, int cols, double[] x, int xOff, int ldx, double[] y,
                         int yOff, int ldy) {
    int bound = SPECIES.loopBound(cols);
    double[] e = scratch.get().vec(cols);
    for (int r = 0; r < rows; r++) {
      int xr = xOff + r * ldx;
      int yr = yOff + r * ldy;
      double m = max(cols, x, xr);
      double s = PanamaDoubleMath.expShifted(cols, x, xr, m, e, 0);
      double logSum = m + (double) Math.log(s);
      int j = 0;
      for (; j < bound; j += LANES) {
        DoubleVector.fromArray(SPECIES, x, xr + j).sub(logSum).intoArray(y, yr + j);
      }
      for (; j < cols; j++) {
        y[yr + j] = x[xr + j] - logSum;
      }
    }
  }

  /**
   * exp(y) of a row goes to a per-thread scratch row first (dx may be the same range as dy).
   */
  static void logSoftmaxBackward(PanamaDoubleScratch scratch, int rows, int cols, double[] y, int yOff, double[] dy,
                                 int dyOff, double[] dx, int dxOff) {
    int bound = SPECIES.loopBound(cols);
    double[] e = scratch.get().vec(cols);
    for (int r = 0; r < rows; r++) {
      int o = r * cols;
      double s = sum(cols, dy, dyOff + o);
      PanamaDoubleMath.expShifted(cols, y, yOff + o, 0.0, e, 0);
      int j = 0;
      for (; j < bound; j += LANES) {
        DoubleVector ev = DoubleVector.fromArray(SPECIES, e, j);
        DoubleVector.fromArray(SPECIES, dy, dyOff + o + j).sub(ev.mul(s)).intoArray(dx, dxOff + o + j);
      }
      for (; j < cols; j++) {
        dx[dxOff + o + j] = dy[dyOff + o + j] - e[j] * s;
      }
    }
  }

}
