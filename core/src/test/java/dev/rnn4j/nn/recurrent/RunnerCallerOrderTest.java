package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.rnn4j.kernels.Kernels;
import org.junit.jupiter.api.Test;

/** The runner's in-place path for rows already in the engine's order gives the bits of its sorted-copy path. */
class RunnerCallerOrderTest {

  private static final CellKind[] KINDS = {CellKind.LSTM, CellKind.GRU, CellKind.GRU_RESET_BEFORE,
      CellKind.RNN_TANH, CellKind.RNN_RELU};

  /**
   * Rows already in the engine's order (time-major, longest first) take the runner's in-place path for the output,
   * its gradient and the input gradient; the same sequences in another caller order go through the sorted copies.
   * The engine sees the same sorted batch both ways (the sort is stable and the permutation keeps equal lengths in
   * their order), so every result, weight gradients included, must have the same bits once the rows are permuted
   * back: ragged lengths (finished rows must read as zero), both merge modes, two layers, every cell.
   */
  @Test
  void callerOrderInPlaceEqualsSortedCopies() {
    int[] perm = {1, 0, 3, 2}; // lengths {6, 4, 4, 1} become {4, 6, 1, 4}; stable sort gives rows 1, 0, 3, 2 back
    for (CellKind kind : KINDS) {
      for (MergeMode merge : MergeMode.values()) {
        RecurrentConfig cfg = new RecurrentConfig(kind.name(), kind, 3, 5, 2, true, false, 0, true, merge);
        RecurrentCase inOrder = new RecurrentCase(cfg, 6, 4, new int[] {6, 4, 4, 1}, 23, true);
        RecurrentCase shuffled = inOrder.permuted(perm);
        for (boolean f32 : new boolean[] {false, true}) {
          RunnerResult a = f32
              ? FloatRunnerHarness.run(Kernels.scalar().f32(), inOrder, CellFault.NONE, true)
              : DoubleRunnerHarness.run(Kernels.scalar().f64(), inOrder, CellFault.NONE, true);
          RunnerResult b = f32
              ? FloatRunnerHarness.run(Kernels.scalar().f32(), shuffled, CellFault.NONE, true)
              : DoubleRunnerHarness.run(Kernels.scalar().f64(), shuffled, CellFault.NONE, true);
          String what = kind + " " + merge + (f32 ? " f32" : " f64");
          int outW = cfg.outputSize();
          assertArrayEquals(shuffled.permuteRows(a.out, perm, outW), b.out, what + " output");
          assertArrayEquals(shuffled.permuteRows(a.dx, perm, cfg.inputSize()), b.dx, what + " input gradient");
          assertArrayEquals(shuffled.permuteStates(a.hN, perm), b.hN, what + " h_n");
          assertArrayEquals(shuffled.permuteStates(a.dh0, perm), b.dh0, what + " h0 gradient");
          if (a.cN != null) {
            assertArrayEquals(shuffled.permuteStates(a.cN, perm), b.cN, what + " c_n");
            assertArrayEquals(shuffled.permuteStates(a.dc0, perm), b.dc0, what + " c0 gradient");
          }
          for (int i = 0; i < a.dWih.length; i++) {
            assertArrayEquals(a.dWih[i], b.dWih[i], what + " weight_ih " + i);
            assertArrayEquals(a.dWhh[i], b.dWhh[i], what + " weight_hh " + i);
            assertArrayEquals(a.dbih[i], b.dbih[i], what + " bias_ih " + i);
            assertArrayEquals(a.dbhh[i], b.dbhh[i], what + " bias_hh " + i);
          }
        }
      }
    }
  }
}
