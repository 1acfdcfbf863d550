package dev.rnn4j.nn.recurrent;

import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.kernels.QuantizedKernelSelector;
import dev.rnn4j.kernels.QuantizedKernels;
import dev.rnn4j.nn.recurrent.internal.QuantizedCell;
import dev.rnn4j.tensor.Tensor;

/**
 * A caller-owned streaming state of a {@link QuantizedRecurrentLayer}: every layer's hidden state (and the LSTM's cell
 * state) for a fixed number of streams plus all scratch, so that a step allocates nothing. Made by
 * {@link QuantizedRecurrentLayer#newStreamState}; {@link #reset()} to start new sequences. Not thread-safe: one state
 * per concurrent stream.
 */
public final class QuantizedStreamState {

  private final QuantizedRecurrentLayer layer;
  private final FloatKernels f;
  private final QuantizedKernels q;
  private final int batch;
  private final float[][] h;
  private final float[][] c;
  private final float[] hNext;
  private final float[] gates;
  private final QuantizedCell.Scratch scratch;
  private final Tensor[] hViews;
  private final Tensor[] cViews;

  QuantizedStreamState(QuantizedRecurrentLayer layer, Kernels kernels, int batch) {
    this(layer, kernels.f32(), QuantizedKernelSelector.matching(kernels), batch);
  }

  /** A state stepping with the given kernels (tests hand in decorated ones). */
  QuantizedStreamState(QuantizedRecurrentLayer layer, FloatKernels f, QuantizedKernels q, int batch) {
    RecurrentConfig cfg = layer.config();
    this.layer = layer;
    this.f = f;
    this.q = q;
    this.batch = batch;
    int layers = cfg.numLayers();
    int hd = cfg.hiddenSize();
    h = new float[layers][batch * hd];
    c = new float[layers][cfg.kind().hasCellState() ? batch * hd : 0];
    hNext = new float[batch * hd];
    gates = new float[batch * cfg.gateWidth()];
    scratch = new QuantizedCell.Scratch(cfg.kind(), hd, batch);
    hViews = new Tensor[layers];
    cViews = new Tensor[layers];
    for (int l = 0; l < layers; l++) {
      hViews[l] = Tensor.wrap(h[l], 0, batch, hd);
      cViews[l] = cfg.kind().hasCellState() ? Tensor.wrap(c[l], 0, batch, hd) : null;
    }
  }

  QuantizedRecurrentLayer layer() {
    return layer;
  }

  /** The number of streams B. */
  public int batch() {
    return batch;
  }

  /** The hidden state of layer l, [B, H]: a live view (writes go into the state). */
  public Tensor hidden(int layer) {
    return hViews[this.layer.checkLayer("QuantizedStreamState.hidden", layer)];
  }

  /**
   * The cell state of layer l of an LSTM, [B, H], a live view.
   *
   * @throws IllegalStateException for a GRU or RNN, which have no cell state
   */
  public Tensor cell(int layer) {
    if (!this.layer.config().kind().hasCellState()) {
      throw new IllegalStateException(this.layer.name() + ": QuantizedStreamState.cell: only an LSTM has a cell "
          + "state; the state is hidden(layer)");
    }
    return cViews[this.layer.checkLayer("QuantizedStreamState.cell", layer)];
  }

  /** Zeroes every state. */
  public void reset() {
    for (int l = 0; l < h.length; l++) {
      f.fill(h[l].length, 0, h[l], 0);
      f.fill(c[l].length, 0, c[l], 0);
    }
  }

  /** One step of every layer for the input rows at {@code x[xOff...]}; no checks (the layer made them). */
  void step(float[] x, int xOff) {
    float[] in = x;
    int inOff = xOff;
    int n = h[0].length;
    for (int l = 0; l < h.length; l++) {
      QuantizedCell cell = layer.cell(l);
      cell.project(f, q, batch, in, inOff, gates, 0);
      cell.step(f, q, batch, gates, 0, scratch, h[l], 0, c[l], 0, hNext, 0, c[l], 0);
      f.copy(n, hNext, 0, h[l], 0);
      in = h[l];
      inOff = 0;
    }
  }

  Tensor topView() {
    return hViews[h.length - 1];
  }

  void copyTop(float[] out, int off) {
    float[] top = h[h.length - 1];
    f.copy(top.length, top, 0, out, off);
  }
}
