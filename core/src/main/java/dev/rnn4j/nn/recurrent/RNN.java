package dev.rnn4j.nn.recurrent;

/**
 * Multi-layer Elman RNN over sequences, as PyTorch's {@code nn.RNN}:
 * {@code h = act(W_ih x + b_ih + W_hh h' + b_hh)} with act tanh (default) or relu
 * ({@link RecurrentOptions#nonlinearity}).
 */
public final class RNN extends RecurrentLayer {

  /** An RNN with the given options. */
  public RNN(RecurrentOptions options) {
    super("RNN", RecurrentOptions.rnnKind(options, "RNN"), options);
  }

  /** A one-layer, unidirectional float32 tanh RNN with biases. */
  public RNN(int inputSize, int hiddenSize) {
    this(RecurrentOptions.sized("RNN", inputSize, hiddenSize));
  }
}
