package dev.rnn4j.nn.recurrent.internal;

// rnn4j:generate-float

import dev.rnn4j.kernels.DoublePackedMatrix;

/**
 * The weights of one direction of one layer, as {@link DoubleRecurrentEngine} reads them: arrays with offsets, in
 * PyTorch's layout. The bias arrays are null for a layer without biases. Not modified by the engine, except that
 * {@link DoubleRecurrentEngine#prepare} fills the internal folded bias.
 */
public final class DoubleEngineWeights {
  double[] wih;
  int wihOff;
  double[] whh;
  int whhOff;
  double[] bih;
  int bihOff;
  double[] bhh;
  int bhhOff;
  /**
   * The cell's parameters besides W_ih, W_hh and the biases, in the order of its variant's
   * {@link CellVariant#extraParameters} (LSTM with a projection: {@code weight_hr} [P, H]; with peepholes:
   * {@code weight_peephole} [3, H]), with their offsets; the cell reads them by index. Empty for the other cells.
   */
  final double[][] extras;
  final int[] extrasOff;
  /** The biases folded into the input projection (see the class comment); length G*H. */
  final double[] folded;
  /** GRU: the bias of the recurrent projection, (0, 0, b_hn): b_hr and b_hz are folded into the input side. */
  final double[] recurrentBias;
  /**
   * The forward pass's packed matrices, packed at the start of each pass that was given none by {@link #usePacked}
   * (storage reused across passes).
   */
  DoubleRecurrentEngine.PackedStep forwardPacked;
  /**
   * The packed matrices given by {@link #usePacked}, which the streaming steps and the forward pass multiply with;
   * null: steps read the arrays directly and the forward pass packs its own.
   */
  DoubleRecurrentEngine.PackedStep stepPacked;
  // The backward steps' packed W_hh (reset-before: W_h(r,z) and W_hn separately), and W_ih for the input gradient,
  // packed at the start of each backward pass.
  DoublePackedMatrix hh;
  DoublePackedMatrix hhn;
  DoublePackedMatrix ih;
  /** A matrix of the cell's own packed for the backward steps (LSTM with a projection: W_hr), else null. */
  DoublePackedMatrix extraPacked;
  /** The forward-only recurrence split by hidden units over two threads, with its own packed matrices; made on first use. */
  DoubleUnitSplit unitSplit;

  /** Creates an empty holder for a cell with {@code gateWidth = G * H} and no parameters besides W_ih, W_hh, biases. */
  public DoubleEngineWeights(int gateWidth) {
    this(gateWidth, 0);
  }

  /**
   * Creates an empty holder for a cell with {@code gateWidth = G * H} and {@code extraCount} further parameters
   * (see {@link #extra}).
   */
  public DoubleEngineWeights(int gateWidth, int extraCount) {
    if (gateWidth < 1 || extraCount < 0) {
      throw new IllegalArgumentException("recurrent engine: weights: gateWidth must be >= 1 and extraCount >= 0, "
          + "got gateWidth=" + gateWidth + ", extraCount=" + extraCount);
    }
    this.folded = new double[gateWidth];
    this.recurrentBias = new double[gateWidth];
    this.extras = new double[extraCount][];
    this.extrasOff = new int[extraCount];
  }

  /** Points this holder at the weight arrays (biases may be null: no bias). Allocates nothing. */
  public DoubleEngineWeights set(double[] wih, int wihOff, double[] whh, int whhOff,
                     double[] bih, int bihOff, double[] bhh, int bhhOff) {
    if ((bih == null) != (bhh == null)) {
      throw new IllegalArgumentException("recurrent engine: both biases or neither");
    }
    this.stepPacked = null;
    this.wih = wih;
    this.wihOff = wihOff;
    this.whh = whh;
    this.whhOff = whhOff;
    this.bih = bih;
    this.bihOff = bihOff;
    this.bhh = bhh;
    this.bhhOff = bhhOff;
    return this;
  }

  /**
   * Points this holder at the cell's parameter number {@code index} besides W_ih, W_hh and the biases (null: none),
   * in the order of the cell variant's {@code extraParameters}; kept by {@link #set}. Allocates nothing.
   *
   * @throws IllegalArgumentException for an index outside [0, extraCount)
   */
  public DoubleEngineWeights extra(int index, double[] a, int off) {
    if (index < 0 || index >= extras.length) {
      throw new IllegalArgumentException("recurrent engine: weights.extra: index " + index + " out of range [0, "
          + extras.length + ")");
    }
    this.stepPacked = null;
    this.extras[index] = a;
    this.extrasOff[index] = off;
    return this;
  }

  /** Points every weight and extra parameter at nothing, so that the holder keeps no caller array alive. */
  public DoubleEngineWeights clear() {
    set(null, 0, null, 0, null, 0, null, 0);
    for (int i = 0; i < extras.length; i++) {
      extra(i, null, 0);
    }
    return this;
  }

  boolean hasBias() {
    return bih != null;
  }

  /**
   * Makes {@link DoubleStreamingStep#step} and {@link DoubleRecurrentEngine#forward} multiply with {@code packed}
   * (made by {@link DoubleRecurrentEngine#packStep} from the weight matrices this holder points at) instead of
   * reading W_ih and W_hh or packing them: the caller promises that the packed copies equal the current matrices.
   * The biases are still read at every step. {@link #set} and {@link #extra} undo it.
   */
  public void usePacked(DoubleRecurrentEngine.PackedStep packed) {
    this.stepPacked = packed;
  }
}
