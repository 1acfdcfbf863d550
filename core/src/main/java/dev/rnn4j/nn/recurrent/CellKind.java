package dev.rnn4j.nn.recurrent;

/**
 * The recurrent cell a layer runs, with its number of gate blocks G (the rows of {@code weight_ih} and
 * {@code weight_hh} are G * hidden).
 */
public enum CellKind {
  /** Elman RNN, {@code h = tanh(W_ih x + b_ih + W_hh h' + b_hh)}. */
  RNN_TANH(1),
  /** Elman RNN with relu, {@code h = relu(W_ih x + b_ih + W_hh h' + b_hh)}. */
  RNN_RELU(1),
  /** LSTM with gates (i, f, g, o) in PyTorch's order. */
  LSTM(4),
  /** GRU with gates (r, z, n), reset applied after the recurrent product (PyTorch, cuDNN). */
  GRU(3),
  /** GRU with the reset gate applied to the state before the recurrent product (Cho et al. 2014). */
  GRU_RESET_BEFORE(3);

  private final int gates;

  CellKind(int gates) {
    this.gates = gates;
  }

  /** The number of gate blocks G. */
  public int gates() {
    return gates;
  }

  /** True for the LSTM, the only cell with a second state (the cell state c). */
  public boolean hasCellState() {
    return this == LSTM;
  }

  /** True for both GRU variants. */
  public boolean isGru() {
    return this == GRU || this == GRU_RESET_BEFORE;
  }
}
