package dev.rnn4j.nn.recurrent.internal;

// rnn4j:generate-float

import dev.rnn4j.kernels.DoubleKernels;
import dev.rnn4j.nn.recurrent.internal.DoubleRecurrentEngine.PackedStep;
import dev.rnn4j.nn.recurrent.internal.DoubleRecurrentEngine.Trace;

/**
 * The LSTM cell with peephole connections (Gers and Schmidhuber 2000; ONNX's and oneDNN's {@code P}, DL4J's
 * GravesLSTM): the input and forget gates also see the previous cell state and the output gate the new one, through
 * per-unit weights {@code weight_peephole} [3, H] with rows (p_i, p_f, p_o):
 * {@code i = sigmoid(.. + p_i c')}, {@code f = sigmoid(.. + p_f c')}, {@code o = sigmoid(.. + p_o c)}.
 *
 * <p>Forward, per row: the peephole terms of i and f are added to the pre-activations ({@code mul}, {@code add}); then
 * the map kernels compute the activations of i, f and g and {@code c = f c' + i g}, then {@code o = sigmoid(p_o c +
 * o_pre)} and {@code h = o tanh(c)}. Not {@link DoubleKernels#lstmForward}: it would compute o and h from o_pre alone,
 * which the cell would then compute again. Each element gets the bits of the scalar spec's {@code lstmForward}
 * formula with the peephole terms added (the same operations in the same order; the Vector API kernels' fused LSTM
 * step is built from the same maps), so the results are those the fused kernel plus a recomputation gave.
 *
 * <p>Backward, per step: {@code lstmBackward}'s {@code do = dh tanh(c) o(1-o)} is already right, but the gradient
 * reaching c also has the path through o, {@code do p_o}: it is added to the carried cell-state gradient before the
 * kernel runs (which then sees the complete {@code dcTotal}); after it, the paths through i and f into c',
 * {@code di p_i + df p_f}, are added to the gradient carried to the previous step. The products
 * {@code (di c', df c', do c)} of every row are kept ([T*B, 3H], the trace's {@code dStates}) and summed over all rows
 * at the end: the gradient of {@code weight_peephole}, one column-sum call whatever the thread count.
 */
public final class DoubleLstmPeepholeCell extends DoubleLstmCell {

  /** Its gates also read the cell state (the peepholes), which {@link #forwardUnits} does not: not split by units. */
  @Override
  boolean computesUnitRanges() {
    return false;
  }

  /** The index of {@code weight_peephole} among the extra parameters ({@link CellVariant#LSTM_PEEPHOLE}). */
  public static final int WEIGHT_PEEPHOLE = 0;

  DoubleLstmPeepholeCell(DoubleKernels kernels, int inputSize, int hidden) {
    super(kernels, inputSize, hidden, hidden);
  }

  @Override
  void prepareTrace(Trace tr, int rows, int bh, boolean ragged) {
    // one scratch row per batch row (a block uses the row at its own offset)
    tr.tmpA = DoubleRecurrentEngine.ensure(tr.tmpA, bh);
  }

  @Override
  void forwardStep(Step s, DoubleEngineWeights w, PackedStep packed) {
    int hd = hidden;
    double[] p = w.extras[WEIGHT_PEEPHOLE];
    int pi = w.extrasOff[WEIGHT_PEEPHOLE];
    int pf = pi + hd;
    int po = pf + hd;
    double[] gates = s.gates;
    double[] tmp = s.tmp;
    int t0 = s.tmpOff;
    recurrentGemm(s.n, gh, s.hPrev, s.hp, w, packed == null ? null : packed.hhT(), 0, 1, gates, s.g);
    for (int r = 0; r < s.n; r++) {
      int g = s.g + r * gh;
      int cp = s.cp + r * hd;
      int co = s.co + r * hd;
      int ho = s.ho + r * hd;
      // i and f see c' (read before this row's c is written: c may be the same range as c')
      k.mul(hd, p, pi, s.cPrev, cp, tmp, t0);
      k.add(hd, gates, g, tmp, t0, gates, g);
      k.mul(hd, p, pf, s.cPrev, cp, tmp, t0);
      k.add(hd, gates, g + hd, tmp, t0, gates, g + hd);
      // the LSTM's activations and c = f c' + i g, each in the spec's order of operations (f c' first)
      k.sigmoid(2 * hd, gates, g, gates, g);
      k.tanh(hd, gates, g + 2 * hd, gates, g + 2 * hd);
      k.mul(hd, gates, g + hd, s.cPrev, cp, tmp, t0);
      k.mul(hd, gates, g, gates, g + 2 * hd, s.c, co);
      k.add(hd, tmp, t0, s.c, co, s.c, co);
      // o sees c: o = sigmoid(p_o c + o_pre), h = o tanh(c)
      k.mul(hd, p, po, s.c, co, tmp, t0);
      k.add(hd, tmp, t0, gates, g + 3 * hd, gates, g + 3 * hd);
      k.sigmoid(hd, gates, g + 3 * hd, gates, g + 3 * hd);
      k.tanh(hd, s.c, co, tmp, t0);
      k.mul(hd, gates, g + 3 * hd, tmp, t0, s.h, ho);
    }
  }

  @Override
  void startBackward(Trace tr, int rows, boolean inPlace) {
    super.startBackward(tr, rows, inPlace);
    tr.dStates = DoubleRecurrentEngine.ensure(tr.dStates, rows * 3 * hidden);
    if (tr.ragged()) {
      // Rows past a sequence's end get no products; they enter the column sums as zeros.
      k.fill(rows * 3 * hidden, 0, tr.dStates, 0);
    }
    tr.tmpA = DoubleRecurrentEngine.ensure(tr.tmpA, tr.batch * hidden);
  }

  @Override
  void backwardStep(Trace tr, DoubleEngineWeights w, Step s) {
    int n = s.n;
    int hd = hidden;
    double[] p = w.extras[WEIGHT_PEEPHOLE];
    int pi = w.extrasOff[WEIGHT_PEEPHOLE];
    int pf = pi + hd;
    int po = pf + hd;
    double[] tmp = tr.tmpA;
    int t0 = s.c0;
    double[] dc = tr.dcCarry;
    // the path through o into c: dc += (dh tanh(c) o(1-o)) p_o, before the kernel forms dcTotal
    for (int r = 0; r < n; r++) {
      int g = s.g + r * gh + 3 * hd;
      int co = s.co + r * hd;
      int cr = s.c0 + r * hd;
      k.tanh(hd, tr.cs, co, tmp, t0);
      k.mul(hd, tr.dhWork, s.r0 + r * hd, tmp, t0, tmp, t0);
      k.sigmoidBackward(hd, tr.gates, g, tmp, t0, tmp, t0);
      k.mul(hd, p, po, tmp, t0, tmp, t0);
      k.add(hd, dc, cr, tmp, t0, dc, cr);
    }
    double[] dG = tr.gateGrads;
    k.lstmBackward(n, hd, tr.gates, s.g, tr.cs, s.cp, tr.cs, s.co, tr.dhWork, s.r0, dc, s.c0, dG, s.g);
    double[] prod = tr.dStates;
    for (int r = 0; r < n; r++) {
      int g = s.g + r * gh;
      int cp = s.cp + r * hd;
      int cr = s.c0 + r * hd;
      int q = (s.row + r) * 3 * hd;
      // the paths through i and f into c': dc' += di p_i + df p_f
      k.mul(hd, dG, g, p, pi, tmp, t0);
      k.add(hd, dc, cr, tmp, t0, dc, cr);
      k.mul(hd, dG, g + hd, p, pf, tmp, t0);
      k.add(hd, dc, cr, tmp, t0, dc, cr);
      // this row's terms of the weight_peephole gradient: di c', df c', do c
      k.mul(hd, dG, g, tr.cs, cp, prod, q);
      k.mul(hd, dG, g + hd, tr.cs, cp, prod, q + hd);
      k.mul(hd, dG, g + 3 * hd, tr.cs, s.co + r * hd, prod, q + 2 * hd);
    }
    k.gemmPacked(false, n, 1, dG, s.g, gh, w.hh, 0, tr.dhCarry, s.r0, hd);
  }

  /** {@code dP += } the column sums of the kept products over all T*B rows (one call, on the calling thread). */
  @Override
  void otherWeightGradients(Trace tr, DoubleEngineWeights grads, OtherGradients products) {
    k.addColumnSums(tr.steps * tr.batch, 3 * hidden, tr.dStates, 0, 3 * hidden, grads.extras[WEIGHT_PEEPHOLE], grads.extrasOff[WEIGHT_PEEPHOLE]);
  }
}
