package dev.rnn4j.autograd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.kernels.DoubleKernels;
import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.kernels.testing.ForwardingDoubleKernels;
import dev.rnn4j.kernels.testing.ForwardingFloatKernels;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.testing.Agreement;
import dev.rnn4j.testing.OpCatalog;
import dev.rnn4j.testing.TestKernels;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The op agreement comparison of {@link OpAgreementProperties} is not vacuous: a kernel set with one deliberately
 * wrong kernel (a dropped term, an index off by one, a small relative error, a missing factor) disagrees with the
 * scalar spec beyond the derived bound on the ops that use it.
 */
class BrokenKernelDetectionTest {

  private static final FloatKernels F32 = Kernels.scalar().f32();
  private static final DoubleKernels F64 = Kernels.scalar().f64();

  private static Kernels f32Mutant(String name, FloatKernels k) {
    return new Kernels(name, 32, k, F64);
  }

  private static Kernels f64Mutant(String name, DoubleKernels k) {
    return new Kernels(name, 32, F32, k);
  }

  private static OpCatalog.Case find(String name) {
    return OpCatalog.cases().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  /** Fails if none of 6 random instances of {@code op} exposes the mutant. */
  private static void detected(String op, DType dtype, Kernels mutant) {
    List<String> found = new ArrayList<>();
    for (long seed = 1; seed <= 6; seed++) {
      Optional<String> bad = Agreement.compare(find(op), seed, dtype, 9, Kernels.scalar(), mutant);
      bad.ifPresent(found::add);
    }
    assertTrue(!found.isEmpty(), mutant.name() + " was not detected by the " + op + " comparison");
  }

  @Test
  void gemmDroppingTheLastTerm() {
    Kernels mutant = f32Mutant("gemm k - 1", new ForwardingFloatKernels(F32) {
      @Override
      public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
                       int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        delegate.gemm(transA, transB, m, n, Math.max(k - 1, 0), alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff,
            ldc);
      }
    });
    detected("matmul", DType.FLOAT32, mutant);
    detected("batched matmul", DType.FLOAT32, mutant);
  }

  @Test
  void columnSumsDroppingTheLastRow() {
    Kernels mutant = f32Mutant("addColumnSums rows - 1", new ForwardingFloatKernels(F32) {
      @Override
      public void addColumnSums(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff) {
        delegate.addColumnSums(Math.max(rows - 1, 0), cols, x, xOff, ldx, out, outOff);
      }
    });
    detected("add row vector over matrix", DType.FLOAT32, mutant);
    detected("broadcastTo", DType.FLOAT32, mutant);
  }

  @Test
  void sigmoidWithARelativeErrorOfTenToTheMinusFour() {
    Kernels mutant = f32Mutant("sigmoid * (1 + 1e-4)", new ForwardingFloatKernels(F32) {
      @Override
      public void sigmoid(int n, float[] x, int xOff, float[] y, int yOff) {
        delegate.sigmoid(n, x, xOff, y, yOff);
        delegate.scal(n, 1 + 1e-4f, y, yOff);
      }
    });
    detected("sigmoid", DType.FLOAT32, mutant);
  }

  @Test
  void tanhBackwardMissingTheSquare() {
    Kernels mutant = f64Mutant("tanhBackward dy (1 - y)", new ForwardingDoubleKernels(F64) {
      @Override
      public void tanhBackward(int n, double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff) {
        for (int i = 0; i < n; i++) {
          dx[dxOff + i] = dy[dyOff + i] * (1 - y[yOff + i]);
        }
      }
    });
    detected("tanh", DType.FLOAT64, mutant);
  }

  @Test
  void logSoftmaxBackwardSummingOneColumnTooFew() {
    Kernels mutant = f64Mutant("logSoftmaxBackward sum over cols - 1", new ForwardingDoubleKernels(F64) {
      @Override
      public void logSoftmaxBackward(int rows, int cols, double[] y, int yOff, double[] dy, int dyOff, double[] dx,
                                     int dxOff) {
        for (int r = 0; r < rows; r++) {
          int o = r * cols;
          double s = delegate.sum(Math.max(cols - 1, 0), dy, dyOff + o);
          for (int j = 0; j < cols; j++) {
            dx[dxOff + o + j] = dy[dyOff + o + j] - Math.exp(y[yOff + o + j]) * s;
          }
        }
      }
    });
    detected("logSoftmax", DType.FLOAT64, mutant);
    detected("crossEntropy with class weights and ignore index", DType.FLOAT64, mutant);
  }

  @Test
  void copyOneElementShort() {
    Kernels mutant = f32Mutant("copy n - 1", new ForwardingFloatKernels(F32) {
      @Override
      public void copy(int n, float[] x, int xOff, float[] out, int outOff) {
        delegate.copy(Math.max(n - 1, 0), x, xOff, out, outOff);
      }
    });
    detected("concat", DType.FLOAT32, mutant);
    detected("embedding", DType.FLOAT32, mutant);
    detected("permute", DType.FLOAT32, mutant);
  }

  @Test
  void expOffByAFewUlpsMoreThanAllowed() {
    // 1e-6 relative is about 17 float32 ulps: beyond the 4-ulp transcendental allowance of each implementation
    Kernels mutant = f32Mutant("exp * (1 + 1e-6)", new ForwardingFloatKernels(F32) {
      @Override
      public void exp(int n, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
          y[yOff + i] = (float) (Math.exp(x[xOff + i]) * (1 + 1e-6));
        }
      }
    });
    detected("exp", DType.FLOAT32, mutant);
  }

  @Test
  void theReassociatedReferenceIsNotFlagged() {
    // The control: a correct implementation that rounds differently passes the same comparisons.
    for (String op : List.of("matmul", "add row vector over matrix", "sigmoid", "tanh", "logSoftmax", "concat")) {
      for (long seed = 1; seed <= 6; seed++) {
        for (DType dt : DType.values()) {
          Optional<String> bad = Agreement.compare(find(op), seed, dt, 9, Kernels.scalar(),
              TestKernels.reassociated());
          assertTrue(bad.isEmpty(), bad.orElse(""));
        }
      }
    }
  }
}
