package dev.rnn4j.nn.recurrent.internal;

// Generated from FaultyDoubleCell.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

import dev.rnn4j.nn.recurrent.CellFault;
import dev.rnn4j.nn.recurrent.CellKind;
import dev.rnn4j.nn.recurrent.internal.FloatRecurrentEngine.PackedStep;
import dev.rnn4j.nn.recurrent.internal.FloatRecurrentEngine.Trace;
import java.util.function.UnaryOperator;

/** A correct cell with one {@link CellFault} added: forwards every call to it and breaks one thing. */
public final class FaultyFloatCell extends FloatCell {

  private final FloatCell cell;
  private final CellFault fault;

  private FaultyFloatCell(FloatCell cell, CellFault fault) {
    super(cell.kernels(), cell.inputSize, cell.hidden, cell.gh / cell.hidden, cell.stateWidth);
    this.cell = cell;
    this.fault = fault;
  }

  /** What a runner applies to each of its cells: {@code fault} added, none for {@link CellFault#NONE}. */
  public static UnaryOperator<FloatCell> with(CellFault fault) {
    return fault == CellFault.NONE ? UnaryOperator.identity() : c -> new FaultyFloatCell(c, fault);
  }

  @Override
  public CellKind kind() {
    return cell.kind();
  }

  @Override
  boolean hasCellState() {
    return cell.hasCellState();
  }

  @Override
  void foldBiases(FloatEngineWeights w) {
    cell.foldBiases(w);
  }

  @Override
  PackedStep packStep(FloatEngineWeights w, PackedStep reuse) {
    return cell.packStep(w, reuse);
  }

  @Override
  void packBackward(FloatEngineWeights w) {
    cell.packBackward(w);
  }

  @Override
  void prepareTrace(Trace tr, int rows, int bh, boolean ragged) {
    cell.prepareTrace(tr, rows, bh, ragged);
  }

  @Override
  int recurrentProjectionWidth() {
    return cell.recurrentProjectionWidth();
  }

  @Override
  int auxWidth() {
    return cell.auxWidth();
  }

  @Override
  void forwardStep(Step s, FloatEngineWeights w, PackedStep packed) {
    if (fault == CellFault.SWAP_GATES) {
      swapGates(s.n, s.gates, s.g);
    }
    if (fault == CellFault.PEEPHOLE_ONNX_ORDER && cell instanceof FloatLstmPeepholeCell) {
      // the forward step reads the peephole rows as (p_i, p_o, p_f), ONNX's order; the backward reads them right
      int j = FloatLstmPeepholeCell.WEIGHT_PEEPHOLE;
      float[] saved = w.extras[j];
      int savedOff = w.extrasOff[j];
      float[] swapped = new float[3 * hidden];
      System.arraycopy(saved, savedOff, swapped, 0, hidden);
      System.arraycopy(saved, savedOff + 2 * hidden, swapped, hidden, hidden);
      System.arraycopy(saved, savedOff + hidden, swapped, 2 * hidden, hidden);
      // written into the holder directly: FloatEngineWeights.extra would also drop a streaming step's packed matrices
      w.extras[j] = swapped;
      w.extrasOff[j] = 0;
      try {
        cell.forwardStep(s, w, packed);
      } finally {
        w.extras[j] = saved;
        w.extrasOff[j] = savedOff;
      }
      return;
    }
    cell.forwardStep(s, w, packed);
  }

  private void swapGates(int n, float[] gates, int g) {
    for (int r = 0; r < n; r++) {
      int row = g + r * gh;
      if (gh > hidden) {
        for (int j = 0; j < hidden; j++) {
          float t = gates[row + j];
          gates[row + j] = gates[row + hidden + j];
          gates[row + hidden + j] = t;
        }
      } else {
        float t = gates[row];
        gates[row] = gates[row + hidden - 1];
        gates[row + hidden - 1] = t;
      }
    }
  }

  @Override
  boolean backwardReadsGates() {
    return cell.backwardReadsGates();
  }

  @Override
  void startBackward(Trace tr, int rows, boolean inPlace) {
    cell.startBackward(tr, rows, inPlace);
  }

  @Override
  void backwardStep(Trace tr, FloatEngineWeights w, Step s) {
    cell.backwardStep(tr, w, s);
  }

  @Override
  void otherWeightGradients(Trace tr, FloatEngineWeights grads, OtherGradients products) {
    if (fault == CellFault.DROP_PROJECTION_GRAD || fault == CellFault.DROP_PEEPHOLE_GRAD) {
      return;
    }
    cell.otherWeightGradients(tr, grads, products);
  }

  @Override
  void recurrentWeightGradients(Trace tr, int prevStates, WeightGradients products) {
    if (fault == CellFault.TIME_OFF_BY_ONE) {
      // The states each step wrote are one slot after its previous states (forward), one slot before (reverse).
      int bh = tr.batch * stateWidth;
      prevStates += tr.reverse ? -bh : bh;
    }
    cell.recurrentWeightGradients(tr, prevStates, products);
  }

  @Override
  float[] recurrentBiasGradients(Trace tr) {
    if (fault == CellFault.DROP_BIAS_GRAD) {
      return new float[tr.steps * tr.batch * gh]; // column sums of zeros: bias_hh's gradient gains nothing
    }
    return cell.recurrentBiasGradients(tr);
  }
}
