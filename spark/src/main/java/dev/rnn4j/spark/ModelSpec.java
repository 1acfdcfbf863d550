package dev.rnn4j.spark;

import dev.rnn4j.nn.Linear;
import dev.rnn4j.nn.recurrent.CellKind;
import dev.rnn4j.nn.recurrent.MergeMode;
import dev.rnn4j.nn.recurrent.RecurrentConfig;
import dev.rnn4j.nn.recurrent.SequenceModel;
import dev.rnn4j.tensor.DType;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
 * <p>A model saved with {@link FinalStateModel#save(Path, Map)} records its spec in the file's metadata, and
 * {@link #read(Path)} gives it back, so a saved model can be scored without restating its shape.
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

  /**
   * The spec recorded in a model file written by {@link FinalStateModel#save(Path, Map)} (or by core's
   * {@code SequenceModel.save} for a stack without head): core's configuration entries ({@code rnn4j.cell},
   * {@code rnn4j.input_size}, ..., the module names under {@code rnn4j.recurrent.module} and
   * {@code rnn4j.head.module}), read through {@code SequenceModel.load}, which also checks the tensors against them.
   *
   * @throws IllegalArgumentException if the file records no configuration (a plain {@code Safetensors.save} file: pass
   *     the spec), a single layer, an embedding, a head that core applies at every step (no
   *     {@value FinalStateModel#HEAD_KEY} = {@value FinalStateModel#HEAD_ON_FINAL_STATE} entry), or a configuration a
   *     spec cannot describe (no biases, float64, directions summed, a head without bias); the message names the file.
   *     The layer's dropout and batch-first flag are not part of a spec and are ignored (neither changes the weights,
   *     and a spec's model runs time-major without dropout)
   * @throws IOException if the file cannot be read or is not well-formed
   */
  public static ModelSpec read(Path file) throws IOException {
    String op = "ModelSpec.read";
    if (file == null) {
      throw new IllegalArgumentException(op + ": file is null");
    }
    SequenceModel saved;
    try {
      saved = SequenceModel.load(file);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(op + ": " + e.getMessage() + " (a file without the configuration needs an "
          + "explicit ModelSpec)", e);
    }
    RecurrentConfig c = saved.recurrent().config();
    Linear head = saved.head();
    List<String> problems = new ArrayList<>();
    if (saved.embedding() != null) {
      problems.add("it has an embedding (token input); a spec's input is dense steps");
    }
    if (!c.bias()) {
      problems.add("its layer has no biases");
    }
    if (saved.recurrent().dtype() != DType.FLOAT32) {
      problems.add("it is " + saved.recurrent().dtype() + ", a spec is float32");
    }
    if (c.bidirectional() && c.merge() != MergeMode.CONCAT) {
      problems.add("its directions are merged by " + c.merge() + ", a spec concatenates them");
    }
    if (head != null && head.bias() == null) {
      problems.add("its head has no bias");
    }
    if (head != null && !FinalStateModel.HEAD_ON_FINAL_STATE.equals(SequenceModel.userMetadata(file)
        .get(FinalStateModel.HEAD_KEY))) {
      problems.add("its head is SequenceModel's, applied at every step (the metadata has no "
          + FinalStateModel.HEAD_KEY + " = " + FinalStateModel.HEAD_ON_FINAL_STATE + ")");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(op + ": " + file + " is not a final-state model: "
          + String.join("; ", problems));
    }
    List<String> names = new ArrayList<>(saved.children().keySet()); // the recurrent layer, then the head
    return new ModelSpec(c.kind(), c.inputSize(), c.hiddenSize(), c.numLayers(), c.bidirectional(),
        head == null ? 0 : head.outFeatures(), names.get(0),
        head != null ? names.get(1) : names.get(0).equals("head") ? "readout" : "head");
  }

  @Override
  public String toString() {
    return cell + "(I=" + inputSize + ", H=" + hiddenSize + ", layers=" + numLayers
        + (bidirectional ? ", bidirectional" : "") + (hasHead() ? ", head=" + headOutputs : "") + ", names="
        + layerName + "/" + headName + ")";
  }
}
