package dev.rnn4j.nn.recurrent;

import dev.rnn4j.nn.recurrent.internal.CellVariant;
import dev.rnn4j.nn.recurrent.internal.DoubleStackRunner;
import dev.rnn4j.tensor.Checks;

/**
 * The shape of a recurrent layer stack, independent of dtype: what {@link DoubleStackRunner} and its float32 twin
 * need to know besides the weights.
 *
 * @param name the layer's name in messages ("LSTM", "GRU", "RNN")
 * @param kind the cell
 * @param inputSize I, the input width of the first layer
 * @param hiddenSize H
 * @param numLayers stacked layers, >= 1
 * @param bias whether the layers have bias_ih / bias_hh
 * @param batchFirst input and output are [B, T, *] instead of [T, B, *]
 * @param dropout probability of dropping a unit of each layer's output except the last layer's, in training
 * @param bidirectional a second, reverse direction per layer
 * @param merge how the two directions' outputs are combined (each layer's output, and so the next layer's input)
 * @param projSize P, the width of an LSTM's projected state ({@code weight_hr} [P, H]), in [1, H); 0 for none
 * @param peephole an LSTM with peephole connections ({@code weight_peephole} [3, H]); not with a projection
 */
public record RecurrentConfig(String name, CellKind kind, int inputSize, int hiddenSize, int numLayers, boolean bias,
                              boolean batchFirst, double dropout, boolean bidirectional, MergeMode merge,
                              int projSize, boolean peephole) {

  /** A configuration without peepholes. */
  public RecurrentConfig(String name, CellKind kind, int inputSize, int hiddenSize, int numLayers, boolean bias,
                         boolean batchFirst, double dropout, boolean bidirectional, MergeMode merge, int projSize) {
    this(name, kind, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, merge, projSize,
        false);
  }

  /** A configuration without a projection or peepholes. */
  public RecurrentConfig(String name, CellKind kind, int inputSize, int hiddenSize, int numLayers, boolean bias,
                         boolean batchFirst, double dropout, boolean bidirectional, MergeMode merge) {
    this(name, kind, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, merge, 0, false);
  }

  public RecurrentConfig {
    Checks.notNull(name, "RecurrentConfig", "name");
    Checks.notNull(kind, name, "kind");
    Checks.notNull(merge, name, "merge");
    if (inputSize < 1) {
      throw new IllegalArgumentException(name + ": inputSize must be >= 1, got " + inputSize);
    }
    if (hiddenSize < 1) {
      throw new IllegalArgumentException(name + ": hiddenSize must be >= 1, got " + hiddenSize);
    }
    if (numLayers < 1) {
      throw new IllegalArgumentException(name + ": numLayers must be >= 1, got " + numLayers);
    }
    if (projSize < 0 || projSize > 0 && (kind != CellKind.LSTM || projSize >= hiddenSize)) {
      throw new IllegalArgumentException(name + ": projSize must be 0 (no projection) or, for an LSTM, in [1, "
          + "hiddenSize = " + hiddenSize + "), got " + projSize + (kind != CellKind.LSTM ? " for a " + kind : ""));
    }
    if (peephole && kind != CellKind.LSTM) {
      throw new IllegalArgumentException(name + ": peephole applies to an LSTM only, got a " + kind);
    }
    if (peephole && projSize > 0) {
      throw new IllegalArgumentException(name + ": options peephole(true) and projSize(" + projSize + ") cannot be "
          + "combined (no cell has both)");
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException(name + ": dropout must be in [0, 1), got " + dropout);
    }
    checkArraySizes(name, kind.gates(), inputSize, hiddenSize, numLayers,
        bidirectional && merge == MergeMode.CONCAT ? 2L * hiddenSize : hiddenSize);
    // with a projection every matrix is smaller than without: W_hh [4H, P], W_hr [P, H], later layers' input D*P
  }

  /**
   * Every weight matrix must fit a Java array: [G*H, I], [G*H, H] and, above the first layer, [G*H, W] for the layer
   * output width W. Checked here, naming the layer and the option, rather than deep inside tensor creation.
   */
  static void checkArraySizes(String name, int gates, int inputSize, int hiddenSize, int numLayers, long outputWidth) {
    long gw = (long) gates * hiddenSize;
    if (!Checks.fitsArray(gw, hiddenSize)) {
      throw Checks.tooLarge(name, "hiddenSize " + hiddenSize, "weight_hh_l0", gw, hiddenSize);
    }
    if (!Checks.fitsArray(gw, inputSize)) {
      throw Checks.tooLarge(name, "inputSize " + inputSize + " with hiddenSize " + hiddenSize, "weight_ih_l0", gw,
          inputSize);
    }
    if (numLayers > 1 && !Checks.fitsArray(gw, outputWidth)) {
      throw Checks.tooLarge(name, "hiddenSize " + hiddenSize + " (layer output width " + outputWidth + ")",
          "weight_ih_l1", gw, outputWidth);
    }
  }

  /** 2 when bidirectional, else 1. */
  public int directions() {
    return bidirectional ? 2 : 1;
  }

  /**
   * The width of a state h (and of one direction's output), as the cell variant has it: P for an LSTM with a
   * projection, else H.
   */
  public int stateSize() {
    return variant().stateWidth(this);
  }

  /** The cell variant: the kind with an LSTM's projection or peepholes (see {@link CellVariant}). */
  CellVariant variant() {
    return CellVariant.of(this);
  }

  /** Width of a layer's output: 2 times {@link #stateSize()} for a bidirectional concat, else the state size. */
  public int outputSize() {
    return bidirectional && merge == MergeMode.CONCAT ? 2 * stateSize() : stateSize();
  }

  /** Input width of layer l. */
  public int layerInputSize(int layer) {
    return layer == 0 ? inputSize : outputSize();
  }

  /** G * H. */
  public int gateWidth() {
    return kind.gates() * hiddenSize;
  }
}
