package dev.rnn4j.nn.recurrent;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Multi-layer GRU over sequences, as PyTorch's {@code nn.GRU}: per step, with gates in the order (r, z, n),
 * <pre>
 * r = sigmoid(W_ir x + b_ir + W_hr h' + b_hr)     z = sigmoid(W_iz x + b_iz + W_hz h' + b_hz)
 * n = tanh(W_in x + b_in + r * (W_hn h' + b_hn))  h = (1 - z) * n + z * h'
 * </pre>
 * With {@link RecurrentOptions#resetAfter(boolean) resetAfter(false)} the classic variant (Cho et al. 2014) applies
 * the reset gate before the recurrent product: {@code n = tanh(W_in x + b_in + W_hn (r * h') + b_hn)}; it costs a
 * second recurrent GEMM per step, since r * h' exists only after the first.
 */
public final class GRU extends RecurrentLayer {

  /** A GRU with the given options. */
  public GRU(RecurrentOptions options) {
    super("GRU", RecurrentOptions.gruKind(options, "GRU"), options);
  }

  /** A one-layer, unidirectional float32 GRU with biases, reset after the recurrent product. */
  public GRU(int inputSize, int hiddenSize) {
    this(RecurrentOptions.sized("GRU", inputSize, hiddenSize));
  }

  /**
   * Rebuilds a {@code GRU} saved with its configuration ({@link RecurrentLayer#save(Path, java.util.Map)}); see
   * {@link RecurrentLayer#load(Path)}.
   *
   * @throws IllegalArgumentException if the file holds another model (the message names both) or no configuration
   * @throws IOException if the file cannot be read or is not well-formed
   */
  public static GRU load(Path path) throws IOException {
    return (GRU) RecurrentLayer.load("GRU.load", path, "GRU");
  }
}
