package dev.rnn4j.nn.recurrent.internal;

import dev.rnn4j.kernels.DoubleKernels;
import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.nn.recurrent.CellKind;
import dev.rnn4j.nn.recurrent.GRU;
import dev.rnn4j.nn.recurrent.LSTM;
import dev.rnn4j.nn.recurrent.RecurrentConfig;
import java.util.List;

/**
 * The one place that maps a layer configuration to its cell: the cell class of each precision, the parameters the
 * cell has besides {@code weight_ih}, {@code weight_hh}, {@code bias_ih} and {@code bias_hh} ({@link CellParameter},
 * in PyTorch's order, registered by the layer after the biases and drawn like the other weights from
 * U(-1/sqrt(H), 1/sqrt(H))), and the width of the state the cell outputs and feeds back. The layer, the stack's
 * autograd node, the runners and the stream states ask this for everything that differs between variants of one
 * {@link CellKind}, so that adding a variant adds a constant here and a cell class (see docs/recurrent.md).
 */
public enum CellVariant {
  RNN_TANH(CellKind.RNN_TANH,
      (k, in, h, sw) -> new DoubleRnnCell(k, in, h, false), (k, in, h, sw) -> new FloatRnnCell(k, in, h, false)),
  RNN_RELU(CellKind.RNN_RELU,
      (k, in, h, sw) -> new DoubleRnnCell(k, in, h, true), (k, in, h, sw) -> new FloatRnnCell(k, in, h, true)),
  LSTM(CellKind.LSTM, (k, in, h, sw) -> new DoubleLstmCell(k, in, h), (k, in, h, sw) -> new FloatLstmCell(k, in, h)),
  /** PyTorch's {@code proj_size}: {@code weight_hr} [P, H]; the state is P wide. */
  LSTM_PROJECTION(CellKind.LSTM, DoubleLstmProjectionCell::new, FloatLstmProjectionCell::new) {
    @Override
    public List<CellParameter> extraParameters(RecurrentConfig cfg) {
      return List.of(new CellParameter("weight_hr", cfg.projSize(), cfg.hiddenSize()));
    }

    @Override
    public int stateWidth(RecurrentConfig cfg) {
      return cfg.projSize();
    }
  },
  /** Peephole connections: {@code weight_peephole} [3, H], rows (p_i, p_f, p_o). */
  LSTM_PEEPHOLE(CellKind.LSTM,
      (k, in, h, sw) -> new DoubleLstmPeepholeCell(k, in, h), (k, in, h, sw) -> new FloatLstmPeepholeCell(k, in, h)) {
    @Override
    public List<CellParameter> extraParameters(RecurrentConfig cfg) {
      return List.of(new CellParameter("weight_peephole", 3, cfg.hiddenSize()));
    }
  },
  GRU(CellKind.GRU, (k, in, h, sw) -> new DoubleGruCell(k, in, h), (k, in, h, sw) -> new FloatGruCell(k, in, h)),
  GRU_RESET_BEFORE(CellKind.GRU_RESET_BEFORE, (k, in, h, sw) -> new DoubleGruResetBeforeCell(k, in, h),
      (k, in, h, sw) -> new FloatGruResetBeforeCell(k, in, h));

  /** Builds a cell for inputs of width {@code inputSize}, H = {@code hidden}, state width {@code stateWidth}. */
  @FunctionalInterface
  interface Factory<K, C> {
    C create(K kernels, int inputSize, int hidden, int stateWidth);
  }

  private final CellKind kind;
  private final Factory<DoubleKernels, DoubleCell> doubleCell;
  private final Factory<FloatKernels, FloatCell> floatCell;

  CellVariant(CellKind kind, Factory<DoubleKernels, DoubleCell> doubleCell, Factory<FloatKernels, FloatCell> floatCell) {
    this.kind = kind;
    this.doubleCell = doubleCell;
    this.floatCell = floatCell;
  }

  /** The variant of {@code cfg}: its kind, with an LSTM's projection or peepholes (never both, see the config). */
  public static CellVariant of(RecurrentConfig cfg) {
    if (cfg.projSize() > 0) {
      return LSTM_PROJECTION;
    }
    return cfg.peephole() ? LSTM_PEEPHOLE : of(cfg.kind());
  }

  /** The plain variant of {@code kind} (without an LSTM's projection or peepholes). */
  public static CellVariant of(CellKind kind) {
    return switch (kind) {
      case RNN_TANH -> RNN_TANH;
      case RNN_RELU -> RNN_RELU;
      case LSTM -> LSTM;
      case GRU -> GRU;
      case GRU_RESET_BEFORE -> GRU_RESET_BEFORE;
    };
  }

  CellKind kind() {
    return kind;
  }

  /** The parameters besides weight_ih, weight_hh and the biases, shaped for {@code cfg}, in registration order. */
  public List<CellParameter> extraParameters(RecurrentConfig cfg) {
    return List.of();
  }

  /** The width of the state h the cell outputs and reads back (H unless the variant says otherwise). */
  public int stateWidth(RecurrentConfig cfg) {
    return cfg.hiddenSize();
  }

  /** A float64 cell of layer {@code layer} of {@code cfg}. */
  DoubleCell newDoubleCell(DoubleKernels kernels, RecurrentConfig cfg, int layer) {
    return doubleCell.create(kernels, cfg.layerInputSize(layer), cfg.hiddenSize(), stateWidth(cfg));
  }

  /** A float32 cell of layer {@code layer} of {@code cfg}. */
  FloatCell newFloatCell(FloatKernels kernels, RecurrentConfig cfg, int layer) {
    return floatCell.create(kernels, cfg.layerInputSize(layer), cfg.hiddenSize(), stateWidth(cfg));
  }

  /** A float64 cell of this variant with state width H (a plain kind's cell, for the engine's own constructor). */
  DoubleCell newDoubleCell(DoubleKernels kernels, int inputSize, int hidden) {
    return doubleCell.create(kernels, inputSize, hidden, hidden);
  }

  /** A float32 cell of this variant with state width H. */
  FloatCell newFloatCell(FloatKernels kernels, int inputSize, int hidden) {
    return floatCell.create(kernels, inputSize, hidden, hidden);
  }
}
