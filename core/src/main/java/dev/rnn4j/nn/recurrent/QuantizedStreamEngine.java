package dev.rnn4j.nn.recurrent;

import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.kernels.QuantizedKernels;
import dev.rnn4j.nn.recurrent.internal.QuantizedCell;

/**
 * The time loop of a unidirectional {@link QuantizedRecurrentLayer}: every layer's state (and the LSTM's cell state)
 * for up to {@link #capacity} streams, and scratch for a chunk of time steps, so that any number of steps runs with
 * nothing allocated. The single step, {@code steps} on caller arrays and the unidirectional {@code forward} all run
 * here.
 *
 * <p><b>Chunks.</b> The time steps are taken in chunks of {@code max(1, chunkRows / B)} steps. Per chunk, each layer
 * projects the chunk's input rows in one product against the quantized W_ih (rows = steps of the chunk times B),
 * then steps through the chunk (recurrent product and pointwise kernel per step); the next layer reads the chunk's
 * output rows. So the scratch is fixed at creation ({@code chunkRows} rows of gates and two layer outputs), however
 * many steps a call has, and never grows. A chunk changes no bit: the products of {@link QuantizedKernels} compute
 * each row of A W^T on its own, summing in an order that depends only on k (docs/quantization.md: "the same bits
 * ... for every row of a batch"), so a row's projection is the same whether one call multiplies B rows, a chunk's or
 * all T*B rows. {@code QuantizedStepsTest} holds this for chunks of 1, 3 and the default width against T single steps
 * and against a product of all rows at once.
 *
 * <p>Not thread-safe: one owner at a time (a {@link QuantizedStreamState}, or one {@code forward} call that took it
 * from the layer's spares, {@link SpareEngine}).
 */
final class QuantizedStreamEngine implements SpareEngine {

  /**
   * Rows (time steps x streams) of one chunk's input product. 64 rows keep the scratch of a large layer small (an LSTM
   * with H = 1024: 1 MB of gates) while a stream of B = 1 still projects 64 steps per product.
   */
  static final int CHUNK_ROWS = 64;

  final QuantizedRecurrentLayer layer;
  final FloatKernels f;
  final QuantizedKernels q;
  /** The most streams one call may run. */
  final int capacity;
  /** h[l]: layer l's state, [capacity, H] (the first B rows used). */
  final float[][] h;
  /** c[l]: layer l's cell state (LSTM; empty otherwise), [capacity, H]. */
  final float[][] c;
  private final int chunkRows;
  private final float[] gates;
  private final float[] out0;
  private final float[] out1;
  /** A batch-first input's rows of one chunk in time-major order (batch-first layers only). */
  private final float[] stage;
  private final QuantizedCell.Scratch scratch;

  QuantizedStreamEngine(QuantizedRecurrentLayer layer, FloatKernels f, QuantizedKernels q, int capacity) {
    this(layer, f, q, capacity, CHUNK_ROWS);
  }

  /** An engine whose chunks hold {@code max(chunkRows, capacity)} rows (tests choose small chunks). */
  QuantizedStreamEngine(QuantizedRecurrentLayer layer, FloatKernels f, QuantizedKernels q, int capacity,
                        int chunkRows) {
    RecurrentConfig cfg = layer.config();
    this.layer = layer;
    this.f = f;
    this.q = q;
    this.capacity = capacity;
    this.chunkRows = Math.max(chunkRows, capacity);
    int layers = cfg.numLayers();
    int hd = cfg.hiddenSize();
    h = new float[layers][capacity * hd];
    c = new float[layers][cfg.kind().hasCellState() ? capacity * hd : 0];
    gates = new float[this.chunkRows * cfg.gateWidth()];
    out0 = new float[this.chunkRows * hd];
    out1 = new float[layers > 1 ? this.chunkRows * hd : 0];
    stage = new float[cfg.batchFirst() ? this.chunkRows * cfg.inputSize() : 0];
    scratch = new QuantizedCell.Scratch(cfg.kind(), hd, capacity);
  }

  @Override
  public boolean serves(FloatKernels f, QuantizedKernels q, int batch) {
    return this.f == f && this.q == q && capacity >= batch;
  }

  /** The steps of one chunk at batch {@code batch}. */
  int chunkSteps(int batch) {
    return Math.max(1, chunkRows / batch);
  }

  /**
   * {@code steps} time steps of every layer for {@code batch <= capacity} streams from the current states, leaving the
   * last states in {@link #h} and {@link #c}. No checks (the layer made them).
   *
   * @param x not modified: [steps, batch, I] at xOff, or [batch, steps, I] if {@code batchFirst}
   * @param out written: the top layer's state after every step, laid out as x; must not overlap x
   */
  void run(int batch, int steps, float[] x, int xOff, boolean batchFirst, float[] out, int outOff) {
    RecurrentConfig cfg = layer.config();
    int in0 = cfg.inputSize();
    int hd = cfg.hiddenSize();
    int gw = cfg.gateWidth();
    int bh = batch * hd;
    int layers = h.length;
    int chunk = chunkSteps(batch);
    for (int t0 = 0; t0 < steps; t0 += chunk) {
      int ts = Math.min(chunk, steps - t0);
      float[] in;
      int inOff;
      if (batchFirst) {
        for (int t = 0; t < ts; t++) {
          for (int b = 0; b < batch; b++) {
            System.arraycopy(x, xOff + (b * steps + t0 + t) * in0, stage, (t * batch + b) * in0, in0);
          }
        }
        in = stage;
        inOff = 0;
      } else {
        in = x;
        inOff = xOff + t0 * batch * in0;
      }
      float[] y = null;
      int yOff = 0;
      for (int l = 0; l < layers; l++) {
        QuantizedCell cell = layer.cell(l);
        boolean direct = l == layers - 1 && !batchFirst;
        y = direct ? out : (l & 1) == 0 ? out0 : out1;
        yOff = direct ? outOff + t0 * bh : 0;
        cell.project(f, q, ts * batch, in, inOff, gates, 0);
        for (int t = 0; t < ts; t++) {
          float[] hPrev = t == 0 ? h[l] : y;
          int hp = t == 0 ? 0 : yOff + (t - 1) * bh;
          cell.step(f, q, batch, gates, t * batch * gw, scratch, hPrev, hp, c[l], 0, y, yOff + t * bh, c[l], 0);
        }
        f.copy(bh, y, yOff + (ts - 1) * bh, h[l], 0);
        in = y;
        inOff = yOff;
      }
      if (batchFirst) {
        for (int t = 0; t < ts; t++) {
          for (int b = 0; b < batch; b++) {
            System.arraycopy(y, (t * batch + b) * hd, out, outOff + (b * steps + t0 + t) * hd, hd);
          }
        }
      }
    }
  }
}
