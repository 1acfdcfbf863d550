package dev.rnn4j.nn.recurrent.internal;

// Generated from DoubleRnnCell.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.nn.recurrent.CellKind;
import dev.rnn4j.nn.recurrent.internal.FloatRecurrentEngine.PackedStep;
import dev.rnn4j.nn.recurrent.internal.FloatRecurrentEngine.Trace;

/**
 * The Elman RNN cell, {@code h = act(x W_ih^T + b_ih + h' W_hh^T + b_hh)} with act tanh or relu: one gate block, the
 * pre-activations in the trace's gate rows, and a backward that needs only the new states.
 */
final class FloatRnnCell extends FloatCell {

  private final boolean relu;

  FloatRnnCell(FloatKernels kernels, int inputSize, int hidden, boolean relu) {
    super(kernels, inputSize, hidden, 1);
    this.relu = relu;
  }

  @Override
  public CellKind kind() {
    return relu ? CellKind.RNN_RELU : CellKind.RNN_TANH;
  }

  @Override
  void forwardStep(Step s, FloatEngineWeights w, PackedStep packed) {
    int n = s.n;
    recurrentGemm(n, hidden, s.hPrev, s.hp, w, packed == null ? null : packed.hhT(), 0, 1, s.gates, s.g);
    if (relu) {
      k.relu(n * hidden, s.gates, s.g, s.h, s.ho);
    } else {
      k.tanh(n * hidden, s.gates, s.g, s.h, s.ho);
    }
  }

  @Override
  boolean computesUnitRanges() {
    return true;
  }

  @Override
  void forwardUnits(UnitStep u) {
    int m = u.units;
    k.gemmPacked(false, u.n, 1, u.hPrev, u.hp, hidden, u.hhT, 1, u.gates, u.g, m);
    for (int r = 0; r < u.n; r++) { // the range's units are not contiguous across rows of h
      int j = u.ho + r * hidden + u.first;
      if (relu) {
        k.relu(m, u.gates, u.g + r * m, u.h, j);
      } else {
        k.tanh(m, u.gates, u.g + r * m, u.h, j);
      }
    }
  }

  /** The backward reads only the saved outputs, so its gradients always go over the pre-activations. */
  @Override
  boolean backwardReadsGates() {
    return false;
  }

  @Override
  void backwardStep(Trace tr, FloatEngineWeights w, Step s) {
    float[] dG = tr.gateGrads;
    if (relu) {
      k.reluBackward(s.n * hidden, tr.hs, s.ho, tr.dhWork, s.r0, dG, s.g);
    } else {
      k.tanhBackward(s.n * hidden, tr.hs, s.ho, tr.dhWork, s.r0, dG, s.g);
    }
    k.gemmPacked(false, s.n, 1, dG, s.g, gh, w.hh, 0, tr.dhCarry, s.r0, hidden);
  }
}
