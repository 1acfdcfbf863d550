package dev.rnn4j.nn.recurrent.internal;

// rnn4j:generate-float

import dev.rnn4j.kernels.DoubleKernels;
import dev.rnn4j.nn.recurrent.internal.DoubleRecurrentEngine.PackedStep;
import dev.rnn4j.nn.recurrent.internal.DoubleRecurrentEngine.Trace;

/**
 * The LSTM cell with a projection of its output (PyTorch's {@code proj_size}, Sak et al. 2014): the gates and the cell
 * state are those of {@link DoubleLstmCell} with H units, but the state it outputs and feeds back is
 * {@code h = W_hr (o * tanh(c))}, P wide, with {@code weight_hr} [P, H]; so {@code weight_hh} is [4H, P].
 *
 * <p>A step is the LSTM step into the trace's {@code aux} rows ({@code m = o * tanh(c)}, [T*B, H], kept for the
 * gradient of W_hr) followed by one GEMM {@code h = m W_hr^T}. Backward: {@code dm = dh W_hr}, then the LSTM's fused backward
 * with dm as its state gradient; each step's dh is kept ({@code dStates}, [T*B, P]) so that
 * {@code dW_hr = dh^T m} is one GEMM over all rows at the end.
 */
public final class DoubleLstmProjectionCell extends DoubleLstmCell {

  /** Its state h projects all units' outputs, so no range of units computes its part of h alone: not split. */
  @Override
  boolean computesUnitRanges() {
    return false;
  }

  /** The index of {@code weight_hr} among the extra parameters ({@link CellVariant#LSTM_PROJECTION}). */
  public static final int WEIGHT_HR = 0;

  DoubleLstmProjectionCell(DoubleKernels kernels, int inputSize, int hidden, int projSize) {
    super(kernels, inputSize, hidden, projSize);
  }

  @Override
  PackedStep packStep(DoubleEngineWeights w, PackedStep reuse) {
    PackedStep lstm = super.packStep(w, reuse);
    return new PackedStep(lstm.ihT(), lstm.hhT(), null,
        k.packB(true, hidden, stateWidth, w.extras[WEIGHT_HR], w.extrasOff[WEIGHT_HR], hidden, reuse == null ? null : reuse.extraT()));
  }

  @Override
  void packBackward(DoubleEngineWeights w) {
    super.packBackward(w);
    w.extraPacked = k.packB(false, stateWidth, hidden, w.extras[WEIGHT_HR], w.extrasOff[WEIGHT_HR], hidden, w.extraPacked);
  }

  @Override
  void prepareTrace(Trace tr, int rows, int bh, boolean ragged) {
    tr.aux = DoubleRecurrentEngine.ensure(tr.aux, rows * hidden);
    if (ragged) {
      // Rows past a sequence's end meet zero gradients in the W_hr product and must be finite.
      k.fill(rows * hidden, 0, tr.aux, 0);
    }
  }

  @Override
  int auxWidth() {
    return hidden;
  }

  @Override
  void forwardStep(Step s, DoubleEngineWeights w, PackedStep packed) {
    int n = s.n;
    int m = s.row * hidden;
    recurrentGemm(n, gh, s.hPrev, s.hp, w, packed == null ? null : packed.hhT(), 0, 1, s.gates, s.g);
    k.lstmForward(n, hidden, s.gates, s.g, s.cPrev, s.cp, s.c, s.co, s.aux, m);
    if (packed != null) {
      k.gemmPacked(false, n, 1, s.aux, m, hidden, packed.extraT(), 0, s.h, s.ho, stateWidth);
    } else {
      k.gemm(false, true, n, stateWidth, hidden, 1, s.aux, m, hidden, w.extras[WEIGHT_HR], w.extrasOff[WEIGHT_HR], hidden, 0, s.h, s.ho,
          stateWidth);
    }
  }

  @Override
  void startBackward(Trace tr, int rows, boolean inPlace) {
    super.startBackward(tr, rows, inPlace);
    tr.dStates = DoubleRecurrentEngine.ensure(tr.dStates, rows * stateWidth);
    if (tr.ragged()) {
      // Only running rows get a state gradient; the others enter the W_hr product as zeros.
      k.fill(rows * stateWidth, 0, tr.dStates, 0);
    }
    // dm of a block's rows, at the block's offset in a [B, H] scratch
    tr.tmpA = DoubleRecurrentEngine.ensure(tr.tmpA, tr.batch * hidden);
  }

  @Override
  void backwardStep(Trace tr, DoubleEngineWeights w, Step s) {
    int n = s.n;
    k.copy(n * stateWidth, tr.dhWork, s.r0, tr.dStates, s.row * stateWidth);
    k.gemmPacked(false, n, 1, tr.dhWork, s.r0, stateWidth, w.extraPacked, 0, tr.tmpA, s.c0, hidden); // dm = dh W_hr
    double[] dG = tr.gateGrads;
    k.lstmBackward(n, hidden, tr.gates, s.g, tr.cs, s.cp, tr.cs, s.co, tr.tmpA, s.c0, tr.dcCarry, s.c0, dG, s.g);
    k.gemmPacked(false, n, 1, dG, s.g, gh, w.hh, 0, tr.dhCarry, s.r0, stateWidth);
  }

  /** {@code dW_hr += dh^T m} over all T*B rows. */
  @Override
  void otherWeightGradients(Trace tr, DoubleEngineWeights grads, OtherGradients products) {
    products.add(2, stateWidth, tr.dStates, stateWidth, tr.aux, hidden, grads.extras[WEIGHT_HR], grads.extrasOff[WEIGHT_HR]);
  }
}
