package dev.rnn4j.nn.recurrent;

import dev.rnn4j.tensor.Checks;
import dev.rnn4j.tensor.DType;

/**
 * Options of a recurrent layer ({@link LSTM}, {@link GRU}, {@link RNN}), named and defaulted as in PyTorch.
 * Fluent and mutable; the layer copies what it needs at construction. Each setter checks its own argument (null,
 * out of range) and throws {@link IllegalArgumentException} naming the option and the value; the layer checks the
 * combination (sizes that would overflow an array, an option its cell does not have).
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
  int projSize;
  boolean peephole;
  DType dtype = DType.FLOAT32;
  long seed = 0;

  /** Options for input width {@code inputSize} and state width {@code hiddenSize}; everything else at defaults. */
  public RecurrentOptions(int inputSize, int hiddenSize) {
    this("RecurrentOptions", inputSize, hiddenSize);
  }

  /** The same, with errors naming {@code owner} (a layer's convenience constructor). */
  private RecurrentOptions(String owner, int inputSize, int hiddenSize) {
    this.inputSize = Checks.positive(inputSize, owner, "inputSize");
    this.hiddenSize = Checks.positive(hiddenSize, owner, "hiddenSize");
  }

  /** Default options for a layer's {@code (inputSize, hiddenSize)} constructor, with errors naming the layer. */
  static RecurrentOptions sized(String layer, int inputSize, int hiddenSize) {
    return new RecurrentOptions(layer, inputSize, hiddenSize);
  }

  /** Stacked layers, >= 1 (default 1). */
  public RecurrentOptions numLayers(int n) {
    this.numLayers = Checks.positive(n, "RecurrentOptions", "numLayers");
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

  /** Dropout probability in [0, 1) on the outputs of every layer except the last, in training mode (default 0). */
  public RecurrentOptions dropout(double p) {
    if (!(p >= 0 && p < 1)) {
      throw new IllegalArgumentException("RecurrentOptions: dropout must be in [0, 1), got " + p);
    }
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
    this.merge = Checks.notNull(mode, "RecurrentOptions", "merge");
    return this;
  }

  /**
   * {@link RNN} and {@link RNNCell} only: tanh (default) or relu. The other layers reject {@code RELU} at construction
   * rather than ignore it.
   */
  public RecurrentOptions nonlinearity(Nonlinearity n) {
    this.nonlinearity = Checks.notNull(n, "RecurrentOptions", "nonlinearity");
    return this;
  }

  /**
   * {@link GRU} and {@link GRUCell} only: reset gate after the recurrent product (default true, PyTorch/cuDNN) or
   * before (classic). The other layers reject {@code false} at construction rather than ignore it.
   */
  public RecurrentOptions resetAfter(boolean on) {
    this.resetAfter = on;
    return this;
  }

  /**
   * {@link LSTM} only: the width P of the projected state, PyTorch's {@code proj_size} (default 0, no projection).
   * With P in [1, hiddenSize) each layer has a {@code weight_hr} [P, H], the state h and the output of a direction are
   * P wide ({@code h = W_hr (o * tanh(c))}), {@code weight_hh} is [4H, P] and the cell state stays H wide. The other
   * layers and the single-step cells reject a projection at construction.
   */
  public RecurrentOptions projSize(int p) {
    if (p < 0) {
      throw new IllegalArgumentException("RecurrentOptions: projSize must be >= 0 (0: no projection), got " + p);
    }
    this.projSize = p;
    return this;
  }

  /**
   * {@link LSTM} only: peephole connections (Gers and Schmidhuber 2000; default false). Each layer and direction gets
   * {@code weight_peephole} [3, H] with rows (p_i, p_f, p_o): the input and forget gates add {@code p_i * c'} and
   * {@code p_f * c'} (the previous cell state), the output gate {@code p_o * c} (the new one). Not combinable with
   * {@link #projSize}: a layer with both is rejected at construction. The other layers and the single-step cells
   * reject the option.
   */
  public RecurrentOptions peephole(boolean on) {
    this.peephole = on;
    return this;
  }

  /** Parameter dtype (default float32). */
  public RecurrentOptions dtype(DType d) {
    this.dtype = Checks.notNull(d, "RecurrentOptions", "dtype");
    return this;
  }

  /** Seed of the weight initialisation and the dropout masks (default 0). */
  public RecurrentOptions seed(long s) {
    this.seed = s;
    return this;
  }

  /** {@code options} itself; an {@link IllegalArgumentException} naming the layer when it is null. */
  static RecurrentOptions checked(RecurrentOptions options, String layer) {
    return Checks.notNull(options, layer, "options");
  }

  /** The plain RNN cell the options ask for (tanh or relu). */
  static CellKind rnnKind(RecurrentOptions options, String layer) {
    return checked(options, layer).nonlinearity == Nonlinearity.RELU ? CellKind.RNN_RELU : CellKind.RNN_TANH;
  }

  /** The GRU variant the options ask for (reset after or before the recurrent product). */
  static CellKind gruKind(RecurrentOptions options, String layer) {
    return checked(options, layer).resetAfter ? CellKind.GRU : CellKind.GRU_RESET_BEFORE;
  }

  /**
   * Rejects the variant options that {@code kind} does not have (a relu nonlinearity on an LSTM or GRU, the reset
   * variant on an LSTM or RNN): ignoring them would run another model than the one asked for.
   */
  void checkVariant(String name, CellKind kind) {
    if (nonlinearity != Nonlinearity.TANH && kind != CellKind.RNN_TANH && kind != CellKind.RNN_RELU) {
      throw new IllegalArgumentException(name + ": option nonlinearity(" + nonlinearity + ") applies to RNN and "
          + "RNNCell only; " + name + " has fixed gate nonlinearities");
    }
    if (!resetAfter && !kind.isGru()) {
      throw new IllegalArgumentException(name + ": option resetAfter(false) applies to GRU and GRUCell only");
    }
    if (projSize > 0 && !name.equals("LSTM")) {
      throw new IllegalArgumentException(name + ": option projSize(" + projSize + ") applies to LSTM only");
    }
    if (peephole && !name.equals("LSTM")) {
      throw new IllegalArgumentException(name + ": option peephole(true) applies to LSTM only");
    }
    if (peephole && projSize > 0) {
      throw new IllegalArgumentException(name + ": options peephole(true) and projSize(" + projSize + ") cannot be "
          + "combined (no cell has both); use one of them");
    }
  }

  RecurrentConfig toConfig(String name, CellKind kind) {
    checkVariant(name, kind);
    return new RecurrentConfig(name, kind, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout,
        bidirectional, merge, projSize, peephole);
  }
}
