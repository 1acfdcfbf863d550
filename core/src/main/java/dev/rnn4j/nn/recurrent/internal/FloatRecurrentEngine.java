package dev.rnn4j.nn.recurrent.internal;

// Generated from DoubleRecurrentEngine.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.kernels.FloatPackedMatrix;
import dev.rnn4j.nn.recurrent.CellKind;
import dev.rnn4j.tensor.Parallelism;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The float32 sequence engine of one direction of one recurrent layer, on raw arrays and the kernel contract only
 * (every arithmetic loop is a kernel call). The engine schedules: time steps, batch blocks, threads, the input
 * projection and the weight-gradient products; what one time step computes, forward and backward, and what it keeps
 * for the backward pass is its {@link FloatCell}'s ({@link FloatLstmCell}, {@link FloatGruCell},
 * {@link FloatGruResetBeforeCell}, {@link FloatRnnCell}). The engine never asks which cell it runs.
 *
 * <h2>Layout</h2>
 * Row-major, time-major: the input is {@code x[T * B, I]}, time step t occupies rows {@code [t*B, (t+1)*B)}.
 * Weights ({@link FloatEngineWeights}) are in PyTorch's layout: {@code wih[G*H, I]}, {@code whh[G*H, H]},
 * {@code bih[G*H]}, {@code bhh[G*H]} with the gate blocks in PyTorch's order (LSTM i, f, g, o; GRU r, z, n).
 *
 * <h2>Variable lengths</h2>
 * The batch must be sorted by length, longest first; {@code batchSizes[t]} is the number of sequences still running
 * at time t (non-increasing, {@code batchSizes[0] == B}). At each step the active rows are then a prefix, and the
 * recurrent GEMM and the pointwise kernel run on that prefix only (PyTorch's packed-sequence idea). The forward
 * direction stops a finished row simply by not touching it; the reverse direction starts each row at its own last
 * step by placing the initial state into the previous-state slot of that row just before its first step.
 *
 * <h2>Work per sequence</h2>
 * Forward: one GEMM for the input projection of all T steps with the biases the cell folds in
 * ({@link FloatCell#foldBiases}), added in the GEMM's epilogue ({@link FloatKernels#gemmPackedBias}) rather than by
 * filling the gate rows first, then per step the cell's step: one recurrent GEMM accumulating into that step's gate
 * block and one fused pointwise kernel (the classic GRU variant needs two GEMMs, see its cell). Backward walks the
 * steps in reverse with the cell's backward step (fused backward kernels and one GEMM per step for the state
 * gradient); the weight gradients are large GEMMs over all {@code T * B} rows at the end, the bias gradients column
 * sums.
 *
 * <p>The weight matrices of the per-step products are packed once per pass ({@link FloatKernels#packB}), or not at
 * all when the caller gives packed copies it keeps between passes ({@link FloatEngineWeights#usePacked}), and every
 * step multiplies with the packed copy ({@link FloatKernels#gemmPacked}), instead of rearranging W_hh in each of
 * the T steps. gemmPacked's rows are independent bit for bit, so the results do not depend on how the batch is split
 * into blocks, nor on how many rows of a shrinking batch are still active.
 *
 * <h2>Threads</h2>
 * Large problems are split into tasks for {@link Parallelism} ({@link WorkSplit}): forward, the input projection by
 * chunks of rows, then the recurrence by blocks of batch rows (a row's state depends only on the same row's previous
 * state, so each block runs all T steps alone); backward, the recurrence by batch blocks again, then the weight
 * gradients by blocks of their output rows or of the gate-gradient columns ({@link FloatWeightGradients}; each
 * element's sum over all T*B rows is one task's), the input gradient
 * by chunks of rows and each bias gradient as one task. The chunk and output-block boundaries depend on the sizes
 * only, and one thread runs the same tasks in order; the batch blocks follow the thread count, which changes no bit
 * because every per-step kernel computes a row the same way in any block. So results are bitwise the same for every
 * thread count. Streaming ({@link FloatStreamingStep}) never splits.
 *
 * <p>Not thread-safe: a {@link Trace} belongs to one caller at a time. Streaming runs through
 * {@link FloatStreamingStep}.
 */
public final class FloatRecurrentEngine {

  private final FloatKernels k;
  private final FloatCell cell;
  private final int inputSize;
  private final int hidden; // the width of h (P for a cell with a projection, else H)
  private final int cellWidth; // the width of the cell state c (H)
  private final int gh; // G * H: the width of a gate row

  /**
   * @param kernels the kernels every loop runs on
   * @param kind the cell
   * @param inputSize I, the width of an input row
   * @param hidden H, the width of a state row
   */
  public FloatRecurrentEngine(FloatKernels kernels, CellKind kind, int inputSize, int hidden) {
    this(FloatCell.create(kernels, kind, inputSize, hidden));
  }

  /** An engine that runs {@code cell} (and the kernels the cell computes with). */
  FloatRecurrentEngine(FloatCell cell) {
    this.cell = Objects.requireNonNull(cell, "cell");
    this.k = cell.kernels();
    this.inputSize = cell.inputSize;
    this.hidden = cell.stateWidth;
    this.cellWidth = cell.hidden;
    this.gh = cell.gh;
  }

  public CellKind kind() {
    return cell.kind();
  }

  public int inputSize() {
    return inputSize;
  }

  /** The width of a state row h: H, or P for an LSTM with a projection. */
  public int hidden() {
    return hidden;
  }

  /** The cell this engine runs. */
  FloatCell cell() {
    return cell;
  }

  /** G * H: the width of a gate row. */
  int gateWidth() {
    return gh;
  }

  /**
   * The matrices one time step multiplies with, packed ({@link FloatKernels#packB}): W_ih^T for the input
   * projection and W_hh^T for the recurrent product (GRU reset-before: {@code hhT} holds the r and z rows,
   * {@code hhTn} the n rows; otherwise {@code hhTn} is null), and a matrix of the cell's own in
   * {@code extraT} (the LSTM with a projection: W_hr^T; else null). Read-only once made, so one instance can serve
   * several streams on several threads.
   */
  public record PackedStep(FloatPackedMatrix ihT, FloatPackedMatrix hhT, FloatPackedMatrix hhTn,
                           FloatPackedMatrix extraT) {}

  /**
   * Packs the step matrices of the weights {@code w} points at, into new storage (or into {@code reuse}'s, which must
   * then not be in use by anyone else).
   */
  public PackedStep packStep(FloatEngineWeights w, PackedStep reuse) {
    return cell.packStep(w, reuse);
  }

  /** Packs the matrices the backward steps multiply with, from the current weights. */
  private void packBackward(FloatEngineWeights w) {
    cell.packBackward(w);
  }

  /** Computes the folded bias of {@code w} from its current biases. */
  void prepare(FloatEngineWeights w) {
    if (w.hasBias()) {
      cell.foldBiases(w);
    }
  }

  /**
   * Everything the forward pass of one sequence batch saves for the backward pass, plus the backward scratch.
   * Reusable: {@link #forward} reallocates only when T or B grows.
   */
  public static final class Trace {
    int steps;
    int batch;
    int[] batchSizes;
    boolean reverse;
    float[] x;
    int xOff;
    /**
     * [T*B, G*H]: the projections, then (LSTM, GRU) the gate activations after each step, then, after a backward
     * that consumed the trace (and always for the RNN), the gate gradients.
     */
    float[] gates = new float[0];
    /** GRU: [T*B, 3H], the recurrent projections including b_hh. */
    float[] ghs = new float[0];
    /**
     * [T*B, H], a product the cell keeps per row (same row index as the gates): GRU reset-before r * h_(t-1), LSTM
     * with a projection o * tanh(c_t) before the projection.
     */
    float[] aux = new float[0];
    /**
     * Per-row backward products a cell reduces over all rows at the end: LSTM with a projection [T*B, P], the gradient
     * of each step's output state (for the gradient of W_hr); LSTM with peepholes [T*B, 3H], (di c', df c', do c).
     */
    float[] dStates = new float[0];
    /** [(T+1)*B, H]: state slots (see {@link FloatRecurrentEngine#prevSlot}). */
    float[] hs = new float[0];
    /** LSTM: [(T+1)*B, H], cell-state slots, indexed as hs (with rows of H, which may differ from h's width). */
    float[] cs = new float[0];
    // backward scratch
    float[] dGates = new float[0];
    float[] dGh = new float[0];
    /**
     * The arrays the running backward pass writes the gate gradients into: dGates and dGh, or gates and ghs
     * themselves (see {@link #consumeOnBackward}).
     */
    public float[] gateGrads;
    float[] recurrentGrads;
    /** Set by {@link #consumeOnBackward}. */
    boolean consumable;
    /** A backward pass wrote gradients over the saved activations; cleared by the next forward pass. */
    boolean consumed;
    /** Set by {@link #forwardOnly}. */
    boolean forwardOnly;
    /** The last forward pass kept a ring of a few steps' gate rows, not all of them: no backward can follow it. */
    boolean ringed;
    /**
     * Where the last forward pass wrote its states instead of the state slots
     * ({@link #forward(Sequence, FloatEngineWeights, States, Trace, float[], int)}: the caller's [T*B, H] rows at
     * {@link #outputsOff}), or null when it wrote them into {@link #hs}. No backward can follow a pass that wrote them
     * elsewhere.
     */
    float[] outputs;
    int outputsOff;
    float[] dhCarry = new float[0];
    float[] dcCarry = new float[0];
    float[] dhWork = new float[0];
    float[] tmpA = new float[0];
    float[] tmpB = new float[0];
    /** [G*H]: the column sums of the gate gradients, shared by both bias gradients (not the GRU's). */
    float[] biasSums = new float[0];
    /** The weight-gradient products of the backward pass, with their packed operands and scratch; made on first use. */
    private FloatWeightGradients weightGradients;

    FloatWeightGradients weightGradients(FloatKernels k) {
      if (weightGradients == null || weightGradients.kernels() != k) {
        weightGradients = new FloatWeightGradients(k);
      }
      return weightGradients;
    }

    /**
     * Whether the next {@link FloatRecurrentEngine#backward} through this trace may consume it: write the gate
     * gradients over the saved gate activations (each step's gradients over its own rows, once its kernel has read
     * them) instead of into a separate {@code [T*B, G*H]} array, so that the trace keeps one such array less between
     * calls (for the GRU, two). After such a pass the trace serves no further backward until the next forward
     * (another backward throws {@link IllegalStateException}). The results are the same bits either way. Kept until
     * changed; false at first.
     *
     * <p>The plain RNN's backward never reads the saved pre-activations, so its gradients always go over them.
     */
    public void consumeOnBackward(boolean consume) {
      this.consumable = consume;
    }

    /**
     * Whether no backward pass will follow the next forward passes through this trace (inference). Such a pass on
     * one thread keeps only a ring of a few steps' gate rows, written by the input projection just before those steps
     * and read back from L2, instead of all T steps' rows; a backward after it throws {@link IllegalStateException}.
     * The outputs and final states are the same bits either way. Kept until changed; false at first.
     */
    public void forwardOnly(boolean only) {
      this.forwardOnly = only;
    }

    /** Time steps of the last forward pass. */
    public int steps() {
      return steps;
    }

    /** Batch size of the last forward pass. */
    public int batch() {
      return batch;
    }

    /** Whether some sequence of the last forward pass is shorter than the batch's longest. */
    boolean ragged() {
      return steps > 0 && batchSizes[steps - 1] < batch;
    }

    /** The state array: the output of time t is at {@link #outputOffset}, rows past the active prefix unused. */
    public float[] states() {
      return hs;
    }

    /** The cell-state array of an LSTM, same indexing as {@link #states()}. */
    public float[] cellStates() {
      return cs;
    }

    /**
     * Drops the references to arrays of the caller's that the last forward pass kept (its input and, see
     * {@link #outputs}, its outputs), so that an idle trace keeps only its own arrays alive.
     */
    void forgetCallerArrays() {
      x = null;
      outputs = null;
    }

    /** Elements of the arrays this trace keeps between calls: its saved state and its backward scratch. */
    long retainedLength() {
      return (long) gates.length + ghs.length + aux.length + dStates.length + hs.length + cs.length + dGates.length
          + dGh.length + dhCarry.length + dcCarry.length + dhWork.length + tmpA.length + tmpB.length + biasSums.length;
    }
  }

  static float[] ensure(float[] a, int n) {
    return a.length >= n ? a : new float[n];
  }

  // Slot s of hs/cs holds B rows. The forward direction reads step t's previous state from slot t and writes slot
  // t + 1; the reverse direction reads slot t + 1 and writes slot t. Either way the previous states of all T steps
  // are T consecutive slots, so dW_hh is one GEMM.
  private static int prevSlot(boolean reverse, int t) {
    return reverse ? t + 1 : t;
  }

  private static int outSlot(boolean reverse, int t) {
    return reverse ? t : t + 1;
  }

  /** Offset into {@link Trace#states()} of the output (hidden state) at time t. */
  public int outputOffset(Trace tr, int t) {
    return outSlot(tr.reverse, t) * tr.batch * hidden;
  }

  /**
   * Final state offset of sequence row b: the state after its own last step (time {@code len_b - 1} forward,
   * time 0 reverse).
   */
  public int finalStateOffset(Trace tr, int b, int length) {
    return outputOffset(tr, tr.reverse ? 0 : length - 1) + b * hidden;
  }

  /** As {@link #finalStateOffset}, into {@link Trace#cellStates()}. */
  public int finalCellStateOffset(Trace tr, int b, int length) {
    return (outSlot(tr.reverse, tr.reverse ? 0 : length - 1) * tr.batch + b) * cellWidth;
  }

  /**
   * One direction's input: a sorted batch of sequences.
   *
   * @param x not modified (and kept by reference until {@link #backward}): [T*B, I], time step t at rows
   *     {@code [t*B, (t+1)*B)} from {@code xOff}
   * @param batchSizes not modified (kept): active rows per time step, non-increasing, first element B
   * @param reverse run from each sequence's last step to its first
   */
  public record Sequence(float[] x, int xOff, int steps, int batch, int[] batchSizes, boolean reverse) {}

  /**
   * States of a batch, [B, H] each, as arrays with offsets: initial states, final-state gradients or initial-state
   * gradients. {@code c} is the LSTM's cell state and ignored by the other cells; either array may be null (zeros,
   * or not wanted).
   */
  public record States(float[] h, int hOff, float[] c, int cOff) {
    /** No states: zeros in, nothing out. */
    public static final States NONE = new States(null, 0, null, 0);
  }

  /**
   * The gradient of the outputs, time step t row b at {@code off + (t*B + b) * ld}; rows past a sequence's end are
   * ignored. {@code a} null: no output gradient.
   */
  public record OutputGradients(float[] a, int off, int ld) {}

  /**
   * Runs one direction over a sorted batch.
   *
   * @param w the weights
   * @param init not modified: the initial states, or null arrays for zeros
   * @param tr written: the saved state; its outputs are read through {@link #outputOffset}
   */
  public void forward(Sequence seq, FloatEngineWeights w, States init, Trace tr) {
    forward(seq, w, init, tr, null, 0);
  }

  /**
   * As {@link #forward(Sequence, FloatEngineWeights, States, Trace)} for a pass after which no backward pass
   * follows, in the forward direction: each step writes its states straight into {@code out} (time step t, row b at
   * {@code outOff + (t * B + b) * H}, rows past a sequence's end not touched), and the next step reads them from
   * there, instead of writing the trace's state slots for the caller to copy out. The trace's slots then hold only
   * the initial states. The states are the same bits either way (only where they are stored differs).
   *
   * @param out written: [T*B, H] from {@code outOff}, the active rows of every step; must not overlap the input
   * @throws IllegalStateException when the trace is not {@link Trace#forwardOnly} or the sequence runs in reverse
   */
  public void forward(Sequence seq, FloatEngineWeights w, States init, Trace tr, float[] out, int outOff) {
    if (out != null && (!tr.forwardOnly || seq.reverse())) {
      throw new IllegalStateException("recurrent engine: forward: states written into the caller's array need a "
          + "forward-only trace (forwardOnly " + tr.forwardOnly + ") in the forward direction (reverse "
          + seq.reverse() + ")");
    }
    int steps = seq.steps();
    int batch = seq.batch();
    boolean reverse = seq.reverse();
    int bh = batch * hidden;
    int bc = batch * cellWidth;
    tr.steps = steps;
    tr.batch = batch;
    tr.batchSizes = seq.batchSizes();
    tr.reverse = reverse;
    tr.x = seq.x();
    tr.xOff = seq.xOff();
    tr.consumed = false;
    tr.ringed = false;
    tr.outputs = out;
    tr.outputsOff = outOff;
    int rows = steps * batch;
    boolean ragged = tr.ragged();
    int[] chunks = WorkSplit.rowChunks(rows, (long) gh * inputSize);
    int[] blocks = WorkSplit.batchBlocks(batch, (long) gh * hidden, ragged, Parallelism.threads());
    // Inference on one thread: the input projection runs a few steps at a time into a ring of gate rows that stays
    // in L2, just before those steps, instead of all T steps' rows up front (G*H*T*B elements, 13 MB for the LSTM at
    // B=32 T=100 H=256, written once and read back from L3 or memory by the steps); not when one step's rows alone
    // would crowd L2 (WorkSplit.ringSteps is 0). Rows of a packed product are independent bit for bit, so the
    // grouping of the rows into projection calls changes no result.
    int ring = tr.forwardOnly && blocks.length == 2 && (chunks.length == 2 || Parallelism.threads() < 2)
        ? Math.min(steps, WorkSplit.ringSteps(batch, gh, Float.BYTES)) : 0;
    // A batch too small to split by rows, on two threads: each step split by hidden units instead, bit for bit the
    // same (FloatUnitSplit). For inference the split projects the input into rings of its own (holding every step's
    // rows when one step's alone crowd L2); a recorded pass projects into the trace as always.
    boolean unitSplit = !ragged && blocks.length == 2
        && FloatUnitSplit.pays(cell, steps, batch, Parallelism.threads());
    boolean splitRings = unitSplit && tr.forwardOnly;
    if (splitRings && ring == 0) {
      ring = steps;
    }
    if (!splitRings) {
      tr.gates = ensure(tr.gates, (ring > 0 ? ring * batch : rows) * gh);
    }
    tr.hs = ensure(tr.hs, (steps + 1) * bh);
    boolean cellState = cell.hasCellState();
    if (cellState) {
      tr.cs = ensure(tr.cs, (steps + 1) * bc);
    }
    // Inactive rows must hold finite values: the weight-gradient GEMMs multiply them by zero gate gradients. With
    // every sequence running all T steps there are none (every step writes all its rows), and only the initial
    // slot needs zeros (the state when no h0 / c0 is given); zeroing everything would be a serial pass over
    // 2 (T+1) B H elements on every call.
    int initial = reverse ? steps * bh : 0;
    k.fill(ragged ? (steps + 1) * bh : bh, 0, tr.hs, ragged ? 0 : initial);
    if (cellState) {
      k.fill(ragged ? (steps + 1) * bc : bc, 0, tr.cs, ragged ? 0 : (reverse ? steps * bc : 0));
    }
    if (!splitRings) {
      cell.prepareTrace(tr, rows, bh, ragged);
    }
    prepare(w);
    // Packed matrices the caller keeps for these weights (the layer's, between calls) are used as they are; else the
    // pass packs its own, into the storage of the holder's last pass.
    PackedStep packed = w.stepPacked != null ? w.stepPacked : (w.forwardPacked = packStep(w, w.forwardPacked));
    if (!reverse) {
      if (init.h() != null) {
        k.copy(bh, init.h(), init.hOff(), tr.hs, 0);
      }
      if (init.c() != null && cellState) {
        k.copy(bc, init.c(), init.cOff(), tr.cs, 0);
      }
    }
    if (unitSplit && (w.unitSplit == null || !w.unitSplit.splits(cell))) {
      w.unitSplit = new FloatUnitSplit(cell);
    }
    if (splitRings) {
      tr.ringed = true;
      w.unitSplit.run(tr, w, packed, init, ring);
      return;
    }
    if (ring > 0) {
      tr.ringed = true;
      forwardRows(tr, w, packed, init, 0, batch, ring);
      return;
    }
    float[] x = seq.x();
    int xOff = seq.xOff();
    Parallelism.forEach(chunks.length - 1, c -> project(x, xOff + chunks[c] * inputSize, chunks[c + 1] - chunks[c],
        w, packed, tr.gates, chunks[c] * gh));
    if (unitSplit) {
      w.unitSplit.run(tr, w, packed, init, 0);
      return;
    }
    Parallelism.forEach(blocks.length - 1, j -> forwardRows(tr, w, packed, init, blocks[j], blocks[j + 1], 0));
  }

  /** Active rows of the batch block [b0, b1) when the first {@code active} rows of the batch run. */
  private static int activeIn(int active, int b0, int b1) {
    return Math.max(0, Math.min(active, b1) - b0);
  }

  /**
   * The recurrence over all steps for the batch rows [b0, b1): touches only those rows of the trace. With
   * {@code ring > 0} the rows are the whole batch, their input projections are not computed yet, and the gates
   * array is a ring of {@code ring} steps' rows: each group of {@code ring} steps (in running order) is projected
   * into it just before its first step.
   */
  private void forwardRows(Trace tr, FloatEngineWeights w, PackedStep packed, States init, int b0, int b1, int ring) {
    int steps = tr.steps;
    int batch = tr.batch;
    boolean reverse = tr.reverse;
    int bh = batch * hidden;
    int bc = batch * cellWidth;
    int r0 = b0 * hidden; // offset of the block's first row in a state slot
    int c0 = b0 * cellWidth; // in a cell-state slot
    boolean cellState = cell.hasCellState();
    // With the caller's output rows (forward direction only, see forward): step t reads step t - 1's rows there, and
    // step 0 the initial slot of the trace.
    float[] outs = tr.outputs;
    int outsOff = tr.outputsOff - bh; // time step t's rows start at outsOff + (t + 1) * bh, as slot t + 1 would
    FloatCell.Step s = new FloatCell.Step();
    s.gates = tr.gates;
    s.ghs = tr.ghs;
    s.aux = tr.aux;
    s.tmp = tr.tmpA;
    s.tmpOff = r0;
    s.hPrev = tr.hs;
    s.h = tr.hs;
    s.cPrev = tr.cs;
    s.c = tr.cs;
    int first = 0; // with a ring: the time step of its first row
    for (int i = 0; i < steps; i++) {
      int t = reverse ? steps - 1 - i : i;
      if (ring > 0 && i % ring == 0) {
        int m = Math.min(ring, steps - i);
        first = reverse ? t - m + 1 : t;
        project(tr.x, tr.xOff + first * batch * inputSize, m * batch, w, packed, tr.gates, 0);
      }
      int n = activeIn(tr.batchSizes[t], b0, b1);
      if (n == 0) {
        continue;
      }
      int p = prevSlot(reverse, t) * bh + r0;
      int o = outSlot(reverse, t) * bh + r0;
      if (reverse) {
        // Rows whose last step is t start here, from the initial state.
        int start = t == steps - 1 ? 0 : activeIn(tr.batchSizes[t + 1], b0, b1);
        if (start < n) {
          if (init.h() != null) {
            k.copy((n - start) * hidden, init.h(), init.hOff() + r0 + start * hidden, tr.hs, p + start * hidden);
          }
          if (init.c() != null && cellState) {
            k.copy((n - start) * cellWidth, init.c(), init.cOff() + c0 + start * cellWidth, tr.cs,
                prevSlot(reverse, t) * bc + c0 + start * cellWidth);
          }
        }
      }
      int g = ((ring > 0 ? t - first : t) * batch + b0) * gh;
      s.n = n;
      s.g = g;
      s.ghOff = g;
      s.row = t * batch + b0;
      if (outs != null) {
        s.hPrev = t == 0 ? tr.hs : outs;
        p = t == 0 ? p : outsOff + p;
        s.h = outs;
        o = outsOff + o;
      }
      s.hp = p;
      s.cp = prevSlot(reverse, t) * bc + c0;
      s.ho = o;
      s.co = outSlot(reverse, t) * bc + c0;
      cell.forwardStep(s, w, packed);
    }
  }

  /** gates[rows, G*H] = x W_ih^T + folded bias (one GEMM for all rows; with the packed W_ih^T unless null). */
  void project(float[] x, int xOff, int rows, FloatEngineWeights w, PackedStep packed, float[] gates, int gOff) {
    cell.biasedProduct(rows, inputSize, x, xOff, packed == null ? null : packed.ihT(), w.wih, w.wihOff,
        w.hasBias() ? w.folded : null, gates, gOff);
  }

  /**
   * Backward of the last {@link #forward} through {@code tr}. Gradients of weights, biases and the input are
   * accumulated (added), so that two directions or several calls can share them; the initial-state gradients are
   * written.
   *
   * @param dOut not modified: gradient of the outputs (a null array for none)
   * @param dFinal not modified: gradients of the final states [B, H] (h, and the LSTM's c), null arrays for none
   * @param grads modified (accumulated): the holder pointing at the gradients of {@code weight_ih} [G*H, I],
   *     {@code weight_hh} [G*H, H] and the biases [G*H] (null arrays: no bias)
   * @param dx modified (accumulated), [T*B, I], or null when the input needs no gradient
   * @param dInitial written: the gradients of the initial states [B, H], null arrays where not wanted
   * @throws IllegalStateException when an earlier backward consumed the trace ({@link Trace#consumeOnBackward})
   *     and no forward pass has run since, or when the last forward pass ran for inference only
   *     ({@link Trace#forwardOnly})
   */
  public void backward(Trace tr, FloatEngineWeights w, OutputGradients dOut, States dFinal,
                       FloatEngineWeights grads, float[] dx, int dxOff, States dInitial) {
    int steps = tr.steps;
    int batch = tr.batch;
    int bh = batch * hidden;
    int bc = batch * cellWidth;
    int rows = steps * batch;
    int hd = hidden;
    boolean reverse = tr.reverse;
    if (tr.consumed) {
      throw new IllegalStateException("recurrent engine: backward through a trace whose saved activations an earlier "
          + "backward overwrote (consumeOnBackward); run forward again first");
    }
    if (tr.ringed || tr.outputs != null) {
      throw new IllegalStateException("recurrent engine: backward through a trace whose forward pass ran for "
          + "inference only (Trace.forwardOnly) and kept no " + (tr.ringed ? "gate activations" : "states")
          + "; run forward again without it first");
    }
    // Gradients over activations: see Trace.consumeOnBackward. The kernels allow it (lstmBackward and gruBackward
    // read a unit's activations before writing its gradients; the map kernels' backward may write over y; the
    // RNN's reads only hs).
    boolean readsGates = cell.backwardReadsGates();
    boolean inPlace = !readsGates || tr.consumable;
    tr.gateGrads = inPlace ? tr.gates : (tr.dGates = ensure(tr.dGates, rows * gh));
    cell.startBackward(tr, rows, inPlace);
    tr.consumed = inPlace && readsGates;
    tr.dhCarry = ensure(tr.dhCarry, bh);
    tr.dhWork = ensure(tr.dhWork, bh);
    tr.tmpA = ensure(tr.tmpA, bh);
    tr.tmpB = ensure(tr.tmpB, bh);
    if (dFinal.h() != null) {
      k.copy(bh, dFinal.h(), dFinal.hOff(), tr.dhCarry, 0);
    } else {
      k.fill(bh, 0, tr.dhCarry, 0);
    }
    boolean cellState = cell.hasCellState();
    if (cellState) {
      tr.dcCarry = ensure(tr.dcCarry, bc);
      if (dFinal.c() != null) {
        k.copy(bc, dFinal.c(), dFinal.cOff(), tr.dcCarry, 0);
      } else {
        k.fill(bc, 0, tr.dcCarry, 0);
      }
    }
    float[] dG = tr.gateGrads;
    packBackward(w);
    int[] blocks = WorkSplit.batchBlocks(batch, (long) gh * hd, tr.ragged(), Parallelism.threads());
    Parallelism.forEach(blocks.length - 1, j -> backwardRows(tr, w, dOut, blocks[j], blocks[j + 1]));
    // Weight gradients, bias gradients and the input gradient: independent tasks over all T*B rows, each computing
    // whole reductions for its own output elements.
    List<Runnable> tasks = new ArrayList<>();
    FloatWeightGradients products = tr.weightGradients(k);
    products.add(0, gh, dG, 0, gh, tr.x, tr.xOff, inputSize, grads.wih, grads.wihOff);
    float[] dWhh = grads.whh;
    int dWhhOff = grads.whhOff;
    cell.recurrentWeightGradients(tr, prevSlot(reverse, 0) * bh, (slot, outRows, src, srcCol, b, bOff, dWOff) ->
        products.add(slot, outRows, src, srcCol, gh, b, bOff, hd, dWhh, dWhhOff + dWOff));
    cell.otherWeightGradients(tr, grads, (slot, outRows, src, srcLd, b, bCols, dW, dWOff) ->
        products.add(slot, outRows, src, 0, srcLd, b, 0, bCols, dW, dWOff));
    products.schedule(tasks, rows);
    float[] dbih = grads.bih;
    int dbihOff = grads.bihOff;
    float[] dbhh = grads.bhh;
    int dbhhOff = grads.bhhOff;
    float[] dGh = cell.recurrentBiasGradients(tr);
    if (dbih != null && dbhh != null && dGh == dG) {
      // b_ih and b_hh enter the same pre-activations, so their gradients are the same column sums of dG: one pass
      // over the T*B rows instead of two. The sums start from -0.0, which adding leaves exact for every x (so each is
      // exactly the kernel's sum), and adding them to each gradient is the one addition that summing straight into
      // it would make: the same bits.
      tr.biasSums = ensure(tr.biasSums, gh);
      float[] sums = tr.biasSums;
      tasks.add(() -> {
        k.fill(gh, -0.0f, sums, 0);
        k.addColumnSums(rows, gh, dG, 0, gh, sums, 0);
        k.add(gh, dbih, dbihOff, sums, 0, dbih, dbihOff);
        k.add(gh, dbhh, dbhhOff, sums, 0, dbhh, dbhhOff);
      });
    } else {
      if (dbih != null) {
        tasks.add(() -> k.addColumnSums(rows, gh, dG, 0, gh, dbih, dbihOff));
      }
      if (dbhh != null) {
        tasks.add(() -> k.addColumnSums(rows, gh, dGh, 0, gh, dbhh, dbhhOff));
      }
    }
    if (dx != null) {
      w.ih = k.packB(false, gh, inputSize, w.wih, w.wihOff, inputSize, w.ih);
      int[] chunks = WorkSplit.rowChunks(rows, (long) gh * inputSize);
      for (int c = 0; c + 1 < chunks.length; c++) {
        int c0r = chunks[c];
        int m = chunks[c + 1] - c0r;
        tasks.add(() -> k.gemmPacked(false, m, 1, dG, c0r * gh, gh, w.ih, 1, dx, dxOff + c0r * inputSize,
            inputSize));
      }
    }
    WorkSplit.run((long) rows * gh * (2L * inputSize + hd), tasks);
    if (dInitial.h() != null) {
      k.copy(bh, tr.dhCarry, 0, dInitial.h(), dInitial.hOff());
    }
    if (dInitial.c() != null && cellState) {
      k.copy(bc, tr.dcCarry, 0, dInitial.c(), dInitial.cOff());
    }
  }

  /**
   * The reverse walk over time for the batch rows [b0, b1): reads and writes only those rows of the trace, the
   * carried gradients and the gate gradients.
   */
  private void backwardRows(Trace tr, FloatEngineWeights w, OutputGradients dOut, int b0, int b1) {
    int steps = tr.steps;
    int batch = tr.batch;
    int hd = hidden;
    int bh = batch * hd;
    boolean reverse = tr.reverse;
    int r0 = b0 * hd;
    int bc = batch * cellWidth;
    float[] dG = tr.gateGrads;
    FloatCell.Step s = new FloatCell.Step();
    s.r0 = r0;
    s.c0 = b0 * cellWidth;
    float[] dGh = tr.recurrentGrads;
    float[] dy = dOut.a();
    int dyOff = dOut.off();
    int dyLd = dOut.ld();
    // Walk the steps in the opposite order of the forward pass. A row's carried gradient is dhN until its own last
    // step is reached; after its first step it is never touched again, so at the end the carries are dh0 and dc0.
    for (int i = 0; i < steps; i++) {
      int t = reverse ? i : steps - 1 - i;
      int n = activeIn(tr.batchSizes[t], b0, b1);
      int g = (t * batch + b0) * gh;
      // The cell writes every gate-gradient row of the active prefix. Rows past a sequence's end must be zero,
      // because the weight-gradient GEMMs run over all T*B rows: zero exactly those (in this block).
      if (n < b1 - b0) {
        k.fill((b1 - b0 - n) * gh, 0, dG, g + n * gh);
        if (dGh != dG) {
          k.fill((b1 - b0 - n) * gh, 0, dGh, g + n * gh);
        }
      }
      if (n == 0) {
        continue;
      }
      int p = prevSlot(reverse, t) * bh + r0;
      int o = outSlot(reverse, t) * bh + r0;
      // dh = dOut[t] + carried gradient, for the active rows
      if (dy == null) {
        k.copy(n * hd, tr.dhCarry, r0, tr.dhWork, r0);
      } else if (dyLd == hd) {
        k.add(n * hd, dy, dyOff + (t * batch + b0) * hd, tr.dhCarry, r0, tr.dhWork, r0);
      } else {
        for (int r = 0; r < n; r++) {
          k.add(hd, dy, dyOff + (t * batch + b0 + r) * dyLd, tr.dhCarry, r0 + r * hd, tr.dhWork, r0 + r * hd);
        }
      }
      s.n = n;
      s.g = g;
      s.row = t * batch + b0;
      s.hp = p;
      s.ho = o;
      s.cp = prevSlot(reverse, t) * bc + s.c0;
      s.co = outSlot(reverse, t) * bc + s.c0;
      cell.backwardStep(tr, w, s);
    }
  }
}
