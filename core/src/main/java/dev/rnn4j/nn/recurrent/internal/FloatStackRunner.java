package dev.rnn4j.nn.recurrent.internal;

// Generated from DoubleStackRunner.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.nn.recurrent.MergeMode;
import dev.rnn4j.nn.recurrent.RecurrentConfig;
import dev.rnn4j.nn.recurrent.internal.FloatRecurrentEngine.OutputGradients;
import dev.rnn4j.nn.recurrent.internal.FloatRecurrentEngine.Sequence;
import dev.rnn4j.nn.recurrent.internal.FloatRecurrentEngine.States;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * A whole float32 recurrent stack (layers x directions) over raw arrays: sorts a variable-length batch, runs each
 * layer-direction on a {@link FloatRecurrentEngine}, merges directions, applies dropout between layers, and puts the
 * outputs and final states back into the caller's batch order and layout. {@link #backward} is the exact reverse.
 * When the caller's rows already are in the engine's order (time-major, longest first), the top layer's output and
 * its gradient and layer 0's input gradient are written and read in place instead of through sorted copies.
 *
 * <p>Arguments are trusted (the layer checks them, see RecurrentLayer). One instance serves one forward and
 * its backward at a time; it keeps the traces in between. It is reusable: a later forward reuses every trace and
 * scratch array of the earlier calls, allocating only where this call needs more room (a larger T, B or more
 * dropout-masked rows), so an instance holds the arrays of the largest call it has served (see
 * {@link #retainedBytes}). Every reused array is (re)initialised where the computation relies on its contents, so a
 * reused runner gives bitwise the same results as a new one. Not thread-safe: one caller at a time (the layer keeps
 * a {@link RunnerPool}).
 */
// The cast of the dropout probability is redundant in the 64-bit source; the generated 32-bit twin needs it.
@SuppressWarnings("cast")
public final class FloatStackRunner {

  private final FloatKernels k;
  private final RecurrentConfig cfg;
  private final int dirs;
  private final int hidden; // the width of a state h: H, or P with a projection
  private final int cellWidth; // the width of a cell state c: H
  private final FloatRecurrentEngine[] engines;
  private final FloatEngineWeights[] weights;
  private final FloatEngineWeights[] grads;
  private final FloatRecurrentEngine.Trace[] traces;

  // state of the last forward; the arrays are reused by later calls and only grow, so only their first
  // B (or T, or T*B*width) entries belong to the current call
  private int steps;
  private int batch;
  private int[] order = new int[0];      // sorted row r holds caller row order[r]
  // The caller's rows are already in sorted order (order[r] == r) and time-major, so the sorted time-major layout
  // is the caller's: the top layer writes the output and reads its gradient in place, layer 0 writes dx in place.
  private boolean callerLayout;
  // No backward pass follows the next forward passes (see forwardOnly): they may read the caller's input in place and
  // write the states straight into the outputs.
  private boolean forwardOnly;
  private int[] lengths = new int[0];    // caller order
  private int[] batchSizes = new int[0];
  private int[] lengthStarts = new int[0]; // sort scratch, indexed by length
  private final float[][] layerIn;  // layerIn[l]: [T*B, I_l] sorted time-major input of layer l (after dropout)
  private final float[][] masks;    // masks[l]: dropout mask applied to layer l's output (l < L-1), or null
  private final float[][] layerOut; // layerOut[l]: merged output of layer l before dropout
  // owned buffers behind the references above
  private float[] input = new float[0];   // layerIn[0]
  private final float[][] merged;          // layerOut[l]
  private final float[][] dropped;         // layerIn[l + 1] when dropout applies
  private final float[][] maskBuffers;     // masks[l] when dropout applies
  private float[] h0Sorted = new float[0];
  private float[] c0Sorted = new float[0];
  // backward scratch: two buffers alternating between a layer's output gradient and its input gradient
  private final float[][] layerGrads = {new float[0], new float[0]};
  private float[] dhNSorted = new float[0];
  private float[] dcNSorted = new float[0];
  private float[] dh0Sorted = new float[0];
  private float[] dc0Sorted = new float[0];

  /** A runner for {@code cfg} on {@code kernels}. */
  public FloatStackRunner(FloatKernels kernels, RecurrentConfig cfg) {
    this(kernels, cfg, UnaryOperator.identity());
  }

  /**
   * A runner whose engines run {@code cells} applied to the cells of {@code cfg}: tests wrap the cells (a decorator
   * with a deliberate defect) to show that their properties catch it.
   */
  public FloatStackRunner(FloatKernels kernels, RecurrentConfig cfg, UnaryOperator<FloatCell> cells) {
    this.k = kernels;
    this.cfg = cfg;
    this.dirs = cfg.directions();
    this.hidden = cfg.stateSize();
    this.cellWidth = cfg.hiddenSize();
    int n = cfg.numLayers() * dirs;
    engines = new FloatRecurrentEngine[n];
    int extras = CellVariant.of(cfg).extraParameters(cfg).size();
    weights = new FloatEngineWeights[n];
    grads = new FloatEngineWeights[n];
    traces = new FloatRecurrentEngine.Trace[n];
    for (int l = 0; l < cfg.numLayers(); l++) {
      for (int d = 0; d < dirs; d++) {
        int i = l * dirs + d;
        engines[i] = new FloatRecurrentEngine(
            cells.apply(FloatCell.create(kernels, cfg, l)));
        weights[i] = new FloatEngineWeights(cfg.gateWidth(), extras);
        grads[i] = new FloatEngineWeights(cfg.gateWidth(), extras);
        traces[i] = new FloatRecurrentEngine.Trace();
      }
    }
    int layers = cfg.numLayers();
    layerIn = new float[layers][];
    masks = new float[layers][];
    layerOut = new float[layers][];
    merged = new float[layers][];
    dropped = new float[layers][];
    maskBuffers = new float[layers][];
    for (int l = 0; l < layers; l++) {
      merged[l] = new float[0];
      dropped[l] = new float[0];
      maskBuffers[l] = new float[0];
    }
  }

  /**
   * A pool of runners for {@code cfg}, at most {@code maxIdle} of them idle (see {@link RunnerPool}); the layer's
   * calls take their runner from it.
   */
  public static RunnerPool<FloatKernels, FloatStackRunner> pool(RecurrentConfig cfg, int maxIdle) {
    return new RunnerPool<>(maxIdle, k -> new FloatStackRunner(k, cfg));
  }

  private static float[] grow(float[] a, int n) {
    return a.length >= n ? a : new float[n];
  }

  private static int[] grow(int[] a, int n) {
    return a.length >= n ? a : new int[n];
  }

  /**
   * Bytes of the arrays this runner keeps between calls (its traces and scratch), which is what an idle runner in a
   * {@link RunnerPool} retains. Per layer and direction, after a forward and a consuming backward (the last one
   * through a forward) of T steps and batch B, it is {@code B * (T G H + 2 T (I + H) + s (T + 1) H)} elements of
   * {@code Float.BYTES} each (the gates, whose gradients that backward wrote over them; the layer input and output
   * and the two gradient buffers; the states, and for the LSTM, s = 2, the cell states), for the GRU {@code T G H B}
   * more (its recurrent projections, their gradients over them), plus a few rows of B * H (carried gradients, sorted
   * states), one row of G * H (the bias gradients' column sums) and, with dropout, the masks and masked inputs. A
   * backward that keeps the trace (retainGraph) adds a separate gate-gradient array of the gates' size (and, for the
   * GRU, of the projections' size).
   */
  public long retainedBytes() {
    long n = (long) input.length + h0Sorted.length + c0Sorted.length + dhNSorted.length + dcNSorted.length
        + dh0Sorted.length + dc0Sorted.length + layerGrads[0].length + layerGrads[1].length;
    for (int l = 0; l < cfg.numLayers(); l++) {
      n += merged[l].length + dropped[l].length + maskBuffers[l].length;
    }
    for (FloatRecurrentEngine.Trace tr : traces) {
      n += tr.retainedLength();
    }
    return n * Float.BYTES + 4L * (order.length + lengths.length + batchSizes.length + lengthStarts.length);
  }

  /**
   * Drops the references to the caller's weight and gradient arrays (kept by the holders of {@link #weights} and
   * {@link #gradients}), so that an idle runner keeps only its own arrays alive.
   */
  void forgetCallerArrays() {
    for (int i = 0; i < weights.length; i++) {
      weights[i].clear();
      grads[i].clear();
      traces[i].forgetCallerArrays();
    }
  }

  /**
   * Whether no backward pass will follow the next forward passes (inference), which may then keep less of their
   * trace (see {@link FloatRecurrentEngine.Trace#forwardOnly}), read the caller's input in place when its rows are
   * in the engine's order, and have the engines write the states straight into the outputs
   * ({@link FloatRecurrentEngine#forward(Sequence, FloatEngineWeights, States,
   * FloatRecurrentEngine.Trace, float[], int)}) instead of copying them out of the traces. Kept until changed; false
   * at first.
   */
  public void forwardOnly(boolean only) {
    this.forwardOnly = only;
    for (FloatRecurrentEngine.Trace tr : traces) {
      tr.forwardOnly(only);
    }
  }

  /** The weight holder of layer l, direction d (0 forward, 1 reverse): point it at the parameters. */
  public FloatEngineWeights weights(int layer, int dir) {
    return weights[layer * dirs + dir];
  }

  /**
   * Packs the step matrices of layer-direction {@code i = l * D + d} from the arrays its weight holder points at now,
   * into new storage (a {@link FloatRecurrentEngine.PackedStep}, read-only once made, which the caller may keep and
   * give to later calls' runners through {@link FloatEngineWeights#usePacked}).
   */
  public FloatRecurrentEngine.PackedStep pack(int i) {
    return engines[i].packStep(weights[i], null);
  }

  /** The gradient holder of layer l, direction d: point it at arrays the backward pass accumulates into. */
  public FloatEngineWeights gradients(int layer, int dir) {
    return grads[layer * dirs + dir];
  }

  private int inIndex(int t, int b, int width) {
    return cfg.batchFirst() ? (b * steps + t) * width : (t * batch + b) * width;
  }

  /**
   * Forward over the whole stack.
   *
   * @param x not modified, [T, B, I] (or [B, T, I] batch-first)
   * @param lengths not modified, per caller row, each in [1, T]; null means all T
   * @param h0 not modified, [L*D, B, H] or null for zeros
   * @param c0 not modified, [L*D, B, H] (LSTM) or null for zeros
   * @param training apply dropout between layers (when the configured probability is > 0)
   * @param dropoutSeed seed of the dropout masks
   * @param out written, [T, B, outputSize] (or batch-first); zero past each sequence's end
   * @param hN written, [L*D, B, H]
   * @param cN written, [L*D, B, H] (LSTM), or null
   */
  public void forward(float[] x, int xOff, int steps, int batch, int[] lengths,
                      float[] h0, int h0Off, float[] c0, int c0Off, boolean training, long dropoutSeed,
                      float[] out, int outOff, float[] hN, int hNOff, float[] cN, int cNOff) {
    this.steps = steps;
    this.batch = batch;
    sortByLength(lengths);
    int layers = cfg.numLayers();
    int bh = batch * hidden;
    int rows = steps * batch;
    int outW = cfg.outputSize();
    // Layer 0's input in sorted, time-major order; rows past a sequence's end are zero (they meet zero gate
    // gradients in the weight-gradient GEMMs, and must be finite for that: the buffer may hold an earlier call's rows).
    int in0 = cfg.inputSize();
    // Layer 0 reads the caller's rows in place when they are in the engine's order and no backward pass follows: the
    // rows past a sequence's end are then never read back (the weight gradients would multiply them), and the
    // projections the engine computes from them are not used.
    boolean inPlace = callerLayout && forwardOnly;
    int in0Off = inPlace ? xOff : 0;
    if (!inPlace) {
      input = grow(input, rows * in0);
    }
    layerIn[0] = inPlace ? x : input;
    for (int t = 0; t < steps && !inPlace; t++) {
      if (callerLayout) {
        // Already time-major in the engine's order: the step's running rows are one block on both sides.
        k.copy(batchSizes[t] * in0, x, xOff + t * batch * in0, input, t * batch * in0);
        continue;
      }
      for (int r = 0; r < batchSizes[t]; r++) {
        k.copy(in0, x, xOff + inIndex(t, order[r], in0), input, (t * batch + r) * in0);
      }
    }
    if (!inPlace) {
      zeroFinishedRows(input, in0);
    }
    float[] h0s = null;
    float[] c0s = null;
    if (h0 != null) {
      h0s = h0Sorted = grow(h0Sorted, layers * dirs * bh);
    }
    int bc = batch * cellWidth;
    if (c0 != null && cfg.kind().hasCellState()) {
      c0s = c0Sorted = grow(c0Sorted, layers * dirs * bc);
    }
    for (int s = 0; s < layers * dirs; s++) {
      for (int r = 0; r < batch; r++) {
        if (h0s != null) {
          k.copy(hidden, h0, h0Off + s * bh + order[r] * hidden, h0s, s * bh + r * hidden);
        }
        if (c0s != null) {
          k.copy(cellWidth, c0, c0Off + s * bc + order[r] * cellWidth, c0s, s * bc + r * cellWidth);
        }
      }
    }
    SplittableRandom random = new SplittableRandom(dropoutSeed);
    for (int l = 0; l < layers; l++) {
      boolean direct = l == layers - 1 && callerLayout;
      float[] y = direct ? out : (merged[l] = grow(merged[l], rows * outW));
      int yOff = direct ? outOff : 0;
      // Every running row is written below (copied by direction 0, then concatenated or added by direction 1); the
      // rows past a sequence's end are the next layer's input and the output's zeros.
      zeroFinishedRows(y, yOff, outW);
      for (int d = 0; d < dirs; d++) {
        int i = l * dirs + d;
        FloatRecurrentEngine e = engines[i];
        FloatRecurrentEngine.Trace tr = traces[i];
        // Without a backward pass the forward direction writes its states straight into y when they fill its rows
        // (one direction, or the first of two that are summed), instead of into the trace for the copy below.
        boolean straight = forwardOnly && d == 0 && outW == hidden;
        e.forward(new Sequence(layerIn[l], l == 0 ? in0Off : 0, steps, batch, batchSizes, d == 1), weights[i],
            new States(h0s, i * bh, c0s, i * bc), tr, straight ? y : null, yOff);
        boolean add = d == 1 && cfg.merge() == MergeMode.SUM;
        int col = d == 1 && cfg.merge() == MergeMode.CONCAT ? hidden : 0;
        for (int t = 0; t < steps && !straight; t++) {
          int src = e.outputOffset(tr, t);
          if (outW == hidden) {
            // One direction's rows fill the output rows: the step's running rows are one block on both sides.
            int n = batchSizes[t] * hidden;
            int dst = yOff + t * batch * outW;
            if (add) {
              k.add(n, y, dst, tr.states(), src, y, dst);
            } else {
              k.copy(n, tr.states(), src, y, dst);
            }
            continue;
          }
          for (int r = 0; r < batchSizes[t]; r++) {
            int dst = yOff + (t * batch + r) * outW + col;
            if (add) {
              k.add(hidden, y, dst, tr.states(), src + r * hidden, y, dst);
            } else {
              k.copy(hidden, tr.states(), src + r * hidden, y, dst);
            }
          }
        }
        // final states, back in caller order
        for (int r = 0; r < batch; r++) {
          int b = order[r];
          if (straight) {
            k.copy(hidden, y, yOff + ((this.lengths[b] - 1) * batch + r) * hidden, hN, hNOff + i * bh + b * hidden);
          } else {
            k.copy(hidden, tr.states(), e.finalStateOffset(tr, r, this.lengths[b]), hN, hNOff + i * bh + b * hidden);
          }
          if (cN != null && cfg.kind().hasCellState()) {
            k.copy(cellWidth, tr.cellStates(), e.finalCellStateOffset(tr, r, this.lengths[b]), cN,
                cNOff + i * bc + b * cellWidth);
          }
        }
      }
      layerOut[l] = direct ? null : y;
      masks[l] = null;
      if (l + 1 < layers) {
        if (training && cfg.dropout() > 0) {
          int n = rows * outW;
          float[] mask = maskBuffers[l] = grow(maskBuffers[l], n);
          float p = (float) cfg.dropout();
          float scale = 1 / (1 - p);
          for (int j = 0; j < n; j++) {
            mask[j] = random.nextFloat() < p ? 0 : scale;
          }
          masks[l] = mask;
          float[] next = dropped[l] = grow(dropped[l], n);
          k.mul(n, y, 0, mask, 0, next, 0);
          layerIn[l + 1] = next;
        } else {
          layerIn[l + 1] = y;
        }
      }
    }
    // Output back to caller order and layout; zero past each sequence's end.
    float[] top = layerOut[layers - 1];
    if (top == null) {
      return; // written in place
    }
    for (int t = 0; t < steps; t++) {
      for (int r = 0; r < batch; r++) {
        int dst = outOff + inIndex(t, order[r], outW);
        if (r < batchSizes[t]) {
          k.copy(outW, top, (t * batch + r) * outW, out, dst);
        } else {
          k.fill(outW, 0, out, dst);
        }
      }
    }
  }

  /** Zeroes the rows of {@code a} ([T*B, width], sorted time-major) of the sequences that ended before each step. */
  private void zeroFinishedRows(float[] a, int width) {
    zeroFinishedRows(a, 0, width);
  }

  private void zeroFinishedRows(float[] a, int aOff, int width) {
    for (int t = 0; t < steps; t++) {
      int running = batchSizes[t];
      if (running < batch) {
        k.fill((batch - running) * width, 0, a, aOff + (t * batch + running) * width);
      }
    }
  }

  private void sortByLength(int[] lens) {
    lengths = grow(lengths, batch);
    for (int b = 0; b < batch; b++) {
      lengths[b] = lens == null ? steps : lens[b];
    }
    // Stable sort, longest first, so that the rows still running at any step are a prefix: a counting sort over the
    // lengths 1..T, rows of equal length in caller order.
    lengthStarts = grow(lengthStarts, steps + 1);
    java.util.Arrays.fill(lengthStarts, 0, steps + 1, 0);
    for (int b = 0; b < batch; b++) {
      lengthStarts[lengths[b]]++;
    }
    int start = 0;
    for (int len = steps; len >= 1; len--) {
      int count = lengthStarts[len];
      lengthStarts[len] = start;
      start += count;
    }
    order = grow(order, batch);
    for (int b = 0; b < batch; b++) {
      order[lengthStarts[lengths[b]]++] = b;
    }
    callerLayout = !cfg.batchFirst();
    for (int r = 0; r < batch && callerLayout; r++) {
      callerLayout = order[r] == r;
    }
    batchSizes = grow(batchSizes, steps);
    for (int t = 0; t < steps; t++) {
      int n = 0;
      while (n < batch && lengths[order[n]] > t) {
        n++;
      }
      batchSizes[t] = n;
    }
  }

  /**
   * Backward of the last {@link #forward}. Weight gradients accumulate into the arrays of {@link #gradients}.
   *
   * @param dOut not modified, like {@code out}; null for none
   * @param dhN not modified, [L*D, B, H], or null
   * @param dcN not modified, [L*D, B, H], or null
   * @param dx written, like x, or null
   * @param dh0 written, [L*D, B, H], or null
   * @param dc0 written, [L*D, B, H] (LSTM), or null
   * @param consumeTraces no further backward follows this forward: the engines may write gate gradients over the
   *     saved activations ({@link FloatRecurrentEngine.Trace#consumeOnBackward}), and the runner keeps less memory
   */
  public void backward(float[] dOut, int dOutOff, float[] dhN, int dhNOff, float[] dcN, int dcNOff,
                       float[] dx, int dxOff, float[] dh0, int dh0Off, float[] dc0, int dc0Off,
                       boolean consumeTraces) {
    for (FloatRecurrentEngine.Trace tr : traces) {
      tr.consumeOnBackward(consumeTraces);
    }
    int layers = cfg.numLayers();
    int bh = batch * hidden;
    int rows = steps * batch;
    int outW = cfg.outputSize();
    // The top layer's output gradient goes into layerGrads[0] (or is read in place: the caller's layout, or none);
    // layer l's input gradient (the output gradient of layer l - 1) into the other buffer than its own output
    // gradient, so the two alternate down the stack. The engines read only the running rows of dy.
    int dySlot = 0;
    float[] dy = null;
    int dyOff = 0;
    if (dOut != null && callerLayout) {
      dy = dOut;
      dyOff = dOutOff;
    } else if (dOut != null) {
      dy = layerGrads[0] = grow(layerGrads[0], rows * outW);
      for (int t = 0; t < steps; t++) {
        for (int r = 0; r < batchSizes[t]; r++) {
          k.copy(outW, dOut, dOutOff + inIndex(t, order[r], outW), dy, (t * batch + r) * outW);
        }
      }
    }
    float[] dhNs = null;
    if (dhN != null) {
      dhNs = dhNSorted = sortStates(dhN, dhNOff, dhNSorted, hidden);
    }
    float[] dcNs = null;
    if (cfg.kind().hasCellState() && dcN != null) {
      dcNs = dcNSorted = sortStates(dcN, dcNOff, dcNSorted, cellWidth);
    }
    // Written (not accumulated) by every layer-direction's backward.
    float[] dh0s = dh0Sorted = grow(dh0Sorted, layers * dirs * bh);
    int bc = batch * cellWidth;
    float[] dc0s = cfg.kind().hasCellState() ? (dc0Sorted = grow(dc0Sorted, layers * dirs * bc)) : null;
    for (int l = layers - 1; l >= 0; l--) {
      int inW = cfg.layerInputSize(l);
      boolean needInput = l > 0 || dx != null;
      boolean direct = l == 0 && dx != null && callerLayout;
      float[] dIn = null;
      int dInOff = direct ? dxOff : 0;
      if (needInput) {
        // The engines accumulate into it (both directions, all rows): start from zero.
        dIn = direct ? dx : (layerGrads[1 - dySlot] = grow(layerGrads[1 - dySlot], rows * inW));
        k.fill(rows * inW, 0, dIn, dInOff);
      }
      for (int d = 0; d < dirs; d++) {
        int i = l * dirs + d;
        boolean concat = cfg.merge() == MergeMode.CONCAT;
        engines[i].backward(traces[i], weights[i], new OutputGradients(dy, dyOff + (concat ? d * hidden : 0), outW),
            new States(dhNs, i * bh, dcNs, i * bc), grads[i], dIn, dInOff, new States(dh0s, i * bh, dc0s, i * bc));
      }
      if (l > 0) {
        // through the dropout mask of the layer below
        if (masks[l - 1] != null) {
          k.mul(rows * inW, dIn, 0, masks[l - 1], 0, dIn, 0);
        }
        dy = dIn;
        dyOff = 0;
        dySlot = 1 - dySlot;
      } else if (direct) {
        // The padding past a sequence's end gets a zero gradient, as the copy below writes (the engines add zero
        // gate gradients times W_ih there, which is not zero when a weight is not finite).
        zeroFinishedRows(dx, dxOff, inW);
      } else if (dx != null) {
        for (int t = 0; t < steps; t++) {
          for (int r = 0; r < batch; r++) {
            int dst = dxOff + inIndex(t, order[r], inW);
            if (r < batchSizes[t]) {
              k.copy(inW, dIn, (t * batch + r) * inW, dx, dst);
            } else {
              k.fill(inW, 0, dx, dst);
            }
          }
        }
      }
    }
    for (int s = 0; s < layers * dirs; s++) {
      for (int r = 0; r < batch; r++) {
        int b = order[r];
        if (dh0 != null) {
          k.copy(hidden, dh0s, s * bh + r * hidden, dh0, dh0Off + s * bh + b * hidden);
        }
        if (dc0 != null && dc0s != null) {
          k.copy(cellWidth, dc0s, s * bc + r * cellWidth, dc0, dc0Off + s * bc + b * cellWidth);
        }
      }
    }
  }

  /** The states [L*D, B, width] of {@code s} in sorted row order, in {@code buffer} (grown if needed). */
  private float[] sortStates(float[] s, int off, float[] buffer, int width) {
    int bh = batch * width;
    int n = cfg.numLayers() * dirs;
    float[] sorted = grow(buffer, n * bh);
    for (int i = 0; i < n; i++) {
      for (int r = 0; r < batch; r++) {
        k.copy(width, s, off + i * bh + order[r] * width, sorted, i * bh + r * width);
      }
    }
    return sorted;
  }
}
