package dev.rnn4j.nn.recurrent.internal;

// Generated from DoubleLstmCell.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.nn.recurrent.CellKind;
import dev.rnn4j.nn.recurrent.LSTM;
import dev.rnn4j.nn.recurrent.internal.FloatRecurrentEngine.PackedStep;
import dev.rnn4j.nn.recurrent.internal.FloatRecurrentEngine.Trace;

/**
 * The LSTM cell with gates (i, f, g, o) in PyTorch's order: one recurrent GEMM adds {@code h' W_hh^T} to the step's
 * four gate blocks, then {@link FloatKernels#lstmForward} computes
 * {@code c = f c' + i g}, {@code h = o tanh(c)} and leaves the gate activations in the trace for the backward step.
 * The LSTM variants ({@link FloatLstmProjectionCell}, {@link FloatLstmPeepholeCell}) extend it for its gate layout
 * and override the steps.
 */
class FloatLstmCell extends FloatCell {

  FloatLstmCell(FloatKernels kernels, int inputSize, int hidden) {
    this(kernels, inputSize, hidden, hidden);
  }

  /**
   * For the LSTM variants, which extend this class: the same four gate blocks, the cell state and the kind, with a
   * state h {@code stateWidth} wide (P for {@link FloatLstmProjectionCell}).
   */
  FloatLstmCell(FloatKernels kernels, int inputSize, int hidden, int stateWidth) {
    super(kernels, inputSize, hidden, 4, stateWidth);
  }

  @Override
  public CellKind kind() {
    return CellKind.LSTM;
  }

  @Override
  boolean hasCellState() {
    return true;
  }

  @Override
  void forwardStep(Step s, FloatEngineWeights w, PackedStep packed) {
    recurrentGemm(s.n, gh, s.hPrev, s.hp, w, packed == null ? null : packed.hhT(), 0, 1, s.gates, s.g);
    k.lstmForward(s.n, hidden, s.gates, s.g, s.cPrev, s.cp, s.c, s.co, s.h, s.ho);
  }

  @Override
  boolean computesUnitRanges() {
    return true;
  }

  @Override
  void forwardUnits(UnitStep u) {
    int gm = 4 * u.units;
    k.gemmPacked(false, u.n, 1, u.hPrev, u.hp, stateWidth, u.hhT, 1, u.gates, u.g, gm);
    for (int r = 0; r < u.n; r++) { // the range's units are not contiguous across rows of c and h
      int j = r * hidden + u.first;
      k.lstmForward(1, u.units, u.gates, u.g + r * gm, u.cPrev, u.cp + j, u.c, u.co + j, u.h, u.ho + j);
    }
  }

  @Override
  void backwardStep(Trace tr, FloatEngineWeights w, Step s) {
    float[] dG = tr.gateGrads;
    k.lstmBackward(s.n, hidden, tr.gates, s.g, tr.cs, s.cp, tr.cs, s.co, tr.dhWork, s.r0, tr.dcCarry, s.c0, dG, s.g);
    k.gemmPacked(false, s.n, 1, dG, s.g, gh, w.hh, 0, tr.dhCarry, s.r0, hidden);
  }
}
