package dev.rnn4j.kernels.testing;

// rnn4j:generate-float

import dev.rnn4j.kernels.DoubleKernels;
import dev.rnn4j.kernels.DoublePackedMatrix;
import dev.rnn4j.kernels.ScalarDoubleKernels;
import java.util.List;
import java.util.Random;

/**
 * Deliberately wrong kernels (mutants) for showing that the agreement checks of
 * {@link DoubleKernelAgreementProperties} catch real bugs. Each mutant forwards to the scalar spec except for one
 * kernel, which carries one small bug of the kind a SIMD port makes: a dropped term, an index off by one, a wrong
 * operand, a missing correction, a write past the range, a lost NaN.
 */
// Casts around Math calls are redundant in the 64-bit source; the generated 32-bit twin needs them.
@SuppressWarnings("cast")
public final class BrokenDoubleKernels {

  private BrokenDoubleKernels() {}

  /** Runs one agreement check of reference against candidate on a case drawn from {@code rnd}. */
  @FunctionalInterface
  public interface SeededCheck {
    void run(DoubleKernels reference, DoubleKernels candidate, Random rnd);
  }

  /** A broken implementation and the agreement check that must reject it. */
  public record Mutant(String name, DoubleKernels kernels, SeededCheck check) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final DoubleKernels SPEC = new ScalarDoubleKernels();

  /** All mutants. */
  public static List<Mutant> all() {
    return List.of(
        new Mutant("gemm drops the last k term", gemmDropsLastK(),
            (r, c, rnd) -> DoubleBlasAgreementProperties.checkGemm(r, c,
                DoubleBlasAgreementProperties.gemmCase(rnd))),
        new Mutant("gemm with transB reads one index off", gemmTransBOffByOne(),
            (r, c, rnd) -> DoubleBlasAgreementProperties.checkGemm(r, c,
                DoubleBlasAgreementProperties.gemmCase(rnd))),
        new Mutant("gemm reads C when beta is 0", gemmReadsCWithBetaZero(),
            (r, c, rnd) -> DoubleBlasAgreementProperties.checkGemm(r, c,
                DoubleBlasAgreementProperties.gemmCase(rnd))),
        new Mutant("packB with transB reads one index off", packBTransBOffByOne(),
            (r, c, rnd) -> DoubleBlasAgreementProperties.checkGemmPacked(r, c,
                DoubleBlasAgreementProperties.gemmCase(rnd))),
        new Mutant("gemmPacked sums the last row of a block in another order", gemmPackedLastRowReversed(),
            (r, c, rnd) -> DoubleBlasAgreementProperties.checkGemmPacked(r, c,
                DoubleBlasAgreementProperties.gemmCase(rnd))),
        new Mutant("gemmPacked sums the last column of a product in another order", gemmPackedLastColumnReversed(),
            (r, c, rnd) -> DoubleBlasAgreementProperties.checkGemmPacked(r, c,
                DoubleBlasAgreementProperties.gemmCase(rnd))),
        new Mutant("gemmPackedBias adds the bias of column j + 1", gemmPackedBiasOfNextColumn(),
            (r, c, rnd) -> DoubleBlasAgreementProperties.checkGemmPackedBias(r, c,
                DoubleBlasAgreementProperties.gemmPackedBiasCase(rnd))),
        new Mutant("gemmPackedBias adds the bias twice (contract check)", gemmPackedBiasTwice(),
            (r, c, rnd) -> DoubleBlasContract.checkGemmPackedBias(c, rnd.nextInt(9), rnd.nextInt(20),
                rnd.nextInt(20), rnd.nextBoolean(), rnd)),
        new Mutant("gemmPackedBias adds the bias to C's old value (contract check)", gemmPackedBiasReadsC(),
            (r, c, rnd) -> DoubleBlasContract.checkGemmPackedBias(c, rnd.nextInt(9), rnd.nextInt(20),
                rnd.nextInt(20), rnd.nextBoolean(), rnd)),
        new Mutant("gemv transposed ignores lda", gemvIgnoresLda(),
            (r, c, rnd) -> DoubleBlasAgreementProperties.checkGemv(r, c,
                DoubleBlasAgreementProperties.gemvCase(rnd))),
        new Mutant("axpy writes one element past the range", axpyWritesPastEnd(),
            (r, c, rnd) -> DoubleBlasAgreementProperties.checkAxpy(r, c,
                DoubleKernelTestSupport.vectorCase(rnd))),
        new Mutant("dot skips an element", dotSkipsElement(),
            (r, c, rnd) -> DoubleBlasAgreementProperties.checkDot(r, c,
                DoubleKernelTestSupport.vectorCase(rnd))),
        new Mutant("copy is not memmove for overlapping ranges", copyForwardOnly(),
            (r, c, rnd) -> DoublePointwiseAgreementProperties.checkCopy(r, c,
                DoublePointwiseAgreementProperties.copyCase(rnd))),
        new Mutant("exp is off by 32 ulps", expOff32Ulps(),
            (r, c, rnd) -> DoublePointwiseAgreementProperties.checkExp(r, c,
                DoublePointwiseAgreementProperties.mapCase(rnd, TestValues.uniform(-80, 80)))),
        new Mutant("sigmoid backward uses x instead of y", sigmoidBackwardUsesX(),
            (r, c, rnd) -> DoublePointwiseAgreementProperties.checkSigmoidBackward(r, c,
                DoublePointwiseAgreementProperties.backwardCase(rnd, TestValues.uniform(0, 1)))),
        new Mutant("max ignores NaN", maxIgnoresNaN(),
            (r, c, rnd) -> DoubleReductionAgreementProperties.checkMax(r, c,
                DoubleReductionAgreementProperties.maxCase(rnd))),
        new Mutant("sum drops the last element of odd lengths", sumDropsOddTail(),
            (r, c, rnd) -> DoubleReductionAgreementProperties.checkSum(r, c,
                DoubleKernelTestSupport.vectorCase(rnd))),
        new Mutant("addColumnSums misses the last row", addColumnSumsMissesLastRow(),
            (r, c, rnd) -> DoubleReductionAgreementProperties.checkAddColumnSums(r, c,
                DoubleReductionAgreementProperties.matrixCase(rnd))),
        new Mutant("softmax without max subtraction", softmaxWithoutMax(),
            (r, c, rnd) -> DoubleReductionAgreementProperties.checkSoftmax(r, c,
                DoubleReductionAgreementProperties.rowsCase(rnd))),
        new Mutant("softmax backward drops the sum term", softmaxBackwardDropsSum(),
            (r, c, rnd) -> DoubleReductionAgreementProperties.checkSoftmaxBackward(r, c,
                DoubleReductionAgreementProperties.rowsBackwardCase(rnd, TestValues.uniform(0, 1)))),
        new Mutant("lstmForward swaps the i and f gates", lstmForwardSwapsInputAndForget(),
            (r, c, rnd) -> DoubleRecurrentAgreementProperties.checkLstmForward(r, c,
                DoubleRecurrentAgreementProperties.lstmForwardCase(rnd))),
        new Mutant("lstmBackward forgets the f factor of dcPrev", lstmBackwardDcPrevWithoutF(),
            (r, c, rnd) -> DoubleRecurrentAgreementProperties.checkLstmBackward(r, c,
                DoubleRecurrentAgreementProperties.lstmBackwardCase(rnd))),
        new Mutant("gruBackward drops the dr term", gruBackwardDropsDr(),
            (r, c, rnd) -> DoubleRecurrentAgreementProperties.checkGruBackward(r, c,
                DoubleRecurrentAgreementProperties.gruBackwardCase(rnd))),
        new Mutant("sgd ignores nesterov", sgdIgnoresNesterov(),
            (r, c, rnd) -> DoubleOptimizerAgreementProperties.checkSgdUpdate(r, c,
                DoubleOptimizerAgreementProperties.sgdCase(rnd))),
        new Mutant("adam without bias correction", adamWithoutBiasCorrection(),
            (r, c, rnd) -> DoubleOptimizerAgreementProperties.checkAdamUpdate(r, c,
                DoubleOptimizerAgreementProperties.adamCase(rnd))));
  }

  /** gemm whose inner loop stops at k - 1. */
  public static DoubleKernels gemmDropsLastK() {
    return new ForwardingDoubleKernels(SPEC) {
      @Override
      public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff,
                       int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        gemmWith(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, k - 1, 0, false);
      }
    };
  }

  /** gemm that, with transB, reads B[j, p + 1] (wrapping at k) instead of B[j, p]. */
  public static DoubleKernels gemmTransBOffByOne() {
    return new ForwardingDoubleKernels(SPEC) {
      @Override
      public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff,
                       int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        gemmWith(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, k, transB ? 1 : 0,
            false);
      }
    };
  }

  /** gemm that computes {@code alpha AB + beta C} even when beta is 0 (NaN in C propagates). */
  public static DoubleKernels gemmReadsCWithBetaZero() {
    return new ForwardingDoubleKernels(SPEC) {
      @Override
      public void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, int aOff,
                       int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        gemmWith(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, k, 0, true);
      }
    };
  }

  private static void gemmWith(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a,
                               int aOff, int lda, double[] b, int bOff, int ldb, double beta, double[] c, int cOff,
                               int ldc, int kUsed, int bShift, boolean alwaysReadC) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double acc = 0;
        for (int p = 0; p < kUsed; p++) {
          double aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
          double bpj = transB ? b[bOff + j * ldb + (p + bShift) % k] : b[bOff + p * ldb + j];
          acc += aip * bpj;
        }
        int ij = cOff + i * ldc + j;
        c[ij] = beta == 0 && !alwaysReadC ? alpha * acc : alpha * acc + beta * c[ij];
      }
    }
  }

  /** packB that, with transB, packs B[j, p + 1] (wrapping at k) instead of B[j, p]. */
  public static DoubleKernels packBTransBOffByOne() {
    return new ForwardingDoubleKernels(SPEC) {
      @Override
      public DoublePackedMatrix packB(boolean transB, int k, int n, double[] b, int bOff, int ldb,
                                      DoublePackedMatrix reuse) {
        if (!transB || k < 2) {
          return delegate.packB(transB, k, n, b, bOff, ldb, reuse);
        }
        double[] shifted = new double[n * k];
        for (int j = 0; j < n; j++) {
          for (int p = 0; p < k; p++) {
            shifted[j * k + p] = b[bOff + j * ldb + (p + 1) % k];
          }
        }
        return delegate.packB(true, k, n, shifted, 0, k, reuse);
      }
    };
  }

  /**
   * gemmPacked whose last row (of a call with several rows) is summed from the highest k down, as a kernel that
   * handles the rows of a partial tile on a separate path might: accurate, but the row then depends on its position.
   */
  public static DoubleKernels gemmPackedLastRowReversed() {
    return gemmPackedReversedWhere((i, m, j, n) -> m > 1 && i == m - 1);
  }

  /**
   * gemmPacked whose last column (of a call with several columns) is summed from the highest k down, as a kernel whose
   * last, partial panel takes a separate path might: accurate, but the column then depends on its position.
   */
  public static DoubleKernels gemmPackedLastColumnReversed() {
    return gemmPackedReversedWhere((i, m, j, n) -> n > 1 && j == n - 1);
  }

  /** Picks elements (i, j) of an m x n product. */
  @FunctionalInterface
  private interface ElementPick {
    boolean test(int i, int m, int j, int n);
  }

  /** gemmPacked summing the elements that {@code reversed} picks from the highest k down, the others upwards. */
  private static DoubleKernels gemmPackedReversedWhere(ElementPick reversedAt) {
    return new ForwardingDoubleKernels(SPEC) {
      /** This mutant's own packed layout: op(B) dense k x n. */
      record Dense(int rows, int cols, double[] data) implements DoublePackedMatrix {}

      @Override
      public DoublePackedMatrix packB(boolean transB, int k, int n, double[] b, int bOff, int ldb,
                                      DoublePackedMatrix reuse) {
        double[] d = new double[k * n];
        for (int p = 0; p < k; p++) {
          for (int j = 0; j < n; j++) {
            d[p * n + j] = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
          }
        }
        return new Dense(k, n, d);
      }

      @Override
      public void gemmPacked(boolean transA, int m, double alpha, double[] a, int aOff, int lda,
                             DoublePackedMatrix pm, double beta, double[] c, int cOff, int ldc) {
        Dense p = (Dense) pm;
        for (int i = 0; i < m; i++) {
          for (int j = 0; j < p.cols(); j++) {
            boolean reversed = reversedAt.test(i, m, j, p.cols());
            double acc = 0;
            for (int q = 0; q < p.rows(); q++) {
              int pp = reversed ? p.rows() - 1 - q : q;
              double aip = transA ? a[aOff + pp * lda + i] : a[aOff + i * lda + pp];
              acc += aip * p.data()[pp * p.cols() + j];
            }
            int ij = cOff + i * ldc + j;
            c[ij] = beta == 0 ? alpha * acc : alpha * acc + beta * c[ij];
          }
        }
      }
    };
  }

  /** gemmPackedBias that adds bias_(j + 1) (wrapping at n) to column j. */
  public static DoubleKernels gemmPackedBiasOfNextColumn() {
    return new ForwardingDoubleKernels(SPEC) {
      @Override
      public void gemmPackedBias(boolean transA, int m, double alpha, double[] a, int aOff, int lda,
                                 DoublePackedMatrix p, double[] bias, int biasOff, double[] c, int cOff, int ldc) {
        int n = p.cols();
        double[] shifted = new double[n];
        for (int j = 0; j < n; j++) {
          shifted[j] = bias[biasOff + (j + 1) % n];
        }
        delegate.gemmPackedBias(transA, m, alpha, a, aOff, lda, p, shifted, 0, c, cOff, ldc);
      }
    };
  }

  /** gemmPackedBias that adds the bias once more after the product, as an epilogue that also kept a fill would. */
  public static DoubleKernels gemmPackedBiasTwice() {
    return new ForwardingDoubleKernels(SPEC) {
      @Override
      public void gemmPackedBias(boolean transA, int m, double alpha, double[] a, int aOff, int lda,
                                 DoublePackedMatrix p, double[] bias, int biasOff, double[] c, int cOff, int ldc) {
        delegate.gemmPackedBias(transA, m, alpha, a, aOff, lda, p, bias, biasOff, c, cOff, ldc);
        for (int i = 0; i < m; i++) {
          delegate.add(p.cols(), c, cOff + i * ldc, bias, biasOff, c, cOff + i * ldc);
        }
      }
    };
  }

  /** gemmPackedBias that accumulates into C ({@code C += alpha op(A) P + bias}) instead of writing it. */
  public static DoubleKernels gemmPackedBiasReadsC() {
    return new ForwardingDoubleKernels(SPEC) {
      @Override
      public void gemmPackedBias(boolean transA, int m, double alpha, double[] a, int aOff, int lda,
                                 DoublePackedMatrix p, double[] bias, int biasOff, double[] c, int cOff, int ldc) {
        double[] old = c.clone();
        delegate.gemmPackedBias(transA, m, alpha, a, aOff, lda, p, bias, biasOff, c, cOff, ldc);
        for (int i = 0; i < m; i++) {
          delegate.add(p.cols(), c, cOff + i * ldc, old, cOff + i * ldc, c, cOff + i * ldc);
        }
      }
    };
  }

  /** gemv that, transposed, steps through A with the row length n instead of lda. */
  public static DoubleKernels gemvIgnoresLda() {
    return new ForwardingDoubleKernels(SPEC) {
      @Override
      public void gemv(boolean trans, int m, int n, double alpha, double[] a, int aOff, int lda, double[] x,
                       int xOff, double beta, double[] y, int yOff) {
        delegate.gemv(trans, m, n, alpha, a, aOff, trans ? n : lda, x, xOff, beta, y, yOff);
      }
    };
  }

  /** axpy that also updates y[n] (when the array has room). */
  public static DoubleKernels axpyWritesPastEnd() {
    return new ForwardingDoubleKernels(SPEC) {
      @Override
      public void axpy(int n, double alpha, double[] x, int xOff, double[] y, int yOff) {
        int len = Math.min(n + 1, Math.min(x.length - xOff, y.length - yOff));
        delegate.axpy(Math.max(n, len), alpha, x, xOff, y, yOff);
      }
    };
  }

  /** dot without the middle element. */
  public static DoubleKernels dotSkipsElement() {
    return new ForwardingDoubleKernels(SPEC) {
      @Override
      public double dot(int n, double[] x, int xOff, double[] y, int yOff) {
        double acc = 0;
        for (int i = 0; i < n; i++) {
          if (i != n / 2) {
            acc += x[xOff + i] * y[yOff + i];
          }
        }
        return acc;
      }
    };
  }

  /** copy by a forward loop: wrong when the destination overlaps the source from above. */
  public static DoubleKernels copyForwardOnly() {
    return new ForwardingDoubleKernels(SPEC) {
      @Override
      public void copy(int n, double[] x, int xOff, double[] out, int outOff) {
        for (int i = 0; i < n; i++) {
          out[outOff + i] = x[xOff + i];
        }
      }
    };
  }

  /** exp with a systematic error of 32 ulps (a polynomial one degree too short). */
  public static DoubleKernels expOff32Ulps() {
    return new ForwardingDoubleKernels(SPEC) {
      @Override
      public void exp(int n, double[] x, int xOff, double[] y, int yOff) {
        for (int i = 0; i < n; i++) {
          double e = (double) Math.exp(x[xOff + i]);
          y[yOff + i] = e + 32 * Math.ulp(e);
        }
      }
    };
  }

  /** sigmoidBackward that treats its input as x: {@code dy * s(v) (1 - s(v))} with s the sigmoid. */
  public static DoubleKernels sigmoidBackwardUsesX() {
    return new ForwardingDoubleKernels(SPEC) {
      @Override
      public void sigmoidBackward(int n, double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff) {
        for (int i = 0; i < n; i++) {
          double s = 1 / (1 + (double) Math.exp(-y[yOff + i]));
          dx[dxOff + i] = dy[dyOff + i] * s * (1 - s);
        }
      }
    };
  }

  /** max with a plain comparison, which skips NaN. */
  public static DoubleKernels maxIgnoresNaN() {
    return new ForwardingDoubleKernels(SPEC) {
      @Override
      public double max(int n, double[] x, int xOff) {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
          if (x[xOff + i] > m) {
            m = x[xOff + i];
          }
        }
        return m;
      }
    };
  }

  /** sum over pairs that forgets the unpaired last element of an odd length. */
  public static DoubleKernels sumDropsOddTail() {
    return new ForwardingDoubleKernels(SPEC) {
      @Override
      public double sum(int n, double[] x, int xOff) {
        double acc = 0;
        for (int i = 0; i + 1 < n; i += 2) {
          acc += x[xOff + i] + x[xOff + i + 1];
        }
        return acc;
      }
    };
  }

  /** addColumnSums over rows - 1 rows. */
  public static DoubleKernels addColumnSumsMissesLastRow() {
    return new ForwardingDoubleKernels(SPEC) {
      @Override
      public void addColumnSums(int rows, int cols, double[] x, int xOff, int ldx, double[] out, int outOff) {
        delegate.addColumnSums(Math.max(0, rows - 1), cols, x, xOff, ldx, out, outOff);
      }
    };
  }

  /** softmax as {@code exp(x) / sum exp(x)}: overflows to NaN or underflows to 0/0 on huge rows. */
  public static DoubleKernels softmaxWithoutMax() {
    return new ForwardingDoubleKernels(SPEC) {
      @Override
      public void softmax(int rows, int cols, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy) {
        for (int r = 0; r < rows; r++) {
          double s = 0;
          for (int j = 0; j < cols; j++) {
            double e = (double) Math.exp(x[xOff + r * ldx + j]);
            y[yOff + r * ldy + j] = e;
            s += e;
          }
          for (int j = 0; j < cols; j++) {
            y[yOff + r * ldy + j] /= s;
          }
        }
      }
    };
  }

  /** softmaxBackward as {@code y * dy}. */
  public static DoubleKernels softmaxBackwardDropsSum() {
    return new ForwardingDoubleKernels(SPEC) {
      @Override
      public void softmaxBackward(int rows, int cols, double[] y, int yOff, double[] dy, int dyOff, double[] dx,
                                  int dxOff) {
        delegate.mul(rows * cols, y, yOff, dy, dyOff, dx, dxOff);
      }
    };
  }

  /** lstmForward reading the gate blocks in the order (f, i, g, o). */
  public static DoubleKernels lstmForwardSwapsInputAndForget() {
    return new ForwardingDoubleKernels(SPEC) {
      @Override
      public void lstmForward(int batch, int hidden, double[] gates, int gatesOff, double[] cPrev, int cPrevOff,
                              double[] c, int cOff, double[] h, int hOff) {
        for (int b = 0; b < batch; b++) {
          int g = gatesOff + b * 4 * hidden;
          for (int j = 0; j < hidden; j++) {
            double t = gates[g + j];
            gates[g + j] = gates[g + hidden + j];
            gates[g + hidden + j] = t;
          }
        }
        delegate.lstmForward(batch, hidden, gates, gatesOff, cPrev, cPrevOff, c, cOff, h, hOff);
      }
    };
  }

  /** lstmBackward whose dcPrev is dcTotal instead of {@code dcTotal * f}. */
  public static DoubleKernels lstmBackwardDcPrevWithoutF() {
    return new ForwardingDoubleKernels(SPEC) {
      @Override
      public void lstmBackward(int batch, int hidden, double[] gates, int gatesOff, double[] cPrev, int cPrevOff,
                               double[] c, int cOff, double[] dh, int dhOff, double[] dc, int dcOff,
                               double[] dGates, int dGatesOff) {
        delegate.lstmBackward(batch, hidden, gates, gatesOff, cPrev, cPrevOff, c, cOff, dh, dhOff, dc, dcOff,
            dGates, dGatesOff);
        for (int b = 0; b < batch; b++) {
          for (int j = 0; j < hidden; j++) {
            double f = gates[gatesOff + b * 4 * hidden + hidden + j];
            if (f != 0) {
              dc[dcOff + b * hidden + j] /= f;
            }
          }
        }
      }
    };
  }

  /** gruBackward with the reset-gate gradient dr set to 0. */
  public static DoubleKernels gruBackwardDropsDr() {
    return new ForwardingDoubleKernels(SPEC) {
      @Override
      public void gruBackward(int batch, int hidden, double[] gi, int giOff, double[] gh, int ghOff, double[] hPrev,
                              int hPrevOff, double[] dh, int dhOff, double[] dgi, int dgiOff, double[] dgh,
                              int dghOff, double[] dhPrev, int dhPrevOff) {
        delegate.gruBackward(batch, hidden, gi, giOff, gh, ghOff, hPrev, hPrevOff, dh, dhOff, dgi, dgiOff, dgh,
            dghOff, dhPrev, dhPrevOff);
        for (int b = 0; b < batch; b++) {
          for (int j = 0; j < hidden; j++) {
            dgi[dgiOff + b * 3 * hidden + j] = 0;
            dgh[dghOff + b * 3 * hidden + j] = 0;
          }
        }
      }
    };
  }

  /** SGD that applies plain momentum when nesterov is requested. */
  public static DoubleKernels sgdIgnoresNesterov() {
    return new ForwardingDoubleKernels(SPEC) {
      @Override
      public void sgdUpdate(int n, double lr, double momentum, double dampening, double weightDecay,
                            boolean nesterov, boolean firstStep, double[] param, int paramOff, double[] grad,
                            int gradOff, double[] velocity, int velocityOff) {
        delegate.sgdUpdate(n, lr, momentum, dampening, weightDecay, false, firstStep, param, paramOff, grad, gradOff,
            velocity, velocityOff);
      }
    };
  }

  /** Adam without the bias corrections {@code 1 - beta^t}. */
  public static DoubleKernels adamWithoutBiasCorrection() {
    return new ForwardingDoubleKernels(SPEC) {
      @Override
      public void adamUpdate(int n, double lr, double beta1, double beta2, double eps, double weightDecay,
                             boolean decoupledWeightDecay, int step, double[] param, int paramOff, double[] grad,
                             int gradOff, double[] m, int mOff, double[] v, int vOff) {
        for (int i = 0; i < n; i++) {
          double p = param[paramOff + i];
          double g = grad[gradOff + i];
          if (decoupledWeightDecay) {
            p *= 1 - lr * weightDecay;
          } else {
            g += weightDecay * p;
          }
          double mi = beta1 * m[mOff + i] + (1 - beta1) * g;
          double vi = beta2 * v[vOff + i] + (1 - beta2) * g * g;
          m[mOff + i] = mi;
          v[vOff + i] = vi;
          param[paramOff + i] = p - lr * mi / ((double) Math.sqrt(vi) + eps);
        }
      }
    };
  }
}
