package dev.rnn4j.nn.recurrent;

// Generated from DoubleStackRunner.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

import dev.rnn4j.kernels.FloatKernels;
import java.util.SplittableRandom;

/**
 * A whole float32 recurrent stack (layers x directions) over raw arrays: sorts a variable-length batch, runs each
 * layer-direction on a {@link FloatRecurrentEngine}, merges directions, applies dropout between layers, and puts the
 * outputs and final states back into the caller's batch order and layout. {@link #backward} is the exact reverse.
 *
 * <p>Arguments are trusted (the layer checks them, see {@link RecurrentChecks}). One instance serves one forward and
 * its backward; it keeps the traces in between.
 */
// The cast of the dropout probability is redundant in the 64-bit source; the generated 32-bit twin needs it.
@SuppressWarnings("cast")
public final class FloatStackRunner {

  private final FloatKernels k;
  private final RecurrentConfig cfg;
  private final int dirs;
  private final int hidden;
  private final FloatRecurrentEngine[] engines;
  private final FloatRecurrentEngine.Weights[] weights;
  private final FloatRecurrentEngine.Weights[] grads;
  private final FloatRecurrentEngine.Trace[] traces;

  // state of the last forward
  private int steps;
  private int batch;
  private int[] order;      // sorted row r holds caller row order[r]
  private int[] lengths;    // caller order
  private int[] batchSizes;
  private float[][] layerIn; // layerIn[l]: [T*B, I_l] sorted time-major input of layer l (after dropout)
  private float[][] masks;   // masks[l]: dropout mask applied to layer l's output (l < L-1), or null
  private float[][] layerOut; // layerOut[l]: merged output of layer l before dropout

  /** A runner for {@code cfg} on {@code kernels}. */
  public FloatStackRunner(FloatKernels kernels, RecurrentConfig cfg) {
    this.k = kernels;
    this.cfg = cfg;
    this.dirs = cfg.directions();
    this.hidden = cfg.hiddenSize();
    int n = cfg.numLayers() * dirs;
    engines = new FloatRecurrentEngine[n];
    weights = new FloatRecurrentEngine.Weights[n];
    grads = new FloatRecurrentEngine.Weights[n];
    traces = new FloatRecurrentEngine.Trace[n];
    for (int l = 0; l < cfg.numLayers(); l++) {
      for (int d = 0; d < dirs; d++) {
        int i = l * dirs + d;
        engines[i] = new FloatRecurrentEngine(kernels, cfg.kind(), cfg.layerInputSize(l), hidden);
        weights[i] = new FloatRecurrentEngine.Weights(cfg.gateWidth());
        grads[i] = new FloatRecurrentEngine.Weights(cfg.gateWidth());
        traces[i] = new FloatRecurrentEngine.Trace();
      }
    }
  }

  /** The weight holder of layer l, direction d (0 forward, 1 reverse): point it at the parameters. */
  public FloatRecurrentEngine.Weights weights(int layer, int dir) {
    return weights[layer * dirs + dir];
  }

  /** The gradient holder of layer l, direction d: point it at arrays the backward pass accumulates into. */
  public FloatRecurrentEngine.Weights gradients(int layer, int dir) {
    return grads[layer * dirs + dir];
  }

  void injectFault(FloatRecurrentEngine.Fault f) {
    for (FloatRecurrentEngine e : engines) {
      e.injectFault(f);
    }
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
    layerIn = new float[layers][];
    layerOut = new float[layers][];
    masks = new float[layers][];
    // Layer 0's input in sorted, time-major order; rows past a sequence's end stay zero.
    int in0 = cfg.inputSize();
    layerIn[0] = new float[rows * in0];
    for (int t = 0; t < steps; t++) {
      for (int r = 0; r < batchSizes[t]; r++) {
        k.copy(in0, x, xOff + inIndex(t, order[r], in0), layerIn[0], (t * batch + r) * in0);
      }
    }
    float[] h0s = h0 == null ? null : new float[layers * dirs * bh];
    float[] c0s = c0 == null || !cfg.kind().hasCellState() ? null : new float[layers * dirs * bh];
    for (int s = 0; s < layers * dirs; s++) {
      for (int r = 0; r < batch; r++) {
        if (h0s != null) {
          k.copy(hidden, h0, h0Off + s * bh + order[r] * hidden, h0s, s * bh + r * hidden);
        }
        if (c0s != null) {
          k.copy(hidden, c0, c0Off + s * bh + order[r] * hidden, c0s, s * bh + r * hidden);
        }
      }
    }
    SplittableRandom random = new SplittableRandom(dropoutSeed);
    for (int l = 0; l < layers; l++) {
      float[] y = new float[rows * outW];
      for (int d = 0; d < dirs; d++) {
        int i = l * dirs + d;
        FloatRecurrentEngine e = engines[i];
        FloatRecurrentEngine.Trace tr = traces[i];
        e.forward(layerIn[l], 0, steps, batch, batchSizes, d == 1, weights[i],
            h0s, i * bh, c0s, i * bh, tr);
        boolean add = d == 1 && cfg.merge() == MergeMode.SUM;
        int col = d == 1 && cfg.merge() == MergeMode.CONCAT ? hidden : 0;
        for (int t = 0; t < steps; t++) {
          int src = e.outputOffset(tr, t);
          for (int r = 0; r < batchSizes[t]; r++) {
            int dst = (t * batch + r) * outW + col;
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
          int fs = e.finalStateOffset(tr, r, this.lengths[b]);
          k.copy(hidden, tr.states(), fs, hN, hNOff + i * bh + b * hidden);
          if (cN != null && cfg.kind().hasCellState()) {
            k.copy(hidden, tr.cellStates(), fs, cN, cNOff + i * bh + b * hidden);
          }
        }
      }
      layerOut[l] = y;
      if (l + 1 < layers) {
        if (training && cfg.dropout() > 0) {
          float[] mask = new float[rows * outW];
          float p = (float) cfg.dropout();
          float scale = 1 / (1 - p);
          for (int j = 0; j < mask.length; j++) {
            mask[j] = random.nextFloat() < p ? 0 : scale;
          }
          masks[l] = mask;
          float[] next = new float[rows * outW];
          k.mul(rows * outW, y, 0, mask, 0, next, 0);
          layerIn[l + 1] = next;
        } else {
          layerIn[l + 1] = y;
        }
      }
    }
    // Output back to caller order and layout; zero past each sequence's end.
    float[] top = layerOut[layers - 1];
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

  private void sortByLength(int[] lens) {
    lengths = new int[batch];
    for (int b = 0; b < batch; b++) {
      lengths[b] = lens == null ? steps : lens[b];
    }
    // Stable sort, longest first, so that the rows still running at any step are a prefix.
    Integer[] idx = new Integer[batch];
    for (int b = 0; b < batch; b++) {
      idx[b] = b;
    }
    java.util.Arrays.sort(idx, (p, q) -> Integer.compare(lengths[q], lengths[p]));
    order = new int[batch];
    for (int r = 0; r < batch; r++) {
      order[r] = idx[r];
    }
    batchSizes = new int[steps];
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
   */
  public void backward(float[] dOut, int dOutOff, float[] dhN, int dhNOff, float[] dcN, int dcNOff,
                       float[] dx, int dxOff, float[] dh0, int dh0Off, float[] dc0, int dc0Off) {
    int layers = cfg.numLayers();
    int bh = batch * hidden;
    int rows = steps * batch;
    int outW = cfg.outputSize();
    float[] dy = new float[rows * outW];
    if (dOut != null) {
      for (int t = 0; t < steps; t++) {
        for (int r = 0; r < batchSizes[t]; r++) {
          k.copy(outW, dOut, dOutOff + inIndex(t, order[r], outW), dy, (t * batch + r) * outW);
        }
      }
    }
    float[] dhNs = sortStates(dhN, dhNOff);
    float[] dcNs = cfg.kind().hasCellState() ? sortStates(dcN, dcNOff) : null;
    float[] dh0s = new float[layers * dirs * bh];
    float[] dc0s = cfg.kind().hasCellState() ? new float[layers * dirs * bh] : null;
    for (int l = layers - 1; l >= 0; l--) {
      int inW = cfg.layerInputSize(l);
      boolean needInput = l > 0 || dx != null;
      float[] dIn = needInput ? new float[rows * inW] : null;
      for (int d = 0; d < dirs; d++) {
        int i = l * dirs + d;
        FloatRecurrentEngine.Weights g = grads[i];
        boolean concat = cfg.merge() == MergeMode.CONCAT;
        engines[i].backward(traces[i], weights[i], dy, concat ? d * hidden : 0, outW,
            dhNs, i * bh, dcNs, i * bh, dIn, 0, dh0s, i * bh, dc0s, i * bh,
            g.wih, g.wihOff, g.whh, g.whhOff, g.bih, g.bihOff, g.bhh, g.bhhOff);
      }
      if (l > 0) {
        // through the dropout mask of the layer below
        if (masks[l - 1] != null) {
          k.mul(rows * inW, dIn, 0, masks[l - 1], 0, dIn, 0);
        }
        dy = dIn;
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
          k.copy(hidden, dc0s, s * bh + r * hidden, dc0, dc0Off + s * bh + b * hidden);
        }
      }
    }
  }

  private float[] sortStates(float[] s, int off) {
    if (s == null) {
      return null;
    }
    int bh = batch * hidden;
    int n = cfg.numLayers() * dirs;
    float[] sorted = new float[n * bh];
    for (int i = 0; i < n; i++) {
      for (int r = 0; r < batch; r++) {
        k.copy(hidden, s, off + i * bh + order[r] * hidden, sorted, i * bh + r * hidden);
      }
    }
    return sorted;
  }
}
