package dev.rnn4j.nn.recurrent.internal;

// rnn4j:generate-float

import dev.rnn4j.kernels.DoubleKernels;
import dev.rnn4j.kernels.DoublePackedMatrix;
import dev.rnn4j.nn.recurrent.internal.DoubleRecurrentEngine.PackedStep;
import dev.rnn4j.nn.recurrent.internal.DoubleRecurrentEngine.States;
import dev.rnn4j.nn.recurrent.internal.DoubleRecurrentEngine.Trace;
import dev.rnn4j.tensor.Parallelism;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A forward-only recurrence on two threads for a batch too small to split by rows (one batch block, see
 * {@link WorkSplit#batchBlocks}): every time step is split by hidden units into two ranges, each with its own
 * packed rows of W_ih and W_hh, and the two threads run one range each.
 *
 * <p>Why: at batch 1 a step is a matrix-vector product that streams all of the packed W_hh (256 KiB for the LSTM at
 * H = 128) through L1 and does little arithmetic per element, so one core's L2 bandwidth bounds it. Split by units,
 * each core streams its own half (which stays in its own L2 from step to step), and the two exchange the new state
 * (H values) once per step.
 *
 * <p>Bits: every element is computed with the same operations as on one thread. A range's gate columns are the
 * columns of the whole product packed alone, and a packed product's columns are independent bit for bit
 * ({@link DoubleKernels#gemmPacked}); the cells' pointwise kernels are elementwise ({@link DoubleCell#forwardUnits}).
 * So the states equal those of the unsplit recurrence for any thread count.
 *
 * <p>Scheduling: each range's parts (step i, range q) are claimed in step order, and a part starts once both
 * ranges have finished step i - 1. Each participating thread has a home range (the caller range 0, the pool's
 * thread range 1) and claims the lowest unclaimed step of the two ranges, its home range on a tie: so each thread
 * keeps its own range, whose weights stay in its own core's L2, and takes a part of the other range only when that
 * range is a whole step behind (its thread late, descheduled or not started). Which thread runs a part changes no
 * result; when the pool's thread starts late or not at all, the caller runs every part itself and the pass runs as
 * on one thread. A thread that waits for the other spins for a few tens of microseconds, then yields between
 * checks, so that it never keeps the other one off a shared CPU for long.
 *
 * <p>Not thread-safe: one per weight holder ({@link DoubleEngineWeights}), used by one pass at a time.
 */
final class DoubleUnitSplit {

  /** Ranges (and threads) a step is split into: two, which the claiming protocol (participate) is written for. */
  static final int PARTS = 2;
  /** Each range has at least this many units (a multiple of 16 keeps the gate blocks in whole vectors). */
  static final int MIN_RANGE_UNITS = 16;
  /**
   * Multiply-adds of one step's recurrent product (B * G*H * state) from which a step is split: below it a step
   * takes well under a microsecond on one core, and the hand-offs of a split step (a few cache-line transfers
   * between cores, about 0.1-0.3 us) would take most of what splitting saves.
   */
  static final long MIN_STEP_WORK = 1L << 15;
  /**
   * Multiply-adds of the whole pass's recurrent products (steps * B * G*H * state) from which it is split: a split pass
   * pays once for handing the pool's thread its task (tens of microseconds when that thread has to be woken), which a
   * pass of a few steps does not earn back (at B=1 H=128 an LSTM pass of 16 steps or more is split).
   */
  static final long MIN_PASS_WORK = 1L << 20;
  /** How long a waiting thread spins before it yields between checks. */
  private static final long SPIN_NANOS = 50_000;

  private final DoubleCell cell;
  private final DoubleKernels k;
  private final int gatesPerUnit;
  /** Unit bounds of the ranges: range q is [first[q], first[q + 1]). */
  private final int[] first = new int[PARTS + 1];
  private final DoublePackedMatrix[] ihT = new DoublePackedMatrix[PARTS];
  private final DoublePackedMatrix[] hhT = new DoublePackedMatrix[PARTS];
  private final double[][] folded = new double[PARTS][];
  private final double[][] recurrentBias = new double[PARTS][];
  /** Per range: a ring of {@code ring} steps' gate rows, [ring * B, G*m]. */
  private final double[][] gates = new double[PARTS][];
  /** Per range (GRU): the step's recurrent projections, [B, G*m]. */
  private final double[][] ghs = new double[PARTS][];
  /**
   * The packs the ranges' W_hh and W_ih rows were made for: the same weights while it is the same object. A recorded
   * pass projects the input with the engine's own W_ih and packs no range of it.
   */
  private PackedStep packedFor;
  private PackedStep inputsPackedFor;
  private double[] gathered = new double[0];

  // The pass, set by run before the threads start (so the pool's thread sees them) and cleared after.
  /**
   * Per range q, the next step to claim (at {@code CLAIMED + q * LINE}) and the steps done (at
   * {@code DONE + q * LINE}): written by the range's thread, read by the other. Each range's pair has a cache line
   * that nothing else shares (16 ints apart, with 16 ints of padding at either end of the array), so that a part
   * costs one line transfer each way and none for the fields around the counters.
   */
  private final AtomicIntegerArray counters = new AtomicIntegerArray(4 * LINE);
  private static final int LINE = 16;
  private static final int CLAIMED = LINE;
  private static final int DONE = LINE + 1;
  private volatile boolean failed;
  private Trace trace;
  private boolean biased;
  private int ring;

  DoubleUnitSplit(DoubleCell cell) {
    if (!cell.computesUnitRanges() || cell.hidden < PARTS * MIN_RANGE_UNITS) {
      throw new IllegalArgumentException("recurrent engine: unit split: needs a plain LSTM, GRU or RNN cell with at "
          + "least " + PARTS * MIN_RANGE_UNITS + " units, got " + cell.kind() + " with " + cell.hidden);
    }
    this.cell = cell;
    this.k = cell.kernels();
    this.gatesPerUnit = cell.gh / cell.hidden;
    int h = cell.hidden;
    int mid = Math.round(h / 2f / MIN_RANGE_UNITS) * MIN_RANGE_UNITS;
    first[1] = Math.max(MIN_RANGE_UNITS, Math.min(h - MIN_RANGE_UNITS, mid));
    first[2] = h;
    for (int q = 0; q < PARTS; q++) {
      gates[q] = new double[0];
      ghs[q] = new double[0];
    }
  }

  /**
   * Whether splitting pays for a pass of {@code steps} steps of {@code cell} at this batch on {@code threads} threads:
   * the cell supports it, each range gets at least {@link #MIN_RANGE_UNITS} units, a step has at least
   * {@link #MIN_STEP_WORK} multiply-adds and the pass at least {@link #MIN_PASS_WORK}.
   */
  static boolean pays(DoubleCell cell, int steps, int batch, int threads) {
    long stepWork = (long) batch * cell.gh * cell.stateWidth;
    return threads >= 2 && cell.computesUnitRanges() && cell.hidden >= PARTS * MIN_RANGE_UNITS
        && stepWork >= MIN_STEP_WORK && steps * stepWork >= MIN_PASS_WORK;
  }

  /** Whether this split is made for {@code c} (a weight holder may serve engines of other kernel sets). */
  boolean splits(DoubleCell c) {
    return cell == c;
  }

  /**
   * The recurrence of a forward pass over every row of the trace's batch (all rows run all steps), as the engine's
   * one-block recurrence, into the same state slots (or the caller's output rows, {@code tr.outputs}). The trace's
   * state slots and the folded biases of {@code w} are prepared; the initial states of the forward direction are in
   * place.
   *
   * @param ringSteps inference: the input projection is done into each range's ring of this many steps' rows, just
   *     before those steps; 0: the pass records, the trace's gate rows hold every step's input projections, and each
   *     range reads its gate columns from them and writes back what the cell leaves there for the backward pass (the
   *     activations; the GRU's recurrent projections into the trace's rows of them too)
   */
  void run(Trace tr, DoubleEngineWeights w, PackedStep packed, States init, int ringSteps) {
    boolean projects = ringSteps > 0;
    preparePacks(w, packed, projects);
    biased = w.hasBias();
    boolean gru = cell.recurrentProjectionWidth() > 0;
    for (int q = 0; q < PARTS; q++) {
      int gm = gatesPerUnit * (first[q + 1] - first[q]);
      if (biased && projects) {
        folded[q] = gather(w.folded, 0, 1, q, folded[q]);
      }
      recurrentBias[q] = biased && gru ? gather(w.recurrentBias, 0, 1, q, recurrentBias[q]) : null;
      gates[q] = DoubleRecurrentEngine.ensure(gates[q], Math.max(1, ringSteps) * tr.batch * gm);
      if (gru) {
        ghs[q] = DoubleRecurrentEngine.ensure(ghs[q], tr.batch * gm);
      }
    }
    if (tr.reverse) {
      // Every row's last step is the first one run: it starts from the initial state (the engine's forward
      // direction copied it already).
      int bh = tr.batch * cell.stateWidth;
      int bc = tr.batch * cell.hidden;
      if (init.h() != null) {
        k.copy(bh, init.h(), init.hOff(), tr.hs, tr.steps * bh);
      }
      if (init.c() != null && cell.hasCellState()) {
        k.copy(bc, init.c(), init.cOff(), tr.cs, tr.steps * bc);
      }
    }
    trace = tr;
    ring = ringSteps;
    for (int q = 0; q < PARTS; q++) {
      counters.set(CLAIMED + q * LINE, 0);
      counters.set(DONE + q * LINE, 0);
    }
    failed = false;
    try {
      Parallelism.forEach(PARTS, this::participate);
    } finally {
      trace = null;
    }
  }

  /**
   * Claims and runs parts, the lowest unclaimed step of either range first and range {@code home} on a tie, until
   * both ranges are claimed to the end (or the other thread failed). Each thread has its own step holder, made here
   * in its own allocation buffer: holders the two threads write on every part must not share a cache line.
   *
   * <p>No thread waits for a part nobody will run: it claims step i of a range only when the other range is claimed
   * up to step i or beyond, so every part of step i - 1 has a thread; and a range's parts finish in step order
   * (a part waits for the step before it), so its done count is written by one thread at a time.
   */
  private void participate(int home) {
    int steps = trace.steps;
    int other = PARTS - 1 - home;
    DoubleCell.UnitStep u = new DoubleCell.UnitStep();
    try {
      while (!failed) {
        int mine = counters.get(CLAIMED + home * LINE);
        int theirs = counters.get(CLAIMED + other * LINE);
        int q = mine <= theirs ? home : other;
        int i = Math.min(mine, theirs);
        if (i >= steps) {
          return;
        }
        if (!counters.compareAndSet(CLAIMED + q * LINE, i, i + 1)) {
          continue;
        }
        if (!awaitStep(i)) {
          return;
        }
        runPart(i, q, u);
        counters.set(DONE + q * LINE, i + 1);
      }
    } catch (RuntimeException | Error e) {
      failed = true;
      throw e;
    }
  }

  /** Whether both ranges have done their first {@code steps} steps. */
  private boolean stepsDone(int steps) {
    return counters.get(DONE) >= steps && counters.get(DONE + LINE) >= steps;
  }

  /** Waits until both ranges have done the steps before step i; false when the other thread failed first. */
  private boolean awaitStep(int i) {
    if (stepsDone(i)) {
      return true;
    }
    long start = System.nanoTime();
    for (int spins = 1; !stepsDone(i); spins++) {
      if (failed) {
        return false;
      }
      Thread.onSpinWait();
      if ((spins & 63) == 0 && System.nanoTime() - start > SPIN_NANOS) {
        Thread.yield();
      }
    }
    return true;
  }

  /** Range q of the i-th step run (time step t = i, or T - 1 - i in reverse), its ring's projections first. */
  private void runPart(int i, int q, DoubleCell.UnitStep u) {
    Trace tr = trace;
    int steps = tr.steps;
    int batch = tr.batch;
    boolean reverse = tr.reverse;
    int t = reverse ? steps - 1 - i : i;
    int m = first[q + 1] - first[q];
    int gm = gatesPerUnit * m;
    boolean recording = ring == 0;
    int group = recording ? i : i / ring * ring; // the running index of the ring's first step
    int groupSteps = recording ? 1 : Math.min(ring, steps - group);
    int groupFirstT = reverse ? steps - group - groupSteps : group; // its earliest time step
    if (recording) {
      moveRange(tr.gates, t * batch * cell.gh, cell.gh, gates[q], batch, 1, q, true);
    } else if (i == group) {
      int inputs = cell.inputSize;
      int rows = groupSteps * batch;
      int xOff = tr.xOff + groupFirstT * batch * inputs;
      if (biased) {
        k.gemmPackedBias(false, rows, 1, tr.x, xOff, inputs, ihT[q], folded[q], 0, gates[q], 0, gm);
      } else {
        k.gemmPacked(false, rows, 1, tr.x, xOff, inputs, ihT[q], 0, gates[q], 0, gm);
      }
    }
    int bh = batch * cell.stateWidth;
    int bc = batch * cell.hidden;
    int prevSlot = reverse ? t + 1 : t;
    int outSlot = reverse ? t : t + 1;
    u.n = batch;
    u.first = first[q];
    u.units = m;
    u.hhT = hhT[q];
    u.recurrentBias = recurrentBias[q];
    u.gates = gates[q];
    u.g = (t - groupFirstT) * batch * gm;
    u.ghs = ghs[q];
    u.hPrev = tr.hs;
    u.hp = prevSlot * bh;
    u.h = tr.hs;
    u.ho = outSlot * bh;
    if (tr.outputs != null) { // the forward direction into the caller's rows: step t at outputsOff + t * bh
      if (t > 0) {
        u.hPrev = tr.outputs;
        u.hp = tr.outputsOff + (t - 1) * bh;
      }
      u.h = tr.outputs;
      u.ho = tr.outputsOff + t * bh;
    }
    u.cPrev = tr.cs;
    u.cp = prevSlot * bc;
    u.c = tr.cs;
    u.co = outSlot * bc;
    cell.forwardUnits(u);
    if (recording) {
      moveRange(tr.gates, t * batch * cell.gh, cell.gh, gates[q], batch, 1, q, false);
      if (cell.recurrentProjectionWidth() > 0) { // the GRU's recurrent projections, read by its backward
        moveRange(tr.ghs, t * batch * cell.gh, cell.gh, u.ghs, batch, 1, q, false);
      }
    }
  }

  /**
   * Packs each range's rows of W_hh, and of W_ih when {@code inputs}, unless they were packed for this pack (the same
   * weights) already.
   */
  private void preparePacks(DoubleEngineWeights w, PackedStep packed, boolean inputs) {
    if (packedFor != packed) {
      int state = cell.stateWidth;
      for (int q = 0; q < PARTS; q++) {
        gathered = gather(w.whh, w.whhOff, state, q, gathered);
        hhT[q] = k.packB(true, state, gatesPerUnit * (first[q + 1] - first[q]), gathered, 0, state, hhT[q]);
      }
      packedFor = packed;
    }
    if (inputs && inputsPackedFor != packed) {
      int in = cell.inputSize;
      for (int q = 0; q < PARTS; q++) {
        gathered = gather(w.wih, w.wihOff, in, q, gathered);
        ihT[q] = k.packB(true, in, gatesPerUnit * (first[q + 1] - first[q]), gathered, 0, in, ihT[q]);
      }
      inputsPackedFor = packed;
    }
  }

  /**
   * Range q's rows of a [G*H, cols] matrix at off (a bias with cols = 1), gate block after gate block, into
   * {@code into} when it is large enough (else a new array): [G*m, cols].
   */
  private double[] gather(double[] a, int off, int cols, int q, double[] into) {
    int m = first[q + 1] - first[q];
    double[] out = into != null && into.length >= gatesPerUnit * m * cols ? into : new double[gatesPerUnit * m * cols];
    moveRange(a, off, gatesPerUnit * cell.hidden * cols, out, 1, cols, q, true);
    return out;
  }

  /**
   * Moves range q's part of {@code rows} rows of a full array (row r at {@code fullOff + r * fullRowLength}: G gate
   * blocks of H units of {@code width} elements each) to or from the range's rows [rows, G*m*width], gate block after
   * gate block: into the range ({@code toRange}) or back. Rows are the trace's gate rows (width 1), or one matrix of
   * G*H rows of {@code width} columns.
   */
  private void moveRange(double[] full, int fullOff, int fullRowLength, double[] range, int rows, int width, int q,
                         boolean toRange) {
    int u0 = first[q];
    int len = (first[q + 1] - u0) * width;
    for (int r = 0; r < rows; r++) {
      for (int b = 0; b < gatesPerUnit; b++) {
        int at = fullOff + r * fullRowLength + (b * cell.hidden + u0) * width;
        int in = (r * gatesPerUnit + b) * len;
        if (toRange) {
          System.arraycopy(full, at, range, in, len);
        } else {
          System.arraycopy(range, in, full, at, len);
        }
      }
    }
  }
}
