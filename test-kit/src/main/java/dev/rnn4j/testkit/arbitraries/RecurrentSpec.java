package dev.rnn4j.testkit.arbitraries;

import dev.rnn4j.nn.recurrent.CellKind;
import dev.rnn4j.nn.recurrent.GRU;
import dev.rnn4j.nn.recurrent.LSTM;
import dev.rnn4j.nn.recurrent.RNN;
import dev.rnn4j.nn.recurrent.RecurrentLayer;
import dev.rnn4j.nn.recurrent.RecurrentOptions;
import dev.rnn4j.tensor.DType;
import java.util.Objects;

/**
 * A recurrent-layer configuration drawn by {@link RnnArbitraries#recurrentSpecs()}; {@link #build} makes the layer.
 *
 * @param cell the cell (RNN tanh/relu, LSTM, GRU reset-after or reset-before)
 * @param inputSize I, >= 1
 * @param hiddenSize H, >= 1
 * @param numLayers >= 1
 * @param bidirectional whether each layer runs both directions (concatenated)
 * @param bias whether the layer has bias vectors
 */
public record RecurrentSpec(CellKind cell, int inputSize, int hiddenSize, int numLayers, boolean bidirectional,
                            boolean bias) {

  public RecurrentSpec {
    Objects.requireNonNull(cell, "cell");
    if (inputSize < 1 || hiddenSize < 1 || numLayers < 1) {
      throw new IllegalArgumentException("RecurrentSpec: inputSize, hiddenSize and numLayers must be >= 1, got "
          + inputSize + ", " + hiddenSize + ", " + numLayers);
    }
  }

  /** The options of this configuration in {@code dtype}, initialised from {@code seed}. */
  public RecurrentOptions options(DType dtype, long seed) {
    RecurrentOptions o = new RecurrentOptions(inputSize, hiddenSize).numLayers(numLayers).bidirectional(bidirectional)
        .bias(bias).dtype(dtype).seed(seed);
    return switch (cell) {
      case RNN_TANH -> o.nonlinearity(RecurrentOptions.Nonlinearity.TANH);
      case RNN_RELU -> o.nonlinearity(RecurrentOptions.Nonlinearity.RELU);
      case GRU -> o.resetAfter(true);
      case GRU_RESET_BEFORE -> o.resetAfter(false);
      case LSTM -> o;
    };
  }

  /** A new layer of this configuration in {@code dtype}, initialised from {@code seed}. */
  public RecurrentLayer build(DType dtype, long seed) {
    RecurrentOptions o = options(dtype, seed);
    return switch (cell) {
      case RNN_TANH, RNN_RELU -> new RNN(o);
      case LSTM -> new LSTM(o);
      case GRU, GRU_RESET_BEFORE -> new GRU(o);
    };
  }

  /** Output features per step: H, or 2H when bidirectional. */
  public int outputSize() {
    return bidirectional ? 2 * hiddenSize : hiddenSize;
  }
}
