package dev.rnn4j.nn.recurrent;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.nn.recurrent.internal.CellVariant;
import dev.rnn4j.nn.recurrent.internal.DoubleEngineWeights;
import dev.rnn4j.nn.recurrent.internal.DoubleRecurrentEngine;
import dev.rnn4j.nn.recurrent.internal.DoubleStreamState;
import dev.rnn4j.nn.recurrent.internal.FloatEngineWeights;
import dev.rnn4j.nn.recurrent.internal.FloatRecurrentEngine;
import dev.rnn4j.nn.recurrent.internal.FloatStreamState;
import dev.rnn4j.tensor.Checks;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;

/**
 * A caller-owned streaming state of a unidirectional recurrent layer: every layer's hidden state (and the LSTM's
 * cell state) for a fixed number of streams, plus all scratch space, so that {@link RecurrentLayer#step} allocates
 * nothing. Create it with {@link RecurrentLayer#newStreamState}; {@link #reset()} to start new sequences,
 * {@link #copy()} / {@link #copyFrom} to branch (beam search). Not thread-safe.
 */
public final class StreamState {

  private final RecurrentConfig cfg;
  private final DType dtype;
  private final DoubleStreamState d;
  private final FloatStreamState f;
  private final Kernels kernels;
  private final int batch;
  // Tensor views of both state buffers of every layer (the state double-buffers h): returned without allocating.
  private final Object[][] hBuffers;
  private final Tensor[][] hViews;
  private final Tensor[] cViews;
  // The weight tensors each layer's holder points at: the holder is re-pointed (which drops its packed matrices) only
  // when they change.
  private final Tensor[][] setTo;

  StreamState(RecurrentConfig cfg, DType dtype, Kernels kernels, int batch) {
    this.cfg = cfg;
    this.dtype = dtype;
    this.kernels = kernels;
    this.batch = batch;
    this.d = dtype == DType.FLOAT64 ? new DoubleStreamState(kernels.f64(), cfg, batch) : null;
    this.f = dtype == DType.FLOAT32 ? new FloatStreamState(kernels.f32(), cfg, batch) : null;
    int layers = cfg.numLayers();
    int hd = cfg.hiddenSize();
    hBuffers = new Object[layers][2];
    hViews = new Tensor[layers][2];
    cViews = new Tensor[layers];
    setTo = new Tensor[layers][4 + cfg.variant().extraParameters(cfg).size()];
    int sw = cfg.stateSize();
    for (int l = 0; l < layers; l++) {
      Object first = d != null ? d.hidden(l) : f.hidden(l);
      Object second = d != null ? d.spare(l) : f.spare(l);
      hBuffers[l][0] = first;
      hBuffers[l][1] = second;
      hViews[l][0] = wrap(first, batch, sw);
      hViews[l][1] = wrap(second, batch, sw);
      if (cfg.kind().hasCellState()) {
        cViews[l] = wrap(d != null ? d.cell(l) : f.cell(l), batch, hd);
      }
    }
  }

  private static Tensor wrap(Object array, int rows, int cols) {
    return array instanceof double[] a ? Tensor.wrap(a, 0, rows, cols) : Tensor.wrap((float[]) array, 0, rows, cols);
  }

  RecurrentConfig config() {
    return cfg;
  }

  /** The number of streams B. */
  public int batch() {
    return batch;
  }

  /** The dtype of the states. */
  public DType dtype() {
    return dtype;
  }

  Kernels kernels() {
    return kernels;
  }

  /**
   * Points layer l's weight holder at these tensors, unless it already points at them; {@code extras[j][layer]} is
   * the cell's further parameter j (see {@link CellVariant#extraParameters}). Allocates nothing.
   */
  void setWeights(int layer, Tensor wih, Tensor whh, Tensor bih, Tensor bhh, Tensor[][] extras) {
    Tensor[] cur = setTo[layer];
    boolean same = cur[0] == wih && cur[1] == whh && cur[2] == bih && cur[3] == bhh;
    for (int j = 0; same && j < extras.length; j++) {
      same = cur[4 + j] == extras[j][layer];
    }
    if (same) {
      return;
    }
    cur[0] = wih;
    cur[1] = whh;
    cur[2] = bih;
    cur[3] = bhh;
    if (d != null) {
      DoubleEngineWeights w = d.weights(layer).set(wih.doubleData(), wih.offset(), whh.doubleData(),
          whh.offset(), bih == null ? null : bih.doubleData(), bih == null ? 0 : bih.offset(),
          bhh == null ? null : bhh.doubleData(), bhh == null ? 0 : bhh.offset());
      for (int j = 0; j < extras.length; j++) {
        w.extra(j, extras[j][layer].doubleData(), extras[j][layer].offset());
      }
    } else {
      FloatEngineWeights w = f.weights(layer).set(wih.floatData(), wih.offset(), whh.floatData(),
          whh.offset(), bih == null ? null : bih.floatData(), bih == null ? 0 : bih.offset(),
          bhh == null ? null : bhh.floatData(), bhh == null ? 0 : bhh.offset());
      for (int j = 0; j < extras.length; j++) {
        w.extra(j, extras[j][layer].floatData(), extras[j][layer].offset());
      }
    }
    for (int j = 0; j < extras.length; j++) {
      cur[4 + j] = extras[j][layer];
    }
  }

  /** Packs layer l's step matrices from its weights' current contents (a DoubleRecurrentEngine.PackedStep or Float). */
  Object pack(int layer) {
    return d != null ? d.pack(layer) : f.pack(layer);
  }

  /** Makes layer l's steps multiply with {@code packed}, made by {@link #pack} from the current weights. */
  void usePacked(int layer, Object packed) {
    if (d != null) {
      d.usePacked(layer, (DoubleRecurrentEngine.PackedStep) packed);
    } else {
      f.usePacked(layer, (FloatRecurrentEngine.PackedStep) packed);
    }
  }

  Tensor step(Tensor x) {
    if (d != null) {
      d.step(x.doubleData(), x.offset());
    } else {
      f.step(x.floatData(), x.offset());
    }
    return hidden(cfg.numLayers() - 1);
  }

  /** One step from {@code x[xOff...]}, the top layer's new state copied to {@code h[hOff, hOff + B * H)}. */
  void stepInto(float[] x, int xOff, float[] h, int hOff) {
    float[] top = f.step(x, xOff);
    kernels.f32().copy(batch * cfg.stateSize(), top, 0, h, hOff);
  }

  /** The float64 twin of {@link #stepInto(float[], int, float[], int)}. */
  void stepInto(double[] x, int xOff, double[] h, int hOff) {
    double[] top = d.step(x, xOff);
    kernels.f64().copy(batch * cfg.stateSize(), top, 0, h, hOff);
  }

  /** {@code steps} steps from the time-major rows at {@code x[xOff...]}, the top layer's states into {@code out}. */
  void stepsInto(float[] x, int xOff, int steps, float[] out, int outOff) {
    f.steps(x, xOff, steps, out, outOff);
  }

  /** The float64 twin of {@link #stepsInto(float[], int, int, float[], int)}. */
  void stepsInto(double[] x, int xOff, int steps, double[] out, int outOff) {
    d.steps(x, xOff, steps, out, outOff);
  }

  /**
   * The hidden state of layer l, [B, H] ([B, P] for an LSTM with a projection): a live view (writes go into the state; the next step may move it to the
   * other of the state's two buffers, so fetch it again after stepping).
   *
   * @throws IllegalArgumentException for a layer outside [0, numLayers)
   */
  public Tensor hidden(int layer) {
    checkLayer("hidden", layer);
    Object cur = d != null ? d.hidden(layer) : f.hidden(layer);
    return cur == hBuffers[layer][0] ? hViews[layer][0] : hViews[layer][1];
  }

  /**
   * The cell state of layer l of an LSTM, [B, H], a live view.
   *
   * @throws IllegalStateException for a state of an RNN or GRU, which have no cell state
   * @throws IllegalArgumentException for a layer outside [0, numLayers)
   */
  public Tensor cell(int layer) {
    if (!cfg.kind().hasCellState()) {
      throw new IllegalStateException(cfg.name() + ": StreamState.cell: a " + cfg.name() + " has no cell state "
          + "(only an LSTM has one); its state is hidden(layer)");
    }
    checkLayer("cell", layer);
    return cViews[layer];
  }

  private void checkLayer(String op, int layer) {
    if (layer < 0 || layer >= cfg.numLayers()) {
      throw new IllegalArgumentException(cfg.name() + ": StreamState." + op + ": layer " + layer + " out of range [0, "
          + cfg.numLayers() + ") for a stack of " + cfg.numLayers() + " layer" + (cfg.numLayers() == 1 ? "" : "s"));
    }
  }

  /** Zeroes every state. */
  public void reset() {
    if (d != null) {
      d.reset();
    } else {
      f.reset();
    }
  }

  /** Makes this state equal to {@code other}, a state of the same layer shape and batch. */
  public void copyFrom(StreamState other) {
    Checks.notNull(other, cfg.name() + ": StreamState.copyFrom", "other");
    if (other.dtype != dtype) {
      throw new IllegalArgumentException(cfg.name() + ": cannot copy a " + other.dtype + " streaming state into a "
          + dtype + " one");
    }
    if (d != null) {
      d.copyFrom(other.d);
    } else {
      f.copyFrom(other.f);
    }
  }

  /** A new state equal to this one. */
  public StreamState copy() {
    StreamState s = new StreamState(cfg, dtype, kernels, batch);
    s.copyFrom(this);
    return s;
  }
}
