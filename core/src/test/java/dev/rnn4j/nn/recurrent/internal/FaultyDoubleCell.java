package dev.rnn4j.nn.recurrent.internal;

// rnn4j:generate-float

import dev.rnn4j.nn.recurrent.CellFault;
import dev.rnn4j.nn.recurrent.CellKind;
import dev.rnn4j.nn.recurrent.internal.DoubleRecurrentEngine.PackedStep;
import dev.rnn4j.nn.recurrent.internal.DoubleRecurrentEngine.Trace;
import java.util.function.UnaryOperator;

/** A correct cell with one {@link CellFault} added: forwards every call to it and breaks one thing. */
public final class FaultyDoubleCell extends DoubleCell {

  private final DoubleCell cell;
  private final CellFault fault;

  private FaultyDoubleCell(DoubleCell cell, CellFault fault) {
    super(cell.kernels(), cell.inputSize, cell.hidden, cell.gh / cell.hidden, cell.stateWidth);
    this.cell = cell;
    this.fault = fault;
  }

  /** What a runner applies to each of its cells: {@code fault} added, none for {@link CellFault#NONE}. */
  public static UnaryOperator<DoubleCell> with(CellFault fault) {
    return fault == CellFault.NONE ? UnaryOperator.identity() : c -> new FaultyDoubleCell(c, fault);
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
  void foldBiases(DoubleEngineWeights w) {
    cell.foldBiases(w);
  }

  @Override
  PackedStep packStep(DoubleEngineWeights w, PackedStep reuse) {
    return cell.packStep(w, reuse);
  }

  @Override
  void packBackward(DoubleEngineWeights w) {
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
  void forwardStep(Step s, DoubleEngineWeights w, PackedStep packed) {
    if (fault == CellFault.SWAP_GATES) {
      swapGates(s.n, s.gates, s.g);
    }
    if (fault == CellFault.PEEPHOLE_ONNX_ORDER && cell instanceof DoubleLstmPeepholeCell) {
      // the forward step reads the peephole rows as (p_i, p_o, p_f), ONNX's order; the backward reads them right
      int j = DoubleLstmPeepholeCell.WEIGHT_PEEPHOLE;
      double[] saved = w.extras[j];
      int savedOff = w.extrasOff[j];
      double[] swapped = new double[3 * hidden];
      System.arraycopy(saved, savedOff, swapped, 0, hidden);
      System.arraycopy(saved, savedOff + 2 * hidden, swapped, hidden, hidden);
      System.arraycopy(saved, savedOff + hidden, swapped, 2 * hidden, hidden);
      // written into the holder directly: DoubleEngineWeights.extra would also drop a streaming step's packed matrices
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

  private void swapGates(int n, double[] gates, int g) {
    for (int r = 0; r < n; r++) {
      int row = g + r * gh;
      if (gh > hidden) {
        for (int j = 0; j < hidden; j++) {
          double t = gates[row + j];
          gates[row + j] = gates[row + hidden + j];
          gates[row + hidden + j] = t;
        }
      } else {
        double t = gates[row];
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
  void backwardStep(Trace tr, DoubleEngineWeights w, Step s) {
    cell.backwardStep(tr, w, s);
  }

  @Override
  void otherWeightGradients(Trace tr, DoubleEngineWeights grads, OtherGradients products) {
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
  double[] recurrentBiasGradients(Trace tr) {
    if (fault == CellFault.DROP_BIAS_GRAD) {
      return new double[tr.steps * tr.batch * gh]; // column sums of zeros: bias_hh's gradient gains nothing
    }
    return cell.recurrentBiasGradients(tr);
  }
}
