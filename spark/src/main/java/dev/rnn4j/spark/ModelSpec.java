package dev.rnn4j.spark;

import dev.rnn4j.nn.recurrent.CellKind;
import java.io.Serializable;

/**
 * What a Spark task needs to know to rebuild a model from its saved weights: the recurrent stack's shape and an
 * optional linear head. The weights themselves travel separately (a {@code Safetensors.save} file's bytes for
 * scoring, a flat parameter vector for training); together the two describe a {@link FinalStateModel} exactly.
 *
 * <p>The spec is deliberately small: float32, time-major, biases on, bidirectional directions concatenated, no
 * dropout (a scored or data-parallel-trained model must compute the same thing on every executor). Parameter names
 * are those of a module holding the recurrent layer under {@link #layerName()} and the head under
 * {@link #headName()} ({@code rnn.weight_ih_l0}, {@code head.weight}, ...), so a model saved from any module with
 * that structure loads.
 *
 * @param cell the recurrent cell (LSTM, GRU reset after or before, tanh or relu RNN)
 * @param inputSize I, the width of one time step of the data, >= 1
 * @param hiddenSize H, >= 1
 * @param numLayers stacked layers, >= 1
 * @param bidirectional a reverse direction per layer (outputs [forward, reverse], width 2H)
 * @param headOutputs width of the linear head applied to the final state, or 0 for no head
 * @param layerName the recurrent layer's name in the parameter names
 * @param headName the head's name in the parameter names
 */
public record ModelSpec(CellKind cell, int inputSize, int hiddenSize, int numLayers, boolean bidirectional,
                        int headOutputs, String layerName, String headName) implements Serializable {

  private static final long serialVersionUID = 1L;

  /**
   * @throws IllegalArgumentException for a size below 1, negative head width, or an empty or dotted name
   */
  public ModelSpec {
    if (cell == null) {
      throw new IllegalArgumentException("ModelSpec: cell is null");
    }
    if (inputSize < 1 || hiddenSize < 1 || numLayers < 1) {
      throw new IllegalArgumentException("ModelSpec: inputSize, hiddenSize and numLayers must be >= 1, got "
          + inputSize + ", " + hiddenSize + ", " + numLayers);
    }
    if (headOutputs < 0) {
      throw new IllegalArgumentException("ModelSpec: headOutputs must be >= 0 (0: no head), got " + headOutputs);
    }
    checkName("layerName", layerName);
    checkName("headName", headName);
    if (layerName.equals(headName)) {
      throw new IllegalArgumentException("ModelSpec: layerName and headName are both '" + layerName + "'");
    }
  }

  private static void checkName(String what, String name) {
    if (name == null || !name.matches("[A-Za-z0-9_]+")) {
      throw new IllegalArgumentException("ModelSpec: " + what + " must be letters, digits and underscores, got '"
          + name + "'");
    }
  }

  /** A one-layer, unidirectional stack of {@code cell} without a head, named {@code rnn}. */
  public static ModelSpec of(CellKind cell, int inputSize, int hiddenSize) {
    return new ModelSpec(cell, inputSize, hiddenSize, 1, false, 0, "rnn", "head");
  }

  /** This spec with {@code n} stacked layers. */
  public ModelSpec layers(int n) {
    return new ModelSpec(cell, inputSize, hiddenSize, n, bidirectional, headOutputs, layerName, headName);
  }

  /** This spec with or without a reverse direction per layer. */
  public ModelSpec bidirectional(boolean on) {
    return new ModelSpec(cell, inputSize, hiddenSize, numLayers, on, headOutputs, layerName, headName);
  }

  /** This spec with a linear head of {@code outputs} units on the final state (0 removes the head). */
  public ModelSpec head(int outputs) {
    return new ModelSpec(cell, inputSize, hiddenSize, numLayers, bidirectional, outputs, layerName, headName);
  }

  /** This spec with other names for the layer and the head in the parameter names. */
  public ModelSpec names(String layer, String head) {
    return new ModelSpec(cell, inputSize, hiddenSize, numLayers, bidirectional, headOutputs, layer, head);
  }

  /** Width of the final state: the top layer's last state, both directions side by side when bidirectional. */
  public int stateWidth() {
    return bidirectional ? 2 * hiddenSize : hiddenSize;
  }

  /** True when the spec has a head. */
  public boolean hasHead() {
    return headOutputs > 0;
  }

  /** A new model of this shape with weights drawn from {@code seed} (as the layers' own initialisation). */
  public FinalStateModel build(long seed) {
    return new FinalStateModel(this, seed);
  }

  @Override
  public String toString() {
    return cell + "(I=" + inputSize + ", H=" + hiddenSize + ", layers=" + numLayers
        + (bidirectional ? ", bidirectional" : "") + (hasHead() ? ", head=" + headOutputs : "") + ", names="
        + layerName + "/" + headName + ")";
  }
}
