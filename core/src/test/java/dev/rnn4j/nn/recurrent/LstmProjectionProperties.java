package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The recurrent-layer properties (see {@link RecurrentLayerProperties}) for the LSTM with a projection (PyTorch's
 * {@code proj_size}): random H in 2..40 and P in [1, H), stacked, bidirectional, batch-first, with and without biases,
 * initial states and variable lengths, through the public layer. The reference of the forward and gradient checks is
 * the composed one ({@link ComposedStack}: {@link CellMath}'s LSTM step followed by {@code h = m W_hr^T}, built from
 * autograd primitives), independent of the fused cell.
 */
class LstmProjectionProperties extends RecurrentLayerProperties {

  @Override
  CellKind[] kinds() {
    return new CellKind[] {CellKind.LSTM};
  }

  @Override
  boolean projected() {
    return true;
  }

  /**
   * The forward tolerance (a conservative first-order form, not a rigorous bound: the
   * running bound of {@link ReferenceRecurrent} has no projection): an output or final state is the end of a chain of
   * at most T*L*D steps, each formed with at most K = max(I, D*P) + P + H + 8 roundings (the input and recurrent dot
   * products, the projection's dot product of length H, the pointwise formula), each relative to a magnitude of at
   * most {@code max(1, max|ref|)}; so two implementations differ by at most {@code 2 N u max(1, max|ref|)} with
   * N = T*L*D*K. A broken cell gives O(1) differences and fails it ({@link BrokenCellTest}).
   */
  static double forwardTolerance(RecurrentCase c, double u, double[] reference) {
    RecurrentConfig cfg = c.cfg;
    int k = Math.max(cfg.inputSize(), cfg.directions() * cfg.stateSize()) + cfg.stateSize() + cfg.hiddenSize() + 8;
    long n = (long) c.steps * cfg.numLayers() * cfg.directions() * k;
    double max = 1;
    for (double v : reference) {
      max = Math.max(max, Math.abs(v));
    }
    return 2 * n * u * max;
  }

  /** Outputs (zero past each sequence's end in both), h_n and c_n of {@code r} within the tolerance of {@code ref}. */
  static void assertForwardClose(RecurrentCase c, RunnerResult r, RunnerResult ref, double u, String what) {
    close(c, "output", r.out, ref.out, u, what);
    close(c, "h_n", r.hN, ref.hN, u, what);
    close(c, "c_n", r.cN, ref.cN, u, what);
  }

  private static void close(RecurrentCase c, String name, double[] got, double[] want, double u, String what) {
    if (got.length != want.length) {
      fail(what + ": " + name + " has " + got.length + " elements, expected " + want.length + " in " + c);
    }
    double tol = forwardTolerance(c, u, want);
    for (int j = 0; j < got.length; j++) {
      if (!(Math.abs(got[j] - want[j]) <= tol)) {
        fail(what + ": " + name + "[" + j + "]: " + got[j] + " vs " + want[j] + ", |diff| "
            + Math.abs(got[j] - want[j]) + " > " + tol + " in " + c);
      }
    }
  }
}
