package dev.rnn4j.nn.recurrent.internal;

// Generated from DoubleGruCell.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.nn.recurrent.CellKind;
import dev.rnn4j.nn.recurrent.GRU;
import dev.rnn4j.nn.recurrent.internal.FloatRecurrentEngine.PackedStep;
import dev.rnn4j.nn.recurrent.internal.FloatRecurrentEngine.Trace;

/**
 * The GRU cell with gates (r, z, n) and the reset gate applied after the recurrent product, as PyTorch and cuDNN
 * compute it: {@code n = tanh(x W_in^T + b_in + r (h' W_hn^T + b_hn))}. Because r multiplies the recurrent
 * projection with its bias, the recurrent projections {@code h' W_hh^T + (0, 0, b_hn)} are kept apart from the input
 * projections (the trace's {@code ghs}), and only b_hr and b_hz fold into the input side.
 */
final class FloatGruCell extends FloatCell {

  FloatGruCell(FloatKernels kernels, int inputSize, int hidden) {
    super(kernels, inputSize, hidden, 3);
  }

  @Override
  public CellKind kind() {
    return CellKind.GRU;
  }

  @Override
  void foldBiases(FloatEngineWeights w) {
    // b_hn is multiplied by r, so only the r and z parts of b_hh fold into the projection. Plain loops, as in the
    // superclass: nothing allocated in any JIT tier.
    int rz = 2 * hidden;
    for (int i = 0; i < rz; i++) {
      w.folded[i] = w.bih[w.bihOff + i] + w.bhh[w.bhhOff + i];
      w.recurrentBias[i] = 0;
    }
    for (int i = rz; i < gh; i++) {
      w.folded[i] = w.bih[w.bihOff + i];
      w.recurrentBias[i] = w.bhh[w.bhhOff + i];
    }
  }

  @Override
  void prepareTrace(Trace tr, int rows, int bh, boolean ragged) {
    tr.ghs = FloatRecurrentEngine.ensure(tr.ghs, rows * gh);
  }

  @Override
  int recurrentProjectionWidth() {
    return gh;
  }

  @Override
  void forwardStep(Step s, FloatEngineWeights w, PackedStep packed) {
    biasedProduct(s.n, hidden, s.hPrev, s.hp, packed == null ? null : packed.hhT(), w.whh, w.whhOff,
        w.hasBias() ? w.recurrentBias : null, s.ghs, s.ghOff);
    k.gruForward(s.n, hidden, s.gates, s.g, s.ghs, s.ghOff, s.hPrev, s.hp, s.h, s.ho);
  }

  @Override
  boolean computesUnitRanges() {
    return true;
  }

  @Override
  void forwardUnits(UnitStep u) {
    int gm = 3 * u.units;
    if (u.recurrentBias != null) {
      k.gemmPackedBias(false, u.n, 1, u.hPrev, u.hp, hidden, u.hhT, u.recurrentBias, 0, u.ghs, 0, gm);
    } else {
      k.gemmPacked(false, u.n, 1, u.hPrev, u.hp, hidden, u.hhT, 0, u.ghs, 0, gm);
    }
    for (int r = 0; r < u.n; r++) { // the range's units are not contiguous across rows of h
      int j = r * hidden + u.first;
      k.gruForward(1, u.units, u.gates, u.g + r * gm, u.ghs, r * gm, u.hPrev, u.hp + j, u.h, u.ho + j);
    }
  }

  @Override
  void startBackward(Trace tr, int rows, boolean inPlace) {
    tr.recurrentGrads = inPlace ? tr.ghs : (tr.dGh = FloatRecurrentEngine.ensure(tr.dGh, rows * gh));
  }

  @Override
  void backwardStep(Trace tr, FloatEngineWeights w, Step s) {
    float[] dGh = tr.recurrentGrads;
    k.gruBackward(s.n, hidden, tr.gates, s.g, tr.ghs, s.g, tr.hs, s.hp, tr.dhWork, s.r0, tr.gateGrads, s.g, dGh, s.g,
        tr.dhCarry, s.r0);
    k.gemmPacked(false, s.n, 1, dGh, s.g, gh, w.hh, 1, tr.dhCarry, s.r0, hidden);
  }
}
