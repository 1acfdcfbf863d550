package dev.rnn4j.nn.recurrent;

/** PyTorch's {@code nn.RNNCell}: one Elman step, see {@link RNN} for the equations. */
public final class RNNCell extends RecurrentCell {

  /** A cell with the given options (sizes, bias, dtype, seed and the variant options apply). */
  public RNNCell(RecurrentOptions options) {
    super("RNNCell", RecurrentOptions.rnnKind(options, "RNNCell"), options);
  }

  /** A float32 cell with biases. */
  public RNNCell(int inputSize, int hiddenSize) {
    this(RecurrentOptions.sized("RNNCell", inputSize, hiddenSize));
  }
}
