package dev.rnn4j.nn.recurrent;

import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.kernels.QuantizedKernels;
import dev.rnn4j.nn.recurrent.internal.QuantizedCell;
import dev.rnn4j.tensor.Tensor;

/**
 * The forward pass of a bidirectional {@link QuantizedRecurrentLayer}, as the float layers run it: per layer, the
 * forward direction over t = 0..T-1 and the reverse direction over t = T-1..0, each with the input products and per
 * step the recurrent product and pointwise kernel; the two directions' outputs merged ({@link MergeMode#CONCAT}:
 * [forward, reverse] side by side; {@link MergeMode#SUM}: forward + reverse) into the next layer's input; final states
 * [L*2, B, H] in PyTorch's order (layer-major, forward direction first).
 *
 * <p><b>Scratch.</b> A call allocates its outputs only; everything else is this engine's, which the layer lends to one
 * call at a time from its spares ({@link SpareEngine}):
 * <ul>
 *   <li>the gates of a chunk of time steps: each direction projects its input {@code max(1, chunkRows / B)} steps at
 *       a time (the reverse direction from the last chunk), as {@link QuantizedStreamEngine} does. A chunk changes no
 *       bit: each row of a quantized product is summed in an order that depends only on its length, so a row's
 *       projection is the same in a product of a chunk's rows or of all T*B rows;</li>
 *   <li>two [B, H] states that the steps write in turn (a step reads one and writes the other), and the LSTM's cell
 *       state, updated in place; each step's state is then copied (CONCAT, or SUM's forward half) or added (SUM's
 *       reverse half, forward + reverse as the float layers add) into its rows of the layer's output;</li>
 *   <li>a batch-first input's rows of one chunk in time-major order;</li>
 *   <li>with two layers or more, one layer output [T*B, outW]: a layer's reverse direction needs the whole output of
 *       the layer below, so unlike the unidirectional forward this one cannot run through all layers chunk by chunk.
 *       The layers alternate between this buffer and the call's output array, so that the top layer writes the
 *       output and no layer reads the buffer it writes. The buffer grows to the longest call (T*B) the engine has
 *       served and is reused after that.</li>
 * </ul>
 * The top layer writes the output in the caller's layout (batch-first if configured) as it goes; the lower layers
 * write time-major rows, which the next layer's input products read.
 *
 * <p>Not thread-safe: one owner at a time (one {@code forward} call that took it from the layer's spares).
 */
final class QuantizedBidirectionalEngine implements SpareEngine {

  private final QuantizedRecurrentLayer layer;
  private final FloatKernels f;
  private final QuantizedKernels q;
  /** The most sequences one call may run. */
  private final int capacity;
  private final int chunkRows;
  private final float[] gates;
  /** A batch-first input's rows of one chunk in time-major order (batch-first layers only). */
  private final float[] stage;
  /** Two states [capacity, H], at 0 and at {@code capacity * H}: a step reads one and writes the other. */
  private final float[] h;
  /** The LSTM's cell state [capacity, H] (empty otherwise), updated in place. */
  private final float[] c;
  private final QuantizedCell.Scratch scratch;
  /** A lower layer's output [T*B, outW] (two layers or more), grown to the longest call. */
  private float[] below = new float[0];

  QuantizedBidirectionalEngine(QuantizedRecurrentLayer layer, FloatKernels f, QuantizedKernels q, int capacity) {
    RecurrentConfig cfg = layer.config();
    int hd = cfg.hiddenSize();
    this.layer = layer;
    this.f = f;
    this.q = q;
    this.capacity = capacity;
    this.chunkRows = Math.max(QuantizedStreamEngine.CHUNK_ROWS, capacity);
    gates = new float[chunkRows * cfg.gateWidth()];
    stage = new float[cfg.batchFirst() ? chunkRows * cfg.inputSize() : 0];
    h = new float[2 * capacity * hd];
    c = new float[cfg.kind().hasCellState() ? capacity * hd : 0];
    scratch = new QuantizedCell.Scratch(cfg.kind(), hd, capacity);
  }

  @Override
  public boolean serves(FloatKernels f, QuantizedKernels q, int batch) {
    return this.f == f && this.q == q && capacity >= batch;
  }

  /**
   * The forward pass of {@code input} [T, B, I] (or [B, T, I]) for {@code batch <= capacity} sequences from h0 and c0
   * (null: zeros). No checks: {@link QuantizedRecurrentLayer#forward(Tensor, Tensor, Tensor)} made them.
   *
   * @return output [T, B, outW] (or [B, T, outW]), hN and cN [L*2, B, H] (cN null but for the LSTM), new arrays
   */
  RecurrentOutput run(Tensor input, int steps, int batch, Tensor h0, Tensor c0) {
    RecurrentConfig cfg = layer.config();
    int hd = cfg.hiddenSize();
    int layers = cfg.numLayers();
    int outW = cfg.outputSize();
    int rows = steps * batch;
    int bh = batch * hd;
    float[] out = new float[rows * outW];
    float[] hN = new float[2 * layers * bh];
    float[] cN = cfg.kind().hasCellState() ? new float[2 * layers * bh] : null;
    if (layers > 1 && below.length < rows * outW) {
      below = new float[rows * outW];
    }
    float[] in = input.floatData();
    int inOff = input.offset();
    int inW = cfg.inputSize();
    for (int l = 0; l < layers; l++) {
      // the top layer writes the output; the ones below alternate, so that no layer reads the array it writes
      float[] y = ((layers - 1 - l) & 1) == 0 ? out : below;
      boolean inBatchFirst = l == 0 && cfg.batchFirst();
      boolean yBatchFirst = l == layers - 1 && cfg.batchFirst();
      for (int d = 0; d < 2; d++) {
        direction(2 * l + d, steps, batch, in, inOff, inW, inBatchFirst, y, yBatchFirst, h0, c0, hN, cN);
      }
      in = y;
      inOff = 0;
      inW = outW;
    }
    Tensor output = cfg.batchFirst() ? Tensor.wrap(out, 0, batch, steps, outW) : Tensor.wrap(out, 0, steps, batch,
        outW);
    return new RecurrentOutput(output, Tensor.wrap(hN, 0, 2 * layers, batch, hd),
        cN == null ? null : Tensor.wrap(cN, 0, 2 * layers, batch, hd));
  }

  /**
   * Layer-direction {@code i} (direction {@code i % 2}) over the whole sequence: its input rows from {@code in}
   * (time-major [T*B, inW] at inOff, or batch-first [B, T, inW]), its states merged into y's rows; its final states
   * into hN and cN at row block i.
   */
  private void direction(int i, int steps, int batch, float[] in, int inOff, int inW, boolean inBatchFirst, float[] y,
                         boolean yBatchFirst, Tensor h0, Tensor c0, float[] hN, float[] cN) {
    RecurrentConfig cfg = layer.config();
    QuantizedCell cell = layer.cell(i);
    int d = i & 1;
    int hd = cfg.hiddenSize();
    int gw = cfg.gateWidth();
    int bh = batch * hd;
    int other = capacity * hd;
    if (h0 == null) {
      f.fill(bh, 0, h, 0);
    } else {
      f.copy(bh, h0.floatData(), h0.offset() + i * bh, h, 0);
    }
    boolean hasCell = cfg.kind().hasCellState();
    if (hasCell) {
      if (c0 == null) {
        f.fill(bh, 0, c, 0);
      } else {
        f.copy(bh, c0.floatData(), c0.offset() + i * bh, c, 0);
      }
    }
    int cur = 0;
    int chunk = Math.max(1, chunkRows / batch);
    for (int done = 0; done < steps; done += chunk) {
      int ts = Math.min(chunk, steps - done);
      int t0 = d == 0 ? done : steps - done - ts; // the reverse direction takes the chunks from the end
      project(cell, steps, batch, in, inOff, inW, inBatchFirst, t0, ts);
      for (int s = 0; s < ts; s++) {
        int tc = d == 0 ? s : ts - 1 - s; // the step's row block within the chunk
        int next = cur == 0 ? other : 0;
        cell.step(f, q, batch, gates, tc * batch * gw, scratch, h, cur, c, 0, h, next, c, 0);
        cur = next;
        merge(d, t0 + tc, steps, batch, cur, y, yBatchFirst);
      }
    }
    f.copy(bh, h, cur, hN, i * bh); // the state after the direction's last step (t = 0 for the reverse)
    if (hasCell) {
      f.copy(bh, c, 0, cN, i * bh);
    }
  }

  /** The gates of steps [t0, t0 + ts): one product of their ts * B input rows. */
  private void project(QuantizedCell cell, int steps, int batch, float[] in, int inOff, int inW, boolean inBatchFirst,
                       int t0, int ts) {
    if (inBatchFirst) {
      for (int t = 0; t < ts; t++) {
        for (int b = 0; b < batch; b++) {
          System.arraycopy(in, inOff + (b * steps + t0 + t) * inW, stage, (t * batch + b) * inW, inW);
        }
      }
      cell.project(f, q, ts * batch, stage, 0, gates, 0);
    } else {
      cell.project(f, q, ts * batch, in, inOff + t0 * batch * inW, gates, 0);
    }
  }

  /** Direction d's state after step t (in h at {@code from}) into its place in the rows of y. */
  private void merge(int d, int t, int steps, int batch, int from, float[] y, boolean yBatchFirst) {
    RecurrentConfig cfg = layer.config();
    int hd = cfg.hiddenSize();
    int outW = cfg.outputSize();
    boolean sum = cfg.merge() == MergeMode.SUM;
    for (int b = 0; b < batch; b++) {
      int row = yBatchFirst ? b * steps + t : t * batch + b;
      int at = row * outW + (sum ? 0 : d * hd);
      if (sum && d == 1) {
        f.add(hd, y, at, h, from + b * hd, y, at); // forward + reverse
      } else {
        f.copy(hd, h, from + b * hd, y, at);
      }
    }
  }
}
