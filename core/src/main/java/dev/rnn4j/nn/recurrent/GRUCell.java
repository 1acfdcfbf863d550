package dev.rnn4j.nn.recurrent;

/** PyTorch's {@code nn.GRUCell}: one GRU step, see {@link GRU} for the equations. */
public final class GRUCell extends RecurrentCell {

  /** A cell with the given options (sizes, bias, dtype, seed and the variant options apply). */
  public GRUCell(RecurrentOptions options) {
    super("GRUCell", RecurrentOptions.gruKind(options, "GRUCell"), options);
  }

  /** A float32 cell with biases. */
  public GRUCell(int inputSize, int hiddenSize) {
    this(RecurrentOptions.sized("GRUCell", inputSize, hiddenSize));
  }
}
