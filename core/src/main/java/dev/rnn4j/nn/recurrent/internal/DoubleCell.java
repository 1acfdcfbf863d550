package dev.rnn4j.nn.recurrent.internal;

// rnn4j:generate-float

import dev.rnn4j.kernels.DoubleKernels;
import dev.rnn4j.kernels.DoublePackedMatrix;
import dev.rnn4j.nn.recurrent.CellKind;
import dev.rnn4j.nn.recurrent.RecurrentConfig;
import dev.rnn4j.nn.recurrent.internal.DoubleRecurrentEngine.PackedStep;
import dev.rnn4j.nn.recurrent.internal.DoubleRecurrentEngine.Trace;
import java.util.Objects;

/**
 * One float64 recurrent cell: its gate layout, its time step forward and backward (each a few calls of the fused
 * kernels) and what it keeps in the trace. The {@link DoubleRecurrentEngine} schedules layers, directions, time steps,
 * batch blocks and threads and calls a cell for everything that depends on what the cell computes; it never asks
 * which cell it runs. One subclass per cell: {@link DoubleRnnCell} (tanh, relu), {@link DoubleLstmCell},
 * {@link DoubleGruCell} (reset after the recurrent product), {@link DoubleGruResetBeforeCell}, and the LSTM variants
 * {@link DoubleLstmProjectionCell} and {@link DoubleLstmPeepholeCell}, which extend {@link DoubleLstmCell}. Which
 * class a layer runs, and the parameters a cell has besides W_ih, W_hh and the biases, is {@link CellVariant}'s.
 *
 * <p>The defaults here are those of a cell whose pre-activations are {@code x W_ih^T + h' W_hh^T + b_ih + b_hh} for all
 * G gate blocks at once (the RNN and the LSTM); a cell that computes otherwise overrides them.
 *
 * <p>Arguments are trusted (checked above the engine). Stateless apart from its sizes and kernels: one cell serves
 * every thread of its engine.
 */
public abstract class DoubleCell {

  final DoubleKernels k;
  final int inputSize;
  /** H: the width of a gate block and of the cell state. */
  final int hidden;
  /** The width of the state h that the cell outputs and reads back: H, or P for an LSTM with a projection. */
  final int stateWidth;
  /** G * H: the width of a gate row. */
  final int gh;

  DoubleCell(DoubleKernels kernels, int inputSize, int hidden, int gates) {
    this(kernels, inputSize, hidden, gates, hidden);
  }

  DoubleCell(DoubleKernels kernels, int inputSize, int hidden, int gates, int stateWidth) {
    this.k = Objects.requireNonNull(kernels, "kernels");
    if (inputSize < 1 || hidden < 1) {
      throw new IllegalArgumentException("recurrent cell: inputSize and hidden must be >= 1, got inputSize="
          + inputSize + ", hidden=" + hidden);
    }
    this.inputSize = inputSize;
    this.hidden = hidden;
    this.stateWidth = stateWidth;
    this.gh = gates * hidden;
  }

  /** The plain cell of {@code kind} (without an LSTM's projection or peepholes), H wide. */
  static DoubleCell create(DoubleKernels kernels, CellKind kind, int inputSize, int hidden) {
    return CellVariant.of(Objects.requireNonNull(kind, "kind")).newDoubleCell(kernels, inputSize, hidden);
  }

  /** The cell of layer {@code layer} of {@code cfg}: the class its {@link CellVariant} names. */
  static DoubleCell create(DoubleKernels kernels, RecurrentConfig cfg, int layer) {
    return CellVariant.of(cfg).newDoubleCell(kernels, cfg, layer);
  }

  /** The cell's kind. */
  public abstract CellKind kind();

  /** The kernels this cell computes with. */
  DoubleKernels kernels() {
    return k;
  }

  /** Whether the cell has a second state, the cell state c, besides h (the LSTM). */
  boolean hasCellState() {
    return false;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // DoubleEngineWeights
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * Fills {@code w}'s folded bias (added to the input projection of every step) and, for a cell that needs one, its
   * recurrent bias, from the current biases. Only called when {@code w} has biases.
   *
   * <p>Plain loops, not the kernels: this runs once per forward pass and per streaming step, so it reaches C2's
   * invocation threshold hundreds of calls after the kernels that loop over a sequence, and until then the Vector API
   * kernels' C1 code boxed every vector (4.5 KB per call for an LSTM of 64 units; {@code BiasFoldAllocationTest}). A
   * plain loop allocates nothing in any tier, C2 vectorises it, and an element-wise sum has the same bits either way.
   */
  void foldBiases(DoubleEngineWeights w) {
    for (int i = 0; i < gh; i++) {
      w.folded[i] = w.bih[w.bihOff + i] + w.bhh[w.bhhOff + i];
    }
  }

  /** Packs the matrices one step multiplies with (see {@link PackedStep}), reusing {@code reuse}'s storage. */
  PackedStep packStep(DoubleEngineWeights w, PackedStep reuse) {
    return new PackedStep(packInputWeights(w, reuse),
        k.packB(true, stateWidth, gh, w.whh, w.whhOff, stateWidth, reuse == null ? null : reuse.hhT()), null, null);
  }

  final DoublePackedMatrix packInputWeights(DoubleEngineWeights w, PackedStep reuse) {
    return k.packB(true, inputSize, gh, w.wih, w.wihOff, inputSize, reuse == null ? null : reuse.ihT());
  }

  /** Packs the matrices the backward steps multiply with into {@code w}'s backward slots. */
  void packBackward(DoubleEngineWeights w) {
    w.hh = k.packB(false, gh, stateWidth, w.whh, w.whhOff, stateWidth, w.hh);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Forward
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * Sizes the trace arrays of this cell's own beyond the gates, states and cell states that every cell keeps, for a
   * forward pass of {@code rows = T * B} rows and {@code bh = B * H}; {@code ragged}: some rows finish early.
   */
  void prepareTrace(Trace tr, int rows, int bh, boolean ragged) {}

  /** Row width of the step scratch for the recurrent projection (0: the cell adds it into the gates). */
  int recurrentProjectionWidth() {
    return 0;
  }

  /** Row width of the per-row product the cell keeps in the trace's {@code aux} array (0: none). */
  int auxWidth() {
    return 0;
  }

  /**
   * One time step for the first {@code s.n} rows, after the input projection: the recurrent GEMM(s) and the pointwise
   * math. Shared by the sequence forward pass and the streaming step, so that both compute the same thing (bit for
   * bit when both multiply with packed matrices, or where gemmPacked equals gemm, as in the scalar spec).
   *
   * @param packed the packed step matrices, or null: multiply with the weight arrays directly
   */
  abstract void forwardStep(Step s, DoubleEngineWeights w, PackedStep packed);

  /**
   * Whether {@link #forwardUnits} computes a step for a range of the hidden units alone: true for the cells in which
   * unit j's new state depends, within a step, only on the gate columns of unit j and on the previous state (the
   * plain LSTM, GRU and RNN), so that a step can be split over threads by units ({@link DoubleUnitSplit}).
   */
  boolean computesUnitRanges() {
    return false;
  }

  /**
   * The forward step of {@link #forwardStep} for the hidden units [u.first, u.first + u.units) of u.n rows, with the
   * range's own packed rows of W_hh and gate columns laid out as a cell of u.units units: bit for bit the same
   * states as forwardStep with packed matrices (a packed product's columns are independent bit for bit, and the
   * pointwise kernels are elementwise).
   *
   * @throws IllegalStateException when {@link #computesUnitRanges} is false
   */
  void forwardUnits(UnitStep u) {
    throw new IllegalStateException(kind() + " cell: its step cannot be split by hidden units");
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Backward
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * Whether the backward step reads the saved gate activations (then the gate gradients may go over them only when
   * the trace is consumed); the plain RNN's reads only the states.
   */
  boolean backwardReadsGates() {
    return true;
  }

  /**
   * Chooses where the backward pass writes the gradients of the recurrent projections, for a cell that keeps them
   * apart from the gate gradients: over the saved projections ({@code inPlace}) or into scratch of the trace. By
   * default they are the gate gradients ({@link Trace#gateGrads}).
   */
  void startBackward(Trace tr, int rows, boolean inPlace) {
    tr.recurrentGrads = tr.gateGrads;
  }

  /**
   * One backward step for the first {@code s.n} rows of a batch block: reads the state gradient in {@code tr.dhWork}
   * at {@code s.r0} (and the carried cell-state gradient at {@code s.c0}), writes the gate gradients at {@code s.g}
   * and the state gradient carried to the previous step into {@code tr.dhCarry}. The states the step read are at
   * {@code s.hp} (cell states {@code s.cp}) of {@code tr.hs} ({@code tr.cs}), those it wrote at {@code s.ho}
   * ({@code s.co}).
   */
  abstract void backwardStep(Trace tr, DoubleEngineWeights w, Step s);

  /** Receives the weight-gradient products the engine schedules: see {@link #recurrentWeightGradients}. */
  @FunctionalInterface
  interface WeightGradients {
    /**
     * {@code dW[dWOff + r * H ..] += src[:, srcCol + r]^T b[:, 0..H)} for the {@code outRows} rows r, over all T*B
     * rows; {@code slot} names the engine's cache for the packed {@code b}.
     */
    void add(int slot, int outRows, double[] src, int srcCol, double[] b, int bOff, int dWOff);
  }

  /**
   * Schedules the gradient of {@code weight_hh}: by default one product of the recurrent gradients with the previous
   * states, which start at {@code prevStates} in {@code tr.hs}.
   */
  void recurrentWeightGradients(Trace tr, int prevStates, WeightGradients products) {
    products.add(1, gh, tr.recurrentGrads, 0, tr.hs, prevStates, 0);
  }

  /** Receives the products of {@link #otherWeightGradients}. */
  @FunctionalInterface
  interface OtherGradients {
    /**
     * {@code dW[dWOff ..][outRows, bCols] += src[:, 0..outRows)^T b[:, 0..bCols)} over all T*B rows, src with row
     * stride srcLd; {@code slot} names the engine's cache for the packed {@code b}.
     */
    void add(int slot, int outRows, double[] src, int srcLd, double[] b, int bCols, double[] dW, int dWOff);
  }

  /** Schedules the gradients of the cell's weights besides W_ih, W_hh and the biases (none by default). */
  void otherWeightGradients(Trace tr, DoubleEngineWeights grads, OtherGradients products) {}

  /**
   * The [T*B, G*H] gradients whose column sums are the gradient of {@code bias_hh}; by default the recurrent gradients
   * (the gate gradients, the same as for {@code bias_ih}).
   */
  double[] recurrentBiasGradients(Trace tr) {
    return tr.recurrentGrads;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Products shared by the cells
  // ---------------------------------------------------------------------------------------------------------------

  /**
   * {@code C[rows, G*H] = a[rows, inner] W^T + bias} (bias null: no bias), W = the G*H x inner matrix at wOff in wArr:
   * with its packed copy p, the bias added in the GEMM's epilogue ({@link DoubleKernels#gemmPackedBias}, C not read);
   * straight from W when p is null, C filled with the bias rows first. The packed form has the bits of gemmPacked
   * with beta = 1 on bias rows (the kernel's contract) in both the forward pass and the packed streaming step.
   */
  final void biasedProduct(int rows, int inner, double[] a, int aOff, DoublePackedMatrix p, double[] wArr, int wOff,
                           double[] bias, double[] c, int cOff) {
    if (p != null) {
      if (bias != null) {
        k.gemmPackedBias(false, rows, 1, a, aOff, inner, p, bias, 0, c, cOff, gh);
      } else {
        k.gemmPacked(false, rows, 1, a, aOff, inner, p, 0, c, cOff, gh);
      }
      return;
    }
    if (bias != null) {
      for (int r = 0; r < rows; r++) {
        k.copy(gh, bias, 0, c, cOff + r * gh);
      }
    }
    k.gemm(false, true, rows, gh, inner, 1, a, aOff, inner, wArr, wOff, inner, bias != null ? 1 : 0, c, cOff, gh);
  }

  /**
   * {@code C[n, cols] (row stride G*H) = a[n, state] W^T + beta C} for the block of W_hh's rows starting at row
   * {@code firstRow}: with its packed copy p, or straight from W_hh when p is null.
   */
  final void recurrentGemm(int n, int cols, double[] a, int aOff, DoubleEngineWeights w, DoublePackedMatrix p,
                           int firstRow, double beta, double[] c, int cOff) {
    if (p != null) {
      k.gemmPacked(false, n, 1, a, aOff, stateWidth, p, beta, c, cOff, gh);
    } else {
      k.gemm(false, true, n, cols, stateWidth, 1, a, aOff, stateWidth, w.whh, w.whhOff + firstRow * stateWidth,
          stateWidth, beta, c, cOff, gh);
    }
  }

  /**
   * The arrays and offsets of one forward time step: the step's gate rows, the cell's scratch, the previous states
   * read and the new states written. A holder reused from step to step (by one thread), so that a step allocates
   * nothing.
   */
  static final class Step {
    /** Rows of this step (the active prefix of the batch block). */
    int n;
    /** [n, G*H] at g: the input projections in, the pre-activations or activations out (cell-specific). */
    double[] gates;
    int g;
    /** Recurrent projections [n, G*H] (GRU), at ghOff. */
    double[] ghs;
    int ghOff;
    /** The trace row of the step's first row: {@code t * B + b0}. */
    int row;
    /** Rows of {@code auxWidth()} the cell keeps (see {@link Trace}), row {@code row} first. */
    double[] aux;
    /** Backward: offsets of the block's first row in the [B, state] and [B, H] scratch and carries. */
    int r0;
    int c0;
    /** One row of H scratch at tmpOff. */
    double[] tmp;
    int tmpOff;
    /** Previous states [n, H], not modified. */
    double[] hPrev;
    int hp;
    /** Previous cell states [n, H], not modified (may be the same range as c). */
    double[] cPrev;
    int cp;
    /** New states [n, H], written; must not overlap hPrev. */
    double[] h;
    int ho;
    /** New cell states [n, H], written. */
    double[] c;
    int co;
  }

  /**
   * One step of a range of hidden units ({@link #forwardUnits}): the range, its packed matrices and gate rows, and
   * the whole state rows it reads and writes its units of. A holder reused from step to step, so that a step
   * allocates nothing.
   */
  static final class UnitStep {
    /** Rows of the step. */
    int n;
    /** The first unit of the range and the number of its units (m). */
    int first;
    int units;
    /** The range's rows of W_hh (its G blocks of m rows, in gate order), packed transposed: [state, G*m]. */
    DoublePackedMatrix hhT;
    /** GRU: the range's part of the recurrent bias [G*m], or null for none. */
    double[] recurrentBias;
    /** [n, G*m] at g: the range's input projections in; pre-activations or activations out, as in forwardStep. */
    double[] gates;
    int g;
    /** GRU: scratch for the range's recurrent projections, [n, G*m]. */
    double[] ghs;
    /** Previous states [n, state] (whole rows), not modified. */
    double[] hPrev;
    int hp;
    /** New states [n, state] (whole rows): the range's units written; must not overlap hPrev. */
    double[] h;
    int ho;
    /** LSTM: previous and new cell states [n, H] (whole rows), the range's units read and written. */
    double[] cPrev;
    int cp;
    double[] c;
    int co;
  }
}
