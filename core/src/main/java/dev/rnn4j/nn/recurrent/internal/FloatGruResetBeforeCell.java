package dev.rnn4j.nn.recurrent.internal;

// Generated from DoubleGruResetBeforeCell.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.nn.recurrent.CellKind;
import dev.rnn4j.nn.recurrent.internal.FloatRecurrentEngine.PackedStep;
import dev.rnn4j.nn.recurrent.internal.FloatRecurrentEngine.Trace;

/**
 * The classic GRU cell (Cho et al. 2014) with the reset gate applied to the state before the recurrent product:
 * {@code n = tanh(x W_in^T + b_in + (r h') W_hn^T + b_hn)}. A step needs two recurrent GEMMs, the second one's input
 * {@code r h'} existing only after the first, so {@code W_hh} is packed as its r, z rows and its n rows apart, the
 * pointwise math is composed from the map and elementwise kernels, and the trace keeps {@code r h'} of every step
 * for the gradient of {@code W_hn}.
 */
final class FloatGruResetBeforeCell extends FloatCell {

  FloatGruResetBeforeCell(FloatKernels kernels, int inputSize, int hidden) {
    super(kernels, inputSize, hidden, 3);
  }

  @Override
  public CellKind kind() {
    return CellKind.GRU_RESET_BEFORE;
  }

  @Override
  PackedStep packStep(FloatEngineWeights w, PackedStep reuse) {
    int hd = hidden;
    return new PackedStep(packInputWeights(w, reuse),
        k.packB(true, hd, 2 * hd, w.whh, w.whhOff, hd, reuse == null ? null : reuse.hhT()),
        k.packB(true, hd, hd, w.whh, w.whhOff + 2 * hd * hd, hd, reuse == null ? null : reuse.hhTn()), null);
  }

  @Override
  void packBackward(FloatEngineWeights w) {
    int hd = hidden;
    w.hh = k.packB(false, 2 * hd, hd, w.whh, w.whhOff, hd, w.hh);
    w.hhn = k.packB(false, hd, hd, w.whh, w.whhOff + 2 * hd * hd, hd, w.hhn);
  }

  @Override
  void prepareTrace(Trace tr, int rows, int bh, boolean ragged) {
    tr.aux = FloatRecurrentEngine.ensure(tr.aux, rows * hidden);
    if (ragged) {
      k.fill(rows * hidden, 0, tr.aux, 0);
    }
    tr.tmpA = FloatRecurrentEngine.ensure(tr.tmpA, bh);
  }

  @Override
  int auxWidth() {
    return hidden;
  }

  @Override
  void forwardStep(Step s, FloatEngineWeights w, PackedStep packed) {
    int n = s.n;
    int hd = hidden;
    float[] gates = s.gates;
    int g = s.g;
    // r, z: one GEMM into the first two gate blocks, then sigmoid.
    recurrentGemm(n, 2 * hd, s.hPrev, s.hp, w, packed == null ? null : packed.hhT(), 0, 1, gates, g);
    for (int r = 0; r < n; r++) {
      int row = g + r * gh;
      k.sigmoid(2 * hd, gates, row, gates, row);
      k.mul(hd, gates, row, s.hPrev, s.hp + r * hd, s.aux, (s.row + r) * hd); // r * h_(t-1)
    }
    // n: the second GEMM, on r * h_(t-1).
    recurrentGemm(n, hd, s.aux, s.row * hd, w, packed == null ? null : packed.hhTn(), 2 * hd, 1, gates, g + 2 * hd);
    for (int r = 0; r < n; r++) {
      int row = g + r * gh;
      int hr = s.ho + r * hd;
      k.tanh(hd, gates, row + 2 * hd, gates, row + 2 * hd);
      // h = (1 - z) n + z h' = n + z (h' - n)
      k.sub(hd, s.hPrev, s.hp + r * hd, gates, row + 2 * hd, s.tmp, s.tmpOff);
      k.mul(hd, gates, row + hd, s.tmp, s.tmpOff, s.tmp, s.tmpOff);
      k.add(hd, gates, row + 2 * hd, s.tmp, s.tmpOff, s.h, hr);
    }
  }

  /**
   * One step backward for the first n rows. With a = dh (in dhWork):
   * {@code dz_pre = a (h' - n) z(1-z)}, {@code dn_pre = a (1-z) (1-n^2)}, {@code d(rh) = dn_pre W_hn},
   * {@code dr_pre = d(rh) h' r(1-r)}, {@code dh' = a z + d(rh) r + [dr_pre, dz_pre] W_h(r,z)}.
   */
  @Override
  void backwardStep(Trace tr, FloatEngineWeights w, Step s) {
    int n = s.n;
    int g = s.g;
    int p = s.hp;
    int r0 = s.r0;
    int hd = hidden;
    float[] dG = tr.gateGrads;
    float[] a = tr.dhWork;
    float[] tmp = tr.tmpA;
    float[] drh = tr.tmpB;
    int t0 = r0; // the block's own slice of the [B, H] scratch: tmp uses its first row, drh all its rows
    for (int r = 0; r < n; r++) {
      int row = g + r * gh;
      int sr = r0 + r * hd;
      int hr = p + r * hd;
      // Each gate block is read for the last time by the call that writes its gradient (dG may be tr.gates).
      k.mul(hd, a, sr, tr.gates, row + hd, tr.dhCarry, sr);                 // a z: direct part of dh'
      k.sub(hd, tr.hs, hr, tr.gates, row + 2 * hd, tmp, t0);               // h' - n
      k.mul(hd, a, sr, tmp, t0, tmp, t0);                                   // dL/dz
      k.sigmoidBackward(hd, tr.gates, row + hd, tmp, t0, dG, row + hd);     // dz_pre
      k.sub(hd, a, sr, tr.dhCarry, sr, tmp, t0);                            // a (1 - z) = dL/dn
      k.tanhBackward(hd, tr.gates, row + 2 * hd, tmp, t0, dG, row + 2 * hd); // dn_pre
    }
    k.gemmPacked(false, n, 1, dG, g + 2 * hd, gh, w.hhn, 0, drh, r0, hd);
    for (int r = 0; r < n; r++) {
      int row = g + r * gh;
      int sr = r0 + r * hd;
      k.mul(hd, drh, sr, tr.gates, row, tmp, t0);                           // d(rh) r
      k.add(hd, tr.dhCarry, sr, tmp, t0, tr.dhCarry, sr);
      k.mul(hd, drh, sr, tr.hs, p + r * hd, tmp, t0);                       // dL/dr
      k.sigmoidBackward(hd, tr.gates, row, tmp, t0, dG, row);               // dr_pre
    }
    k.gemmPacked(false, n, 1, dG, g, gh, w.hh, 1, tr.dhCarry, r0, hd);
  }

  /** W_h(r,z) against the previous states, W_hn against the saved {@code r h'}. */
  @Override
  void recurrentWeightGradients(Trace tr, int prevStates, WeightGradients products) {
    int hd = hidden;
    products.add(1, 2 * hd, tr.recurrentGrads, 0, tr.hs, prevStates, 0);
    products.add(2, hd, tr.recurrentGrads, 2 * hd, tr.aux, 0, 2 * hd * hd);
  }
}
