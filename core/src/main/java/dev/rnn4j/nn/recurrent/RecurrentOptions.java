package dev.rnn4j.nn.recurrent;

import dev.rnn4j.tensor.DType;
import java.util.Objects;

/**
 * Options of a recurrent layer ({@link LSTM}, {@link GRU}, {@link RNN}), named and defaulted as in PyTorch.
 * Fluent and mutable; the layer copies what it needs at construction.
 *
 * <pre>{@code
 * LSTM lstm = new LSTM(new RecurrentOptions(64, 128).numLayers(2).bidirectional(true).seed(7));
 * }</pre>
 */
public final class RecurrentOptions {

  /** The nonlinearity of a plain {@link RNN}. */
  public enum Nonlinearity { TANH, RELU }

  int inputSize;
  int hiddenSize;
  int numLayers = 1;
  boolean bias = true;
  boolean batchFirst;
  double dropout;
  boolean bidirectional;
  MergeMode merge = MergeMode.CONCAT;
  Nonlinearity nonlinearity = Nonlinearity.TANH;
  boolean resetAfter = true;
  DType dtype = DType.FLOAT32;
  long seed = 0;

  /** Options for input width {@code inputSize} and state width {@code hiddenSize}; everything else at defaults. */
  public RecurrentOptions(int inputSize, int hiddenSize) {
    this.inputSize = inputSize;
    this.hiddenSize = hiddenSize;
  }

  /** Stacked layers (default 1). */
  public RecurrentOptions numLayers(int n) {
    this.numLayers = n;
    return this;
  }

  /** Whether the layers have bias_ih and bias_hh (default true). */
  public RecurrentOptions bias(boolean on) {
    this.bias = on;
    return this;
  }

  /** Input and output as [B, T, *] instead of [T, B, *] (default false). */
  public RecurrentOptions batchFirst(boolean on) {
    this.batchFirst = on;
    return this;
  }

  /** Dropout probability on the outputs of every layer except the last, in training mode (default 0). */
  public RecurrentOptions dropout(double p) {
    this.dropout = p;
    return this;
  }

  /** A second, reverse direction per layer (default false). */
  public RecurrentOptions bidirectional(boolean on) {
    this.bidirectional = on;
    return this;
  }

  /** How a bidirectional layer merges its directions (default {@link MergeMode#CONCAT}). */
  public RecurrentOptions merge(MergeMode mode) {
    this.merge = Objects.requireNonNull(mode, "merge");
    return this;
  }

  /** {@link RNN} only: tanh (default) or relu. */
  public RecurrentOptions nonlinearity(Nonlinearity n) {
    this.nonlinearity = Objects.requireNonNull(n, "nonlinearity");
    return this;
  }

  /** {@link GRU} only: reset gate after the recurrent product (default true, PyTorch/cuDNN) or before (classic). */
  public RecurrentOptions resetAfter(boolean on) {
    this.resetAfter = on;
    return this;
  }

  /** Parameter dtype (default float32). */
  public RecurrentOptions dtype(DType d) {
    this.dtype = Objects.requireNonNull(d, "dtype");
    return this;
  }

  /** Seed of the weight initialisation and the dropout masks (default 0). */
  public RecurrentOptions seed(long s) {
    this.seed = s;
    return this;
  }

  RecurrentConfig toConfig(String name, CellKind kind) {
    return new RecurrentConfig(name, kind, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout,
        bidirectional, merge);
  }
}
