package dev.rnn4j.nn.recurrent;

import java.io.IOException;
import java.nio.file.Path;

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

  /**
   * Rebuilds a {@code LSTM} saved with its configuration ({@link RecurrentLayer#save(Path, java.util.Map)}); see
   * {@link RecurrentLayer#load(Path)}.
   *
   * @throws IllegalArgumentException if the file holds another model (the message names both) or no configuration
   * @throws IOException if the file cannot be read or is not well-formed
   */
  public static LSTM load(Path path) throws IOException {
    return (LSTM) RecurrentLayer.load("LSTM.load", path, "LSTM");
  }
}
