package dev.rnn4j.nn.recurrent;

// Generated from DoubleRecurrentEngine.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.kernels.FloatPackedMatrix;
import dev.rnn4j.tensor.Parallelism;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The float32 sequence engine of one direction of one recurrent layer, on raw arrays and the kernel contract only
 * (every arithmetic loop is a kernel call; this class only decides which kernel runs on which rows).
 *
 * <h2>Layout</h2>
 * Row-major, time-major: the input is {@code x[T * B, I]}, time step t occupies rows {@code [t*B, (t+1)*B)}. Weights
 * are in PyTorch's layout: {@code wih[G*H, I]}, {@code whh[G*H, H]}, {@code bih[G*H]}, {@code bhh[G*H]} with the gate
 * blocks in PyTorch's order (LSTM i, f, g, o; GRU r, z, n).
 *
 * <h2>Variable lengths</h2>
 * The batch must be sorted by length, longest first; {@code batchSizes[t]} is the number of sequences still running
 * at time t (non-increasing, {@code batchSizes[0] == B}). At each step the active rows are then a prefix, and the
 * recurrent GEMM and the pointwise kernel run on that prefix only (PyTorch's packed-sequence idea). The forward
 * direction stops a finished row simply by not touching it; the reverse direction starts each row at its own last
 * step by placing the initial state into the previous-state slot of that row just before its first step.
 *
 * <h2>Work per sequence</h2>
 * Forward: one GEMM for the input projection of all T steps with the biases folded in (for the GRU the recurrent
 * bias of the n gate stays separate, because the reset gate multiplies it), added in the GEMM's epilogue
 * ({@link FloatKernels#gemmPackedBias}) rather than by filling the gate rows first, then per step one recurrent GEMM
 * accumulating into that step's gate block and one fused pointwise kernel. The classic GRU variant with the reset
 * gate applied before the recurrent product needs two recurrent GEMMs per step (the second one's input r * h exists
 * only after the first), composed from the map and elementwise kernels. Backward walks the steps in reverse with
 * the fused backward kernels and one GEMM per step for the state gradient; the weight gradients are three large
 * GEMMs over all {@code T * B} rows at the end, the bias gradients column sums.
 *
 * <p>The weight matrices of the per-step products are packed once per pass ({@link FloatKernels#packB}) and every
 * step multiplies with the packed copy ({@link FloatKernels#gemmPacked}), instead of rearranging W_hh in each of
 * the T steps. gemmPacked's rows are independent bit for bit, so the results do not depend on how the batch is split
 * into blocks, nor on how many rows of a shrinking batch are still active.
 *
 * <h2>Threads</h2>
 * Large problems are split into tasks for {@link Parallelism} ({@link WorkSplit}): forward, the input projection by
 * chunks of rows, then the recurrence by blocks of batch rows (a row's state depends only on the same row's previous
 * state, so each block runs all T steps alone); backward, the recurrence by batch blocks again, then the weight
 * gradients by blocks of their output rows (each element's sum over all T*B rows is one task's), the input gradient
 * by chunks of rows and each bias gradient as one task. The chunk and output-block boundaries depend on the sizes
 * only, and one thread runs the same tasks in order; the batch blocks follow the thread count, which changes no bit
 * because every per-step kernel computes a row the same way in any block. So results are bitwise the same for every
 * thread count. The streaming {@link #step} never splits.
 *
 * <p>Not thread-safe: a {@link Trace} and a {@link StepBuffers} belong to one caller at a time.
 */
public final class FloatRecurrentEngine {

  /** Deliberate defects for tests that show the properties catch real bugs; {@link #NONE} in production. */
  enum Fault {
    NONE,
    /** Forward: the first two gate blocks (for one-gate cells the first and last unit) are swapped. */
    SWAP_GATES,
    /** Backward: the recurrent weight gradient pairs step t's gate gradients with h_t instead of h_(t-1). */
    TIME_OFF_BY_ONE,
    /** Backward: the gradient of {@code bias_hh} is not accumulated. */
    DROP_BIAS_GRAD
  }

  private final FloatKernels k;
  private final CellKind kind;
  private final int inputSize;
  private final int hidden;
  private final int gh; // G * H: the width of a gate row
  private Fault fault = Fault.NONE;

  /**
   * @param kernels the kernels every loop runs on
   * @param kind the cell
   * @param inputSize I, the width of an input row
   * @param hidden H, the width of a state row
   */
  public FloatRecurrentEngine(FloatKernels kernels, CellKind kind, int inputSize, int hidden) {
    this.k = Objects.requireNonNull(kernels, "kernels");
    this.kind = Objects.requireNonNull(kind, "kind");
    if (inputSize < 1 || hidden < 1) {
      throw new IllegalArgumentException("recurrent engine: inputSize and hidden must be >= 1, got inputSize="
          + inputSize + ", hidden=" + hidden);
    }
    this.inputSize = inputSize;
    this.hidden = hidden;
    this.gh = kind.gates() * hidden;
  }

  void injectFault(Fault f) {
    this.fault = Objects.requireNonNull(f);
  }

  public CellKind kind() {
    return kind;
  }

  public int inputSize() {
    return inputSize;
  }

  public int hidden() {
    return hidden;
  }

  /**
   * The weights of one direction of one layer: arrays with offsets, in PyTorch's layout. The bias arrays are null
   * for a layer without biases. Not modified by the engine, except that {@link #prepare} fills the internal folded
   * bias.
   */
  public static final class Weights {
    float[] wih;
    int wihOff;
    float[] whh;
    int whhOff;
    float[] bih;
    int bihOff;
    float[] bhh;
    int bhhOff;
    /** The biases folded into the input projection (see the class comment); length G*H. */
    final float[] folded;
    /** GRU: the bias of the recurrent projection, (0, 0, b_hn): b_hr and b_hz are folded into the input side. */
    final float[] recurrentBias;
    /** The forward pass's packed matrices, packed at the start of each pass (storage reused across passes). */
    PackedStep forwardPacked;
    /** The streaming step's packed matrices, given by {@link #usePacked}; null: steps read the arrays directly. */
    PackedStep stepPacked;
    // The backward steps' packed W_hh (reset-before: W_h(r,z) and W_hn separately), and W_ih for the input gradient,
    // packed at the start of each backward pass.
    FloatPackedMatrix hh;
    FloatPackedMatrix hhn;
    FloatPackedMatrix ih;

    /** Creates an empty holder for a cell with {@code gateWidth = G * H}. */
    public Weights(int gateWidth) {
      this.folded = new float[gateWidth];
      this.recurrentBias = new float[gateWidth];
    }

    /** Points this holder at the weight arrays (biases may be null: no bias). Allocates nothing. */
    public Weights set(float[] wih, int wihOff, float[] whh, int whhOff,
                       float[] bih, int bihOff, float[] bhh, int bhhOff) {
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

    boolean hasBias() {
      return bih != null;
    }

    /**
     * Makes {@link FloatRecurrentEngine#step} multiply with {@code packed} (made by {@link #packStep} from the
     * weight matrices this holder points at) instead of reading W_ih and W_hh: the caller promises that the packed
     * copies equal the current matrices. The biases are still read at every step. {@link #set} undoes it.
     */
    public void usePacked(PackedStep packed) {
      this.stepPacked = packed;
    }
  }

  /**
   * The matrices one time step multiplies with, packed ({@link FloatKernels#packB}): W_ih^T for the input
   * projection and W_hh^T for the recurrent product (GRU reset-before: {@code hhT} holds the r and z rows,
   * {@code hhTn} the n rows; otherwise {@code hhTn} is null). Read-only once made, so one instance can serve
   * several streams on several threads.
   */
  public record PackedStep(FloatPackedMatrix ihT, FloatPackedMatrix hhT, FloatPackedMatrix hhTn) {}

  /**
   * Packs the step matrices of the weights {@code w} points at, into new storage (or into {@code reuse}'s, which must
   * then not be in use by anyone else).
   */
  public PackedStep packStep(Weights w, PackedStep reuse) {
    int hd = hidden;
    FloatPackedMatrix ihT = k.packB(true, inputSize, gh, w.wih, w.wihOff, inputSize,
        reuse == null ? null : reuse.ihT());
    if (kind == CellKind.GRU_RESET_BEFORE) {
      return new PackedStep(ihT,
          k.packB(true, hd, 2 * hd, w.whh, w.whhOff, hd, reuse == null ? null : reuse.hhT()),
          k.packB(true, hd, hd, w.whh, w.whhOff + 2 * hd * hd, hd, reuse == null ? null : reuse.hhTn()));
    }
    return new PackedStep(ihT, k.packB(true, hd, gh, w.whh, w.whhOff, hd, reuse == null ? null : reuse.hhT()), null);
  }

  /** Packs the matrices the backward steps multiply with, from the current weights. */
  private void packBackward(Weights w) {
    int hd = hidden;
    if (kind == CellKind.GRU_RESET_BEFORE) {
      w.hh = k.packB(false, 2 * hd, hd, w.whh, w.whhOff, hd, w.hh);
      w.hhn = k.packB(false, hd, hd, w.whh, w.whhOff + 2 * hd * hd, hd, w.hhn);
    } else {
      w.hh = k.packB(false, gh, hd, w.whh, w.whhOff, hd, w.hh);
    }
  }

  /** Computes the folded bias of {@code w} from its current biases. */
  private void prepare(Weights w) {
    if (!w.hasBias()) {
      return;
    }
    if (kind == CellKind.GRU) {
      // b_hn is multiplied by r, so only the r and z parts of b_hh fold into the projection.
      k.copy(gh, w.bih, w.bihOff, w.folded, 0);
      k.add(2 * hidden, w.folded, 0, w.bhh, w.bhhOff, w.folded, 0);
      k.fill(2 * hidden, 0, w.recurrentBias, 0);
      k.copy(hidden, w.bhh, w.bhhOff + 2 * hidden, w.recurrentBias, 2 * hidden);
    } else {
      k.add(gh, w.bih, w.bihOff, w.bhh, w.bhhOff, w.folded, 0);
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
    /** GRU reset-before: [T*B, H], r * h_(t-1). */
    float[] rh = new float[0];
    /** [(T+1)*B, H]: state slots (see {@link FloatRecurrentEngine#prevSlot}). */
    float[] hs = new float[0];
    /** LSTM: [(T+1)*B, H], cell-state slots, same indexing as hs. */
    float[] cs = new float[0];
    // backward scratch
    float[] dGates = new float[0];
    float[] dGh = new float[0];
    /**
     * The arrays the running backward pass writes the gate gradients into: dGates and dGh, or gates and ghs
     * themselves (see {@link #consumeOnBackward}).
     */
    float[] gateGrads;
    float[] recurrentGrads;
    /** Set by {@link #consumeOnBackward}. */
    boolean consumable;
    /** A backward pass wrote gradients over the saved activations; cleared by the next forward pass. */
    boolean consumed;
    float[] dhCarry = new float[0];
    float[] dcCarry = new float[0];
    float[] dhWork = new float[0];
    float[] tmpA = new float[0];
    float[] tmpB = new float[0];
    /** [G*H]: the column sums of the gate gradients, shared by both bias gradients (not the GRU's). */
    float[] biasSums = new float[0];
    /**
     * The B operands of the weight-gradient GEMMs (x; the previous states; reset-before: r * h'), packed once per
     * backward pass and shared by all output blocks (storage reused across passes).
     */
    final FloatPackedMatrix[] gradientB = new FloatPackedMatrix[3];

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

    /** Elements of the arrays this trace keeps between calls: its saved state and its backward scratch. */
    long retainedLength() {
      return (long) gates.length + ghs.length + rh.length + hs.length + cs.length + dGates.length + dGh.length
          + dhCarry.length + dcCarry.length + dhWork.length + tmpA.length + tmpB.length + biasSums.length;
    }
  }

  private static float[] ensure(float[] a, int n) {
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

  /**
   * Runs one direction over a sorted batch.
   *
   * @param x not modified (and kept by reference until {@link #backward}): [T*B, I]
   * @param batchSizes not modified (kept): active rows per time step, non-increasing, first element B
   * @param reverse run from each sequence's last step to its first
   * @param w the weights
   * @param h0 not modified, [B, H], or null for zeros
   * @param c0 not modified, [B, H] (LSTM only), or null for zeros
   * @param tr written: the saved state; its outputs are read through {@link #outputOffset}
   */
  public void forward(float[] x, int xOff, int steps, int batch, int[] batchSizes, boolean reverse, Weights w,
                      float[] h0, int h0Off, float[] c0, int c0Off, Trace tr) {
    int bh = batch * hidden;
    tr.steps = steps;
    tr.batch = batch;
    tr.batchSizes = batchSizes;
    tr.reverse = reverse;
    tr.x = x;
    tr.xOff = xOff;
    tr.consumed = false;
    int rows = steps * batch;
    tr.gates = ensure(tr.gates, rows * gh);
    tr.hs = ensure(tr.hs, (steps + 1) * bh);
    if (kind.hasCellState()) {
      tr.cs = ensure(tr.cs, (steps + 1) * bh);
    }
    // Inactive rows must hold finite values: the weight-gradient GEMMs multiply them by zero gate gradients. With
    // every sequence running all T steps there are none (every step writes all its rows), and only the initial
    // slot needs zeros (the state when no h0 / c0 is given); zeroing everything would be a serial pass over
    // 2 (T+1) B H elements on every call.
    boolean ragged = tr.ragged();
    int initial = reverse ? steps * bh : 0;
    k.fill(ragged ? (steps + 1) * bh : bh, 0, tr.hs, ragged ? 0 : initial);
    if (kind.hasCellState()) {
      k.fill(ragged ? (steps + 1) * bh : bh, 0, tr.cs, ragged ? 0 : initial);
    }
    if (kind == CellKind.GRU) {
      tr.ghs = ensure(tr.ghs, rows * gh);
    }
    if (kind == CellKind.GRU_RESET_BEFORE) {
      tr.rh = ensure(tr.rh, rows * hidden);
      if (ragged) {
        k.fill(rows * hidden, 0, tr.rh, 0);
      }
      tr.tmpA = ensure(tr.tmpA, bh);
    }
    prepare(w);
    PackedStep packed = packStep(w, w.forwardPacked);
    w.forwardPacked = packed;
    int[] chunks = WorkSplit.rowChunks(rows, (long) gh * inputSize);
    Parallelism.forEach(chunks.length - 1, c -> project(x, xOff + chunks[c] * inputSize, chunks[c + 1] - chunks[c],
        w, packed, tr.gates, chunks[c] * gh));
    if (!reverse) {
      if (h0 != null) {
        k.copy(bh, h0, h0Off, tr.hs, 0);
      }
      if (c0 != null && kind.hasCellState()) {
        k.copy(bh, c0, c0Off, tr.cs, 0);
      }
    }
    int[] blocks = WorkSplit.batchBlocks(batch, (long) gh * hidden, ragged, Parallelism.threads());
    Parallelism.forEach(blocks.length - 1,
        j -> forwardRows(tr, w, packed, h0, h0Off, c0, c0Off, blocks[j], blocks[j + 1]));
  }

  /** Active rows of the batch block [b0, b1) when the first {@code active} rows of the batch run. */
  private static int activeIn(int active, int b0, int b1) {
    return Math.max(0, Math.min(active, b1) - b0);
  }

  /** The recurrence over all steps for the batch rows [b0, b1): touches only those rows of the trace. */
  private void forwardRows(Trace tr, Weights w, PackedStep packed, float[] h0, int h0Off, float[] c0, int c0Off, int b0, int b1) {
    int steps = tr.steps;
    int batch = tr.batch;
    boolean reverse = tr.reverse;
    int bh = batch * hidden;
    int r0 = b0 * hidden; // offset of the block's first row in a state slot
    for (int i = 0; i < steps; i++) {
      int t = reverse ? steps - 1 - i : i;
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
          if (h0 != null) {
            k.copy((n - start) * hidden, h0, h0Off + r0 + start * hidden, tr.hs, p + start * hidden);
          }
          if (c0 != null && kind.hasCellState()) {
            k.copy((n - start) * hidden, c0, c0Off + r0 + start * hidden, tr.cs, p + start * hidden);
          }
        }
      }
      int g = (t * batch + b0) * gh;
      recurrentStep(n, w, packed, tr.gates, g, tr.ghs, g, tr.rh, t * bh + r0, tr.tmpA, r0,
          tr.hs, p, tr.cs, p, tr.hs, o, tr.cs, o);
    }
  }

  /** gates[rows, G*H] = x W_ih^T + folded bias (one GEMM for all rows; with the packed W_ih^T unless null). */
  private void project(float[] x, int xOff, int rows, Weights w, PackedStep packed, float[] gates, int gOff) {
    biasedProduct(rows, inputSize, x, xOff, packed == null ? null : packed.ihT(), w.wih, w.wihOff,
        w.hasBias() ? w.folded : null, gates, gOff);
  }

  /**
   * {@code C[rows, G*H] = a[rows, inner] W^T + bias} (bias null: no bias), W = the G*H x inner matrix at wOff in wArr:
   * with its packed copy p, the bias added in the GEMM's epilogue ({@link FloatKernels#gemmPackedBias}, C not read);
   * straight from W when p is null, C filled with the bias rows first. The packed form has the bits of gemmPacked
   * with beta = 1 on bias rows (the kernel's contract) in both the forward pass and the packed streaming step.
   */
  private void biasedProduct(int rows, int inner, float[] a, int aOff, FloatPackedMatrix p, float[] wArr, int wOff,
                             float[] bias, float[] c, int cOff) {
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
   * {@code C[n, cols] (row stride G*H) = a[n, H] W^T + beta C} for the block of W_hh's rows starting at row
   * {@code firstRow}: with its packed copy p, or straight from W_hh when p is null.
   */
  private void recurrentGemm(int n, int cols, float[] a, int aOff, Weights w, FloatPackedMatrix p, int firstRow,
                             float beta, float[] c, int cOff) {
    if (p != null) {
      k.gemmPacked(false, n, 1, a, aOff, hidden, p, beta, c, cOff, gh);
    } else {
      k.gemm(false, true, n, cols, hidden, 1, a, aOff, hidden, w.whh, w.whhOff + firstRow * hidden, hidden, beta,
          c, cOff, gh);
    }
  }

  /**
   * One time step for the first n rows, after the input projection: the recurrent GEMM(s) and the pointwise math.
   * Shared by the sequence forward pass and the streaming step, so that both compute the same thing (bit for bit
   * when both multiply with packed matrices, or where gemmPacked equals gemm, as in the scalar spec). {@code packed}
   * null: multiply with the weight arrays directly.
   */
  private void recurrentStep(int n, Weights w, PackedStep packed, float[] gates, int g, float[] ghs, int ghOff,
                             float[] rh, int rhOff, float[] tmp, int tmpOff,
                             float[] hPrev, int hp, float[] cPrev, int cp,
                             float[] h, int ho, float[] c, int co) {
    int hd = hidden;
    FloatPackedMatrix hhT = packed == null ? null : packed.hhT();
    switch (kind) {
      case RNN_TANH, RNN_RELU -> {
        recurrentGemm(n, hd, hPrev, hp, w, hhT, 0, 1, gates, g);
        swapIfFaulty(n, gates, g);
        if (kind == CellKind.RNN_TANH) {
          k.tanh(n * hd, gates, g, h, ho);
        } else {
          k.relu(n * hd, gates, g, h, ho);
        }
      }
      case LSTM -> {
        recurrentGemm(n, gh, hPrev, hp, w, hhT, 0, 1, gates, g);
        swapIfFaulty(n, gates, g);
        k.lstmForward(n, hd, gates, g, cPrev, cp, c, co, h, ho);
      }
      case GRU -> {
        biasedProduct(n, hd, hPrev, hp, hhT, w.whh, w.whhOff, w.hasBias() ? w.recurrentBias : null, ghs, ghOff);
        swapIfFaulty(n, gates, g);
        k.gruForward(n, hd, gates, g, ghs, ghOff, hPrev, hp, h, ho);
      }
      case GRU_RESET_BEFORE -> {
        // r, z: one GEMM into the first two gate blocks, then sigmoid.
        recurrentGemm(n, 2 * hd, hPrev, hp, w, hhT, 0, 1, gates, g);
        swapIfFaulty(n, gates, g);
        for (int r = 0; r < n; r++) {
          int row = g + r * gh;
          k.sigmoid(2 * hd, gates, row, gates, row);
          k.mul(hd, gates, row, hPrev, hp + r * hd, rh, rhOff + r * hd); // r * h_(t-1)
        }
        // n: the second GEMM, on r * h_(t-1).
        recurrentGemm(n, hd, rh, rhOff, w, packed == null ? null : packed.hhTn(), 2 * hd, 1, gates, g + 2 * hd);
        for (int r = 0; r < n; r++) {
          int row = g + r * gh;
          int hr = ho + r * hd;
          k.tanh(hd, gates, row + 2 * hd, gates, row + 2 * hd);
          // h = (1 - z) n + z h' = n + z (h' - n)
          k.sub(hd, hPrev, hp + r * hd, gates, row + 2 * hd, tmp, tmpOff);
          k.mul(hd, gates, row + hd, tmp, tmpOff, tmp, tmpOff);
          k.add(hd, gates, row + 2 * hd, tmp, tmpOff, h, hr);
        }
      }
      default -> throw new AssertionError(kind);
    }
  }

  private void swapIfFaulty(int n, float[] gates, int g) {
    if (fault != Fault.SWAP_GATES) {
      return;
    }
    for (int r = 0; r < n; r++) {
      int row = g + r * gh;
      if (kind.gates() > 1) {
        for (int j = 0; j < hidden; j++) {
          float t = gates[row + j];
          gates[row + j] = gates[row + hidden + j];
          gates[row + hidden + j] = t;
        }
      } else {
        float t = gates[row];
        gates[row] = gates[row + hidden - 1];
        gates[row + hidden - 1] = t;
      }
    }
  }

  /**
   * Backward of the last {@link #forward} through {@code tr}. Gradients of weights, biases and the input are
   * accumulated (added), so that two directions or several calls can share them; the initial-state gradients are
   * written.
   *
   * @param dOut not modified: gradient of the outputs, time step t row b at {@code dOutOff + (t*B + b) * dOutLd};
   *             rows past a sequence's end are ignored; null for none
   * @param dhN not modified, [B, H]: gradient of the final state, or null
   * @param dcN not modified, [B, H]: gradient of the final cell state (LSTM), or null
   * @param dx modified (accumulated), [T*B, I], or null when the input needs no gradient
   * @param dh0 written, [B, H], or null
   * @param dc0 written, [B, H] (LSTM), or null
   * @param dWih modified (accumulated), [G*H, I]
   * @param dWhh modified (accumulated), [G*H, H]
   * @param dbih modified (accumulated), [G*H], or null (no bias)
   * @param dbhh modified (accumulated), [G*H], or null (no bias)
   * @throws IllegalStateException when an earlier backward consumed the trace ({@link Trace#consumeOnBackward})
   *     and no forward pass has run since
   */
  public void backward(Trace tr, Weights w, float[] dOut, int dOutOff, int dOutLd,
                       float[] dhN, int dhNOff, float[] dcN, int dcNOff,
                       float[] dx, int dxOff, float[] dh0, int dh0Off, float[] dc0, int dc0Off,
                       float[] dWih, int dWihOff, float[] dWhh, int dWhhOff,
                       float[] dbih, int dbihOff, float[] dbhh, int dbhhOff) {
    int steps = tr.steps;
    int batch = tr.batch;
    int bh = batch * hidden;
    int rows = steps * batch;
    int hd = hidden;
    boolean reverse = tr.reverse;
    if (tr.consumed) {
      throw new IllegalStateException("recurrent engine: backward through a trace whose saved activations an earlier "
          + "backward overwrote (consumeOnBackward); run forward again first");
    }
    // Gradients over activations: see Trace.consumeOnBackward. The kernels allow it (lstmBackward and gruBackward
    // read a unit's activations before writing its gradients; the map kernels' backward may write over y; the
    // RNN's reads only hs).
    boolean inPlace = kind == CellKind.RNN_TANH || kind == CellKind.RNN_RELU || tr.consumable;
    tr.gateGrads = inPlace ? tr.gates : (tr.dGates = ensure(tr.dGates, rows * gh));
    if (kind == CellKind.GRU) {
      tr.recurrentGrads = inPlace ? tr.ghs : (tr.dGh = ensure(tr.dGh, rows * gh));
    }
    tr.consumed = inPlace && kind.gates() > 1;
    tr.dhCarry = ensure(tr.dhCarry, bh);
    tr.dhWork = ensure(tr.dhWork, bh);
    tr.tmpA = ensure(tr.tmpA, bh);
    tr.tmpB = ensure(tr.tmpB, bh);
    if (dhN != null) {
      k.copy(bh, dhN, dhNOff, tr.dhCarry, 0);
    } else {
      k.fill(bh, 0, tr.dhCarry, 0);
    }
    if (kind.hasCellState()) {
      tr.dcCarry = ensure(tr.dcCarry, bh);
      if (dcN != null) {
        k.copy(bh, dcN, dcNOff, tr.dcCarry, 0);
      } else {
        k.fill(bh, 0, tr.dcCarry, 0);
      }
    }
    float[] dG = tr.gateGrads;
    packBackward(w);
    int[] blocks = WorkSplit.batchBlocks(batch, (long) gh * hd, tr.ragged(), Parallelism.threads());
    Parallelism.forEach(blocks.length - 1,
        j -> backwardRows(tr, w, dOut, dOutOff, dOutLd, blocks[j], blocks[j + 1]));
    // Weight gradients, bias gradients and the input gradient: independent tasks over all T*B rows, each computing
    // whole reductions for its own output elements.
    int prevBase = prevSlot(reverse, 0) * bh;
    if (fault == Fault.TIME_OFF_BY_ONE) {
      prevBase = outSlot(reverse, 0) * bh;
    }
    List<Runnable> tasks = new ArrayList<>();
    weightGradient(tasks, tr, 0, rows, gh, dG, 0, tr.x, tr.xOff, inputSize, dWih, dWihOff);
    switch (kind) {
      case GRU -> weightGradient(tasks, tr, 1, rows, gh, tr.recurrentGrads, 0, tr.hs, prevBase, hd, dWhh, dWhhOff);
      case GRU_RESET_BEFORE -> {
        weightGradient(tasks, tr, 1, rows, 2 * hd, dG, 0, tr.hs, prevBase, hd, dWhh, dWhhOff);
        weightGradient(tasks, tr, 2, rows, hd, dG, 2 * hd, tr.rh, 0, hd, dWhh, dWhhOff + 2 * hd * hd);
      }
      default -> weightGradient(tasks, tr, 1, rows, gh, dG, 0, tr.hs, prevBase, hd, dWhh, dWhhOff);
    }
    if (dbih != null && dbhh != null && kind != CellKind.GRU) {
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
        if (fault != Fault.DROP_BIAS_GRAD) {
          k.add(gh, dbhh, dbhhOff, sums, 0, dbhh, dbhhOff);
        }
      });
    } else {
      if (dbih != null) {
        tasks.add(() -> k.addColumnSums(rows, gh, dG, 0, gh, dbih, dbihOff));
      }
      if (dbhh != null && fault != Fault.DROP_BIAS_GRAD) {
        float[] src = kind == CellKind.GRU ? tr.recurrentGrads : dG;
        tasks.add(() -> k.addColumnSums(rows, gh, src, 0, gh, dbhh, dbhhOff));
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
    if (dh0 != null) {
      k.copy(bh, tr.dhCarry, 0, dh0, dh0Off);
    }
    if (dc0 != null && kind.hasCellState()) {
      k.copy(bh, tr.dcCarry, 0, dc0, dc0Off);
    }
  }

  /**
   * Adds the tasks of {@code dW[outRows, cols] += src[:, srcCol .. srcCol+outRows]^T b[rows, cols]}, one per fixed
   * block of output rows: every element's sum over all {@code rows} is computed by one GEMM call.
   */
  private void weightGradient(List<Runnable> tasks, Trace tr, int slot, int rows, int outRows, float[] src,
                              int srcCol, float[] b, int bOff, int cols, float[] dW, int dWOff) {
    // b is packed once here, on the calling thread, and then only read by the tasks.
    FloatPackedMatrix pb = k.packB(false, rows, cols, b, bOff, cols, tr.gradientB[slot]);
    tr.gradientB[slot] = pb;
    int[] blocks = WorkSplit.outputBlocks(outRows, (long) cols * rows);
    for (int j = 0; j + 1 < blocks.length; j++) {
      int r0 = blocks[j];
      int m = blocks[j + 1] - r0;
      tasks.add(() -> k.gemmPacked(true, m, 1, src, srcCol + r0, gh, pb, 1, dW, dWOff + r0 * cols, cols));
    }
  }


  /**
   * The reverse walk over time for the batch rows [b0, b1): reads and writes only those rows of the trace, the
   * carried gradients and the gate gradients.
   */
  private void backwardRows(Trace tr, Weights w, float[] dOut, int dOutOff, int dOutLd, int b0, int b1) {
    int steps = tr.steps;
    int batch = tr.batch;
    int hd = hidden;
    int bh = batch * hd;
    boolean reverse = tr.reverse;
    int r0 = b0 * hd;
    float[] dG = tr.gateGrads;
    float[] dGh = tr.recurrentGrads;
    // Walk the steps in the opposite order of the forward pass. A row's carried gradient is dhN until its own last
    // step is reached; after its first step it is never touched again, so at the end the carries are dh0 and dc0.
    for (int i = 0; i < steps; i++) {
      int t = reverse ? i : steps - 1 - i;
      int n = activeIn(tr.batchSizes[t], b0, b1);
      int g = (t * batch + b0) * gh;
      // The kernels below write every gate-gradient row of the active prefix. Rows past a sequence's end must be
      // zero, because the weight-gradient GEMMs run over all T*B rows: zero exactly those (in this block).
      if (n < b1 - b0) {
        k.fill((b1 - b0 - n) * gh, 0, dG, g + n * gh);
        if (kind == CellKind.GRU) {
          k.fill((b1 - b0 - n) * gh, 0, dGh, g + n * gh);
        }
      }
      if (n == 0) {
        continue;
      }
      int p = prevSlot(reverse, t) * bh + r0;
      int o = outSlot(reverse, t) * bh + r0;
      // dh = dOut[t] + carried gradient, for the active rows
      if (dOut == null) {
        k.copy(n * hd, tr.dhCarry, r0, tr.dhWork, r0);
      } else if (dOutLd == hd) {
        k.add(n * hd, dOut, dOutOff + (t * batch + b0) * hd, tr.dhCarry, r0, tr.dhWork, r0);
      } else {
        for (int r = 0; r < n; r++) {
          k.add(hd, dOut, dOutOff + (t * batch + b0 + r) * dOutLd, tr.dhCarry, r0 + r * hd,
              tr.dhWork, r0 + r * hd);
        }
      }
      switch (kind) {
        case RNN_TANH, RNN_RELU -> {
          if (kind == CellKind.RNN_TANH) {
            k.tanhBackward(n * hd, tr.hs, o, tr.dhWork, r0, dG, g);
          } else {
            k.reluBackward(n * hd, tr.hs, o, tr.dhWork, r0, dG, g);
          }
          k.gemmPacked(false, n, 1, dG, g, gh, w.hh, 0, tr.dhCarry, r0, hd);
        }
        case LSTM -> {
          k.lstmBackward(n, hd, tr.gates, g, tr.cs, p, tr.cs, o, tr.dhWork, r0, tr.dcCarry, r0, dG, g);
          k.gemmPacked(false, n, 1, dG, g, gh, w.hh, 0, tr.dhCarry, r0, hd);
        }
        case GRU -> {
          k.gruBackward(n, hd, tr.gates, g, tr.ghs, g, tr.hs, p, tr.dhWork, r0, dG, g, dGh, g, tr.dhCarry, r0);
          k.gemmPacked(false, n, 1, dGh, g, gh, w.hh, 1, tr.dhCarry, r0, hd);
        }
        case GRU_RESET_BEFORE -> gruResetBeforeBackward(tr, w, n, g, p, r0);
        default -> throw new AssertionError(kind);
      }
    }
  }

  /**
   * GRU reset-before, one step backward for the first n rows. With a = dh (in dhWork):
   * {@code dz_pre = a (h' - n) z(1-z)}, {@code dn_pre = a (1-z) (1-n^2)}, {@code d(rh) = dn_pre W_hn},
   * {@code dr_pre = d(rh) h' r(1-r)}, {@code dh' = a z + d(rh) r + [dr_pre, dz_pre] W_h(r,z)}.
   */
  private void gruResetBeforeBackward(Trace tr, Weights w, int n, int g, int p, int r0) {
    int hd = hidden;
    float[] dG = tr.gateGrads;
    float[] a = tr.dhWork;
    float[] tmp = tr.tmpA;
    float[] drh = tr.tmpB;
    int t0 = r0; // the block's own slice of the [B, H] scratch: tmp uses its first row, drh all its rows
    for (int r = 0; r < n; r++) {
      int row = g + r * gh;
      int sr = r0 + r * hd;
      int hr = p + r * hd;
      // Each gate block is read for the last time by the call that writes its gradient (dG may be tr.gates).
      k.mul(hd, a, sr, tr.gates, row + hd, tr.dhCarry, sr);                 // a z: direct part of dh'
      k.sub(hd, tr.hs, hr, tr.gates, row + 2 * hd, tmp, t0);               // h' - n
      k.mul(hd, a, sr, tmp, t0, tmp, t0);                                   // dL/dz
      k.sigmoidBackward(hd, tr.gates, row + hd, tmp, t0, dG, row + hd);     // dz_pre
      k.sub(hd, a, sr, tr.dhCarry, sr, tmp, t0);                            // a (1 - z) = dL/dn
      k.tanhBackward(hd, tr.gates, row + 2 * hd, tmp, t0, dG, row + 2 * hd); // dn_pre
    }
    k.gemmPacked(false, n, 1, dG, g + 2 * hd, gh, w.hhn, 0, drh, r0, hd);
    for (int r = 0; r < n; r++) {
      int row = g + r * gh;
      int sr = r0 + r * hd;
      k.mul(hd, drh, sr, tr.gates, row, tmp, t0);                           // d(rh) r
      k.add(hd, tr.dhCarry, sr, tmp, t0, tr.dhCarry, sr);
      k.mul(hd, drh, sr, tr.hs, p + r * hd, tmp, t0);                       // dL/dr
      k.sigmoidBackward(hd, tr.gates, row, tmp, t0, dG, row);               // dr_pre
    }
    k.gemmPacked(false, n, 1, dG, g, gh, w.hh, 1, tr.dhCarry, r0, hd);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Streaming: one step at a time, no saved trace, nothing allocated.
  // ---------------------------------------------------------------------------------------------------------------

  /** Preallocated scratch for {@link #step} at a fixed maximum batch size. */
  public static final class StepBuffers {
    final int maxBatch;
    final float[] gates;
    final float[] ghs;
    final float[] rh;
    final float[] tmp;

    /** Scratch for batches of up to {@code maxBatch} rows of the given engine's cell. */
    public StepBuffers(FloatRecurrentEngine e, int maxBatch) {
      this.maxBatch = maxBatch;
      this.gates = new float[maxBatch * e.gh];
      this.ghs = new float[e.kind == CellKind.GRU ? maxBatch * e.gh : 0];
      this.rh = new float[e.kind == CellKind.GRU_RESET_BEFORE ? maxBatch * e.hidden : 0];
      this.tmp = new float[e.hidden];
    }
  }

  /**
   * One time step for a batch of {@code batch} rows: the same arithmetic as one step of {@link #forward}, with
   * nothing allocated. With packed matrices ({@link Weights#usePacked}) it multiplies exactly as the forward pass
   * does, so stepping through a sequence gives the forward pass's outputs bit for bit with any kernels; without, it
   * multiplies with the weight arrays by {@link FloatKernels#gemm}, which may round differently.
   *
   * @param x not modified, [batch, I]
   * @param hPrev not modified, [batch, H]
   * @param cPrev not modified, [batch, H] (LSTM; ignored otherwise)
   * @param h written, [batch, H]; must not overlap hPrev
   * @param c written, [batch, H] (LSTM); may be the same range as cPrev
   */
  public void step(int batch, float[] x, int xOff, Weights w, float[] hPrev, int hPrevOff,
                   float[] cPrev, int cPrevOff, float[] h, int hOff, float[] c, int cOff, StepBuffers buf) {
    assert batch <= buf.maxBatch;
    prepare(w);
    project(x, xOff, batch, w, w.stepPacked, buf.gates, 0);
    recurrentStep(batch, w, w.stepPacked, buf.gates, 0, buf.ghs, 0, buf.rh, 0, buf.tmp, 0, hPrev, hPrevOff, cPrev, cPrevOff,
        h, hOff, c, cOff);
  }
}
