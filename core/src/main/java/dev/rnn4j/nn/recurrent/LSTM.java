package dev.rnn4j.nn.recurrent;

/**
 * Multi-layer LSTM over sequences, as PyTorch's {@code nn.LSTM}: per step, with gates in the order (i, f, g, o),
 * <pre>
 * i = sigmoid(W_ii x + b_ii + W_hi h' + b_hi)     f = sigmoid(W_if x + b_if + W_hf h' + b_hf)
 * g = tanh(W_ig x + b_ig + W_hg h' + b_hg)        o = sigmoid(W_io x + b_io + W_ho h' + b_ho)
 * c = f * c' + i * g                              h = o * tanh(c)
 * </pre>
 * See {@link RecurrentLayer} for the parameters, {@link RecurrentOptions} for the options.
 */
public final class LSTM extends RecurrentLayer {

  /** An LSTM with the given options. */
  public LSTM(RecurrentOptions options) {
    super("LSTM", CellKind.LSTM, options);
  }

  /** A one-layer, unidirectional float32 LSTM with biases. */
  public LSTM(int inputSize, int hiddenSize) {
    this(RecurrentOptions.sized("LSTM", inputSize, hiddenSize));
  }
}
