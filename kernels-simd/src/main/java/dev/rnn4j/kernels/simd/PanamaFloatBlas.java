package dev.rnn4j.kernels.simd;

// Generated from PanamaDoubleBlas.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

import static dev.rnn4j.kernels.simd.PanamaFloatSpecies.FOLDS;
import static dev.rnn4j.kernels.simd.PanamaFloatSpecies.LANES;
import static dev.rnn4j.kernels.simd.PanamaFloatSpecies.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;

/**
 * The float32 matrix-vector and vector kernels of the contract's BLAS-like group: gemv, axpy, dot and scal (gemm and
 * its packed forms are in {@link PanamaFloatGemm}). Sums use several accumulators and fused multiply-adds, and add
 * the lanes of an accumulator in the fixed order of {@link PanamaFloatSpecies#FOLDS}.
 */
final class PanamaFloatBlas {

  // dot4 sums the lanes of four accumulators jointly (see there), with these constants. Each is a static final
  // field rather than an element of FOLDS: C2 then treats the shuffle as a constant (an array element is loaded and
  // checked on every use), which measurably shortens gemv's many short reductions. Unused below four lanes.

  /** Rotations by 2 and 1 lanes: the last two folds of FOLDS. */
  private static final VectorShuffle<Float> FOLD_2 = VectorShuffle.iota(SPECIES, Math.min(2, LANES - 1), 1, true);
  private static final VectorShuffle<Float> FOLD_1 = VectorShuffle.iota(SPECIES, Math.min(1, LANES - 1), 1, true);
  /** Lanes [LANES/2, LANES). */
  private static final VectorMask<Float> UPPER_HALF = laneMask(1);
  /** Lanes whose index modulo LANES/2 is at least LANES/4. */
  private static final VectorMask<Float> UPPER_QUARTERS = laneMask(2);
  /** Move lane {@code l + LANES/2}, {@code l + LANES/4} and {@code l - LANES/4} (mod LANES) to lane l. */
  private static final VectorShuffle<Float> ROTATE_HALF = VectorShuffle.iota(SPECIES, LANES / 2, 1, true);
  private static final VectorShuffle<Float> ROTATE_QUARTER = VectorShuffle.iota(SPECIES, LANES / 4, 1, true);
  private static final VectorShuffle<Float> ROTATE_BACK_QUARTER =
      VectorShuffle.iota(SPECIES, LANES - LANES / 4, 1, true);

  /** The lanes l with bit {@code log2(LANES) - level} of l set: level 1 the upper half, level 2 upper quarters. */
  private static VectorMask<Float> laneMask(int level) {
    boolean[] set = new boolean[LANES];
    int bit = LANES >> level;
    for (int l = 0; l < LANES; l++) {
      set[l] = bit > 0 && (l & bit) != 0;
    }
    return VectorMask.fromArray(SPECIES, set, 0);
  }

  private PanamaFloatBlas() {}

  /**
   * Untransposed: one dot product per row of A, four rows at a time so that each load of x serves four FMAs.
   * Transposed: rows of A scaled by x_i are accumulated into a per-thread scratch row, four rows per pass.
   */
  static void gemv(PanamaFloatScratch scratch, boolean trans, int m, int n,
                   float alpha, float[] a, int aOff, int lda,
                   float[] x, int xOff,
                   float beta, float[] y, int yOff) {
    if (!trans) {
      int i = m / 4 * 4;
      dot4(i, n, a, aOff, lda, x, xOff, alpha, beta, y, yOff);
      for (; i < m; i++) {
        float d = dot(n, a, aOff + i * lda, x, xOff);
        y[yOff + i] = beta == 0 ? alpha * d : alpha * d + beta * y[yOff + i];
      }
      return;
    }
    if (n == 0) {
      return;
    }
    float[] acc = scratch.get().vec(n);
    PanamaFloatMaps.fill(n, 0.0f, acc, 0);
    int bound = SPECIES.loopBound(n);
    int i = 0;
    for (; i + 4 <= m; i += 4) {
      int r0 = aOff + i * lda;
      int r1 = r0 + lda;
      int r2 = r1 + lda;
      int r3 = r2 + lda;
      float x0 = x[xOff + i];
      float x1 = x[xOff + i + 1];
      float x2 = x[xOff + i + 2];
      float x3 = x[xOff + i + 3];
      FloatVector xv0 = FloatVector.broadcast(SPECIES, x0);
      FloatVector xv1 = FloatVector.broadcast(SPECIES, x1);
      FloatVector xv2 = FloatVector.broadcast(SPECIES, x2);
      FloatVector xv3 = FloatVector.broadcast(SPECIES, x3);
      int j = 0;
      for (; j < bound; j += LANES) {
        FloatVector v = FloatVector.fromArray(SPECIES, acc, j);
        v = FloatVector.fromArray(SPECIES, a, r0 + j).fma(xv0, v);
        v = FloatVector.fromArray(SPECIES, a, r1 + j).fma(xv1, v);
        v = FloatVector.fromArray(SPECIES, a, r2 + j).fma(xv2, v);
        v = FloatVector.fromArray(SPECIES, a, r3 + j).fma(xv3, v);
        v.intoArray(acc, j);
      }
      for (; j < n; j++) {
        acc[j] += a[r0 + j] * x0 + a[r1 + j] * x1 + a[r2 + j] * x2 + a[r3 + j] * x3;
      }
    }
    for (; i < m; i++) {
      axpy(n, x[xOff + i], a, aOff + i * lda, acc, 0);
    }
    writeScaled(n, alpha, acc, 0, beta, y, yOff);
  }


  /**
   * The dot products of the first {@code rows} (a multiple of four) rows of A with x, four rows at a time, written as
   * alpha * d + beta * y. The loop over the row groups is here rather than in gemv so that C2 loads the constant
   * shuffles and masks of the lane sums once per call, not once per four rows.
   */
  private static void dot4(int rows, int n, float[] a, int aOff, int lda, float[] x, int xOff, float alpha,
                           float beta, float[] y, int yOff) {
    for (int i = 0; i < rows; i += 4) {
      int r0 = aOff + i * lda;
      int yi = yOff + i;
      int r1 = r0 + lda;
      int r2 = r1 + lda;
      int r3 = r2 + lda;
      FloatVector s0 = FloatVector.zero(SPECIES);
      FloatVector s1 = s0;
      FloatVector s2 = s0;
      FloatVector s3 = s0;
      int bound = SPECIES.loopBound(n);
      int j = 0;
      for (; j < bound; j += LANES) {
        FloatVector xv = FloatVector.fromArray(SPECIES, x, xOff + j);
        s0 = FloatVector.fromArray(SPECIES, a, r0 + j).fma(xv, s0);
        s1 = FloatVector.fromArray(SPECIES, a, r1 + j).fma(xv, s1);
        s2 = FloatVector.fromArray(SPECIES, a, r2 + j).fma(xv, s2);
        s3 = FloatVector.fromArray(SPECIES, a, r3 + j).fma(xv, s3);
      }
      float d0;
      float d1;
      float d2;
      float d3;
      if (LANES >= 4) {
        // The four lane sums together, in a fixed order (see FOLDS): s0 | s1 and s2 | s3 folded into halves of
        // one vector each, those two into quarters of one vector (s0, s2, s1, s3), then each quarter on its own.
        // With short rows (n = 64 or 128 in a streaming step) the lane sums are a large part of the work, and this
        // takes about half the operations of four separate folds.
        int h = LANES / 2;
        int q = LANES / 4;
        FloatVector u01 = s0.blend(s1, UPPER_HALF).add(s1.blend(s0, UPPER_HALF).rearrange(ROTATE_HALF));
        FloatVector u23 = s2.blend(s3, UPPER_HALF).add(s3.blend(s2, UPPER_HALF).rearrange(ROTATE_HALF));
        FloatVector w = u01.blend(u23, UPPER_QUARTERS)
            .add(u01.rearrange(ROTATE_QUARTER).blend(u23.rearrange(ROTATE_BACK_QUARTER), UPPER_QUARTERS));
        if (LANES >= 32) {
          for (int f = 2; f < FOLDS.length - 2; f++) {
            w = w.add(w.rearrange(FOLDS[f]));
          }
        }
        if (LANES >= 16) {
          w = w.add(w.rearrange(FOLD_2));
        }
        if (LANES >= 8) {
          w = w.add(w.rearrange(FOLD_1));
        }
        d0 = w.lane(0);
        d2 = w.lane(q);
        d1 = w.lane(h);
        d3 = w.lane(h + q);
      } else {
        for (VectorShuffle<Float> fold : FOLDS) {
          s0 = s0.add(s0.rearrange(fold));
          s1 = s1.add(s1.rearrange(fold));
          s2 = s2.add(s2.rearrange(fold));
          s3 = s3.add(s3.rearrange(fold));
        }
        d0 = s0.lane(0);
        d1 = s1.lane(0);
        d2 = s2.lane(0);
        d3 = s3.lane(0);
      }
      for (; j < n; j++) {
        float xj = x[xOff + j];
        d0 += a[r0 + j] * xj;
        d1 += a[r1 + j] * xj;
        d2 += a[r2 + j] * xj;
        d3 += a[r3 + j] * xj;
      }
      if (beta == 0) {
        y[yi] = alpha * d0;
        y[yi + 1] = alpha * d1;
        y[yi + 2] = alpha * d2;
        y[yi + 3] = alpha * d3;
      } else {
        y[yi] = alpha * d0 + beta * y[yi];
        y[yi + 1] = alpha * d1 + beta * y[yi + 1];
        y[yi + 2] = alpha * d2 + beta * y[yi + 2];
        y[yi + 3] = alpha * d3 + beta * y[yi + 3];
      }
    }
  }


  /** {@code y = alpha * x + beta * y}, y not read when beta == 0. */
  private static void writeScaled(int n, float alpha, float[] x, int xOff, float beta, float[] y, int yOff) {
    int bound = SPECIES.loopBound(n);
    int i = 0;
    if (beta == 0) {
      for (; i < bound; i += LANES) {
        FloatVector.fromArray(SPECIES, x, xOff + i).mul(alpha).intoArray(y, yOff + i);
      }
      for (; i < n; i++) {
        y[yOff + i] = alpha * x[xOff + i];
      }
    } else {
      for (; i < bound; i += LANES) {
        FloatVector ax = FloatVector.fromArray(SPECIES, x, xOff + i).mul(alpha);
        ax.add(FloatVector.fromArray(SPECIES, y, yOff + i).mul(beta)).intoArray(y, yOff + i);
      }
      for (; i < n; i++) {
        y[yOff + i] = alpha * x[xOff + i] + beta * y[yOff + i];
      }
    }
  }

  static void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
    FloatVector av = FloatVector.broadcast(SPECIES, alpha);
    int bound = SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += LANES) {
      FloatVector yv = FloatVector.fromArray(SPECIES, y, yOff + i);
      FloatVector.fromArray(SPECIES, x, xOff + i).fma(av, yv).intoArray(y, yOff + i);
    }
    for (; i < n; i++) {
      y[yOff + i] += alpha * x[xOff + i];
    }
  }


  /**
   * Four independent accumulators: the loop is bound by two loads per FMA, and four chains cover the FMA latency
   * (4 cycles) at that rate while keeping the tail and the final reduction short.
   */
  static float dot(int n, float[] x, int xOff, float[] y, int yOff) {
    int i = 0;
    int bound4 = n - 4 * LANES;
    FloatVector s0 = FloatVector.zero(SPECIES);
    FloatVector s1 = s0;
    FloatVector s2 = s0;
    FloatVector s3 = s0;
    for (; i <= bound4; i += 4 * LANES) {
      s0 = FloatVector.fromArray(SPECIES, x, xOff + i)
          .fma(FloatVector.fromArray(SPECIES, y, yOff + i), s0);
      s1 = FloatVector.fromArray(SPECIES, x, xOff + i + LANES)
          .fma(FloatVector.fromArray(SPECIES, y, yOff + i + LANES), s1);
      s2 = FloatVector.fromArray(SPECIES, x, xOff + i + 2 * LANES)
          .fma(FloatVector.fromArray(SPECIES, y, yOff + i + 2 * LANES), s2);
      s3 = FloatVector.fromArray(SPECIES, x, xOff + i + 3 * LANES)
          .fma(FloatVector.fromArray(SPECIES, y, yOff + i + 3 * LANES), s3);
    }
    int bound = SPECIES.loopBound(n);
    for (; i < bound; i += LANES) {
      s0 = FloatVector.fromArray(SPECIES, x, xOff + i).fma(FloatVector.fromArray(SPECIES, y, yOff + i), s0);
    }
    FloatVector t = s0.add(s1).add(s2.add(s3));
    for (VectorShuffle<Float> fold : FOLDS) {
      t = t.add(t.rearrange(fold));
    }
    float acc = t.lane(0);
    for (; i < n; i++) {
      acc += x[xOff + i] * y[yOff + i];
    }
    return acc;
  }


  static void scal(int n, float alpha, float[] x, int xOff) {
    PanamaFloatMaps.scale(n, alpha, x, xOff, x, xOff);
  }
}
