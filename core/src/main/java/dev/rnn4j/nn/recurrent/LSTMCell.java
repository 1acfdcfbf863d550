package dev.rnn4j.nn.recurrent;

/** PyTorch's {@code nn.LSTMCell}: one LSTM step, see {@link LSTM} for the equations. */
public final class LSTMCell extends RecurrentCell {

  /** A cell with the given options (sizes, bias, dtype, seed and the variant options apply). */
  public LSTMCell(RecurrentOptions options) {
    super("LSTMCell", CellKind.LSTM, options);
  }

  /** A float32 cell with biases. */
  public LSTMCell(int inputSize, int hiddenSize) {
    this(RecurrentOptions.sized("LSTMCell", inputSize, hiddenSize));
  }
}
