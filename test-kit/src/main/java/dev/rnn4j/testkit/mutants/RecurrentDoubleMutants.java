package dev.rnn4j.testkit.mutants;

// rnn4j:generate-float

import dev.rnn4j.kernels.DoubleKernels;
import dev.rnn4j.kernels.ScalarDoubleKernels;
import dev.rnn4j.kernels.testing.BrokenDoubleKernels;
import dev.rnn4j.kernels.testing.ForwardingDoubleKernels;

/**
 * Deliberately wrong fused recurrent kernels (float64): the bugs a recurrent cell is most often written with, as
 * kernel decorators over the scalar spec, so that they need no hook in the production code. Each changes the LSTM
 * and the GRU (reset-after) kernels; the plain RNN cells and the reset-before GRU are built from the elementwise
 * kernels and are only affected by {@link #missingBiasGradient()}.
 */
public final class RecurrentDoubleMutants {

  private RecurrentDoubleMutants() {}

  private static final DoubleKernels SPEC = new ScalarDoubleKernels();

  /**
   * A gate off by one unit: the LSTM forget gate and the GRU update gate of unit j read the input projection of unit
   * {@code j + 1} (wrapping at the hidden size; invisible for hidden size 1).
   */
  public static DoubleKernels gateOffByOneUnit() {
    return new ForwardingDoubleKernels(SPEC) {
      @Override
      public void lstmForward(int batch, int hidden, double[] gates, int gatesOff, double[] cPrev, int cPrevOff,
                              double[] c, int cOff, double[] h, int hOff) {
        for (int b = 0; b < batch; b++) {
          rotateByOne(gates, gatesOff + b * 4 * hidden + hidden, hidden);
        }
        delegate.lstmForward(batch, hidden, gates, gatesOff, cPrev, cPrevOff, c, cOff, h, hOff);
      }

      @Override
      public void gruForward(int batch, int hidden, double[] gi, int giOff, double[] gh, int ghOff,
                             double[] hPrev, int hPrevOff, double[] h, int hOff) {
        for (int b = 0; b < batch; b++) {
          rotateByOne(gi, giOff + b * 3 * hidden + hidden, hidden);
        }
        delegate.gruForward(batch, hidden, gi, giOff, gh, ghOff, hPrev, hPrevOff, h, hOff);
      }
    };
  }

  /** {@code x[off + j] = x[off + j + 1]} for j < n - 1, and the last element takes the first one's value. */
  private static void rotateByOne(double[] x, int off, int n) {
    if (n < 2) {
      return;
    }
    double first = x[off];
    System.arraycopy(x, off + 1, x, off, n - 1);
    x[off + n - 1] = first;
  }

  /**
   * Swapped gate blocks: the LSTM uses the input gate's pre-activation as the forget gate's and the other way round
   * ({@link BrokenDoubleKernels#lstmForwardSwapsInputAndForget()}); the GRU's input projection has its reset and
   * update blocks exchanged.
   */
  public static DoubleKernels swappedGateBlocks() {
    return new ForwardingDoubleKernels(BrokenDoubleKernels.lstmForwardSwapsInputAndForget()) {
      @Override
      public void gruForward(int batch, int hidden, double[] gi, int giOff, double[] gh, int ghOff,
                             double[] hPrev, int hPrevOff, double[] h, int hOff) {
        double[] reset = new double[hidden];
        for (int b = 0; b < batch; b++) {
          int row = giOff + b * 3 * hidden;
          System.arraycopy(gi, row, reset, 0, hidden);
          System.arraycopy(gi, row + hidden, gi, row, hidden);
          System.arraycopy(reset, 0, gi, row + hidden, hidden);
        }
        delegate.gruForward(batch, hidden, gi, giOff, gh, ghOff, hPrev, hPrevOff, h, hOff);
      }
    };
  }

  /**
   * A missing bias gradient: {@code addColumnSums} adds nothing, so the bias gradients of the recurrent layers (the
   * column sums of the gate gradients) and of {@code Linear} stay zero. (Every other sum over the leading axis is
   * lost with them: a forward {@code sum(0, ...)} is wrong too.)
   */
  public static DoubleKernels missingBiasGradient() {
    return new ForwardingDoubleKernels(SPEC) {
      @Override
      public void addColumnSums(int rows, int cols, double[] x, int xOff, int ldx, double[] out, int outOff) {
        // the bug: nothing is accumulated
      }
    };
  }

  /**
   * A time index off by one in the backward pass: the LSTM backward takes the cell state of step t where that of step
   * t - 1 belongs, and the GRU backward takes h_t (recomputed from the saved activations as
   * {@code (1 - z) n + z h_(t-1)}) where h_(t-1) belongs.
   */
  public static DoubleKernels timeIndexOffByOne() {
    return new ForwardingDoubleKernels(SPEC) {
      @Override
      public void lstmBackward(int batch, int hidden, double[] gates, int gatesOff, double[] cPrev, int cPrevOff,
                               double[] c, int cOff, double[] dh, int dhOff, double[] dc, int dcOff,
                               double[] dGates, int dGatesOff) {
        delegate.lstmBackward(batch, hidden, gates, gatesOff, c, cOff, c, cOff, dh, dhOff, dc, dcOff, dGates,
            dGatesOff);
      }

      @Override
      public void gruBackward(int batch, int hidden, double[] gi, int giOff, double[] gh, int ghOff,
                              double[] hPrev, int hPrevOff, double[] dh, int dhOff,
                              double[] dgi, int dgiOff, double[] dgh, int dghOff, double[] dhPrev, int dhPrevOff) {
        double[] hNow = new double[batch * hidden];
        for (int b = 0; b < batch; b++) {
          int row = giOff + b * 3 * hidden;
          for (int j = 0; j < hidden; j++) {
            double z = gi[row + hidden + j];
            double n = gi[row + 2 * hidden + j];
            hNow[b * hidden + j] = (1 - z) * n + z * hPrev[hPrevOff + b * hidden + j];
          }
        }
        delegate.gruBackward(batch, hidden, gi, giOff, gh, ghOff, hNow, 0, dh, dhOff, dgi, dgiOff, dgh, dghOff,
            dhPrev, dhPrevOff);
      }
    };
  }
}
