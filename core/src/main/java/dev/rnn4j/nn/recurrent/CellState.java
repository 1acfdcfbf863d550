package dev.rnn4j.nn.recurrent;

import dev.rnn4j.tensor.Tensor;

/**
 * The state of a single-step cell: h [B, H], and for the LSTM the cell state c [B, H] (null otherwise).
 *
 * @param h hidden state
 * @param c cell state (LSTM) or null
 */
public record CellState(Tensor h, Tensor c) {}
