package dev.rnn4j.nn.recurrent;

import java.io.IOException;
import java.nio.file.Path;

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

  /**
   * Rebuilds a {@code RNN} saved with its configuration ({@link RecurrentLayer#save(Path, java.util.Map)}); see
   * {@link RecurrentLayer#load(Path)}.
   *
   * @throws IllegalArgumentException if the file holds another model (the message names both) or no configuration
   * @throws IOException if the file cannot be read or is not well-formed
   */
  public static RNN load(Path path) throws IOException {
    return (RNN) RecurrentLayer.load("RNN.load", path, "RNN");
  }
}
