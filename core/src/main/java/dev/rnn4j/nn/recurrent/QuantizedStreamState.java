package dev.rnn4j.nn.recurrent;

import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.kernels.QuantizedKernelSelector;
import dev.rnn4j.kernels.QuantizedKernels;
import dev.rnn4j.tensor.Tensor;

/**
 * A caller-owned streaming state of a {@link QuantizedRecurrentLayer}: every layer's hidden state (and the LSTM's cell
 * state) for a fixed number of streams plus all scratch, so that a step, and {@code steps} over any number of time
 * steps, allocate nothing: the scratch holds a chunk of {@code max(1, 64 / B)} time steps, fixed at creation, and
 * longer calls run chunk after chunk (which changes no bit; see {@link QuantizedRecurrentLayer#steps}). Made by
 * {@link QuantizedRecurrentLayer#newStreamState}; {@link #reset()} to start new sequences. Not thread-safe: one state
 * per concurrent stream.
 */
public final class QuantizedStreamState {

  private final QuantizedRecurrentLayer layer;
  private final int batch;
  private final QuantizedStreamEngine engine;
  /** The top layer's state of a tensor step before it is copied into the state (the step's output). */
  private final float[] hNext;
  private final Tensor[] hViews;
  private final Tensor[] cViews;

  QuantizedStreamState(QuantizedRecurrentLayer layer, Kernels kernels, int batch) {
    this(layer, kernels.f32(), QuantizedKernelSelector.matching(kernels), batch);
  }

  /** A state stepping with the given kernels (tests hand in decorated ones). */
  QuantizedStreamState(QuantizedRecurrentLayer layer, FloatKernels f, QuantizedKernels q, int batch) {
    this(layer, new QuantizedStreamEngine(layer, f, q, batch), batch);
  }

  /** A state on a given engine of capacity {@code batch} (tests choose its chunk width). */
  QuantizedStreamState(QuantizedRecurrentLayer layer, QuantizedStreamEngine engine, int batch) {
    RecurrentConfig cfg = layer.config();
    this.layer = layer;
    this.batch = batch;
    this.engine = engine;
    int layers = cfg.numLayers();
    int hd = cfg.hiddenSize();
    hNext = new float[batch * hd];
    hViews = new Tensor[layers];
    cViews = new Tensor[layers];
    for (int l = 0; l < layers; l++) {
      hViews[l] = Tensor.wrap(engine.h[l], 0, batch, hd);
      cViews[l] = cfg.kind().hasCellState() ? Tensor.wrap(engine.c[l], 0, batch, hd) : null;
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
    for (int l = 0; l < engine.h.length; l++) {
      engine.f.fill(engine.h[l].length, 0, engine.h[l], 0);
      engine.f.fill(engine.c[l].length, 0, engine.c[l], 0);
    }
  }

  /** One step of every layer for the input rows at {@code x[xOff...]}; the top state stays in the state only. */
  void step(float[] x, int xOff) {
    engine.run(batch, 1, x, xOff, false, hNext, 0);
  }

  /** {@code steps} steps, the top layer's state after each into {@code out[outOff...]}; no checks (the layer's). */
  void steps(float[] x, int xOff, int steps, float[] out, int outOff) {
    engine.run(batch, steps, x, xOff, false, out, outOff);
  }

  Tensor topView() {
    return hViews[hViews.length - 1];
  }
}
