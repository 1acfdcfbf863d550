package dev.rnn4j.nn.recurrent;

import dev.rnn4j.nn.recurrent.internal.FaultyDoubleCell;
import dev.rnn4j.nn.recurrent.internal.FaultyFloatCell;

/**
 * Deliberate defects that {@link FaultyDoubleCell} and {@link FaultyFloatCell} put into a correct cell, for tests
 * that show the properties catch real bugs.
 */
public enum CellFault {
  NONE,
  /**
   * Forward: the first two gate blocks of each step's input projection are swapped (for one-gate cells the first and
   * last unit), as if the rows of {@code weight_ih} and the folded bias were in the wrong gate order.
   */
  SWAP_GATES,
  /** Backward: the recurrent weight gradient pairs step t's gate gradients with h_t instead of h_(t-1). */
  TIME_OFF_BY_ONE,
  /** Backward: the gradient of {@code bias_hh} is not accumulated. */
  DROP_BIAS_GRAD,
  /** Backward: the gradient of an LSTM's projection {@code weight_hr} is not accumulated. */
  DROP_PROJECTION_GRAD,
  /**
   * Forward: the peephole weights are read in ONNX's row order (p_i, p_o, p_f) instead of (p_i, p_f, p_o), so the
   * forget and output gates see each other's weights (the backward reads them right).
   */
  PEEPHOLE_ONNX_ORDER,
  /** Backward: the gradient of an LSTM's {@code weight_peephole} is not accumulated. */
  DROP_PEEPHOLE_GRAD
}
