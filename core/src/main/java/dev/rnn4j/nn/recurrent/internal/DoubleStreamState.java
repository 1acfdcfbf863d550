package dev.rnn4j.nn.recurrent.internal;

// rnn4j:generate-float

import dev.rnn4j.kernels.DoubleKernels;
import dev.rnn4j.nn.recurrent.RecurrentConfig;

/**
 * The caller-owned float64 state of a unidirectional recurrent stack run one time step at a time (streaming
 * inference): the hidden (and LSTM cell) state of every layer plus all scratch space, allocated once here, so that
 * {@link #step} allocates nothing. Each step does exactly the arithmetic of one step of the whole-sequence forward
 * pass (same kernels, same order), so stepping through a sequence gives the whole-sequence outputs.
 *
 * <p>Not thread-safe; one state per concurrent stream.
 */
public final class DoubleStreamState {

  private final RecurrentConfig cfg;
  private final int batch;
  private final DoubleKernels k;
  private final DoubleRecurrentEngine[] engines;
  private final DoubleStreamingStep[] steppers;
  private final DoubleEngineWeights[] weights;
  private final double[][] h;
  private final double[][] hNext;
  private final double[][] c;
  // Whole-sequence scratch of steps(): the input projections of all steps, and two buffers for the outputs of the
  // layers below the top one (layer l + 1 projects all of layer l's outputs before it writes its own). Grown, never
  // shrunk: allocation happens only when a call has more steps than every earlier one.
  private double[] seqGates = new double[0];
  private final double[][] seqOut = {new double[0], new double[0]};

  /**
   * A zero state for {@code batch} streams of the stack {@code cfg}.
   *
   * @throws IllegalArgumentException if the stack is bidirectional (a reverse direction needs the whole sequence)
   *     or {@code batch < 1}
   */
  public DoubleStreamState(DoubleKernels kernels, RecurrentConfig cfg, int batch) {
    if (cfg.bidirectional()) {
      throw new IllegalArgumentException(cfg.name() + ": streaming needs a unidirectional layer; the reverse "
          + "direction of a bidirectional layer needs the whole sequence");
    }
    if (batch < 1) {
      throw new IllegalArgumentException(cfg.name() + ": streaming batch must be >= 1, got " + batch);
    }
    this.cfg = cfg;
    this.batch = batch;
    this.k = kernels;
    int layers = cfg.numLayers();
    int hd = cfg.hiddenSize();
    engines = new DoubleRecurrentEngine[layers];
    steppers = new DoubleStreamingStep[layers];
    weights = new DoubleEngineWeights[layers];
    int sw = cfg.stateSize();
    h = new double[layers][batch * sw];
    hNext = new double[layers][batch * sw];
    c = new double[layers][cfg.kind().hasCellState() ? batch * hd : 0];
    int extras = CellVariant.of(cfg).extraParameters(cfg).size();
    for (int l = 0; l < layers; l++) {
      engines[l] = new DoubleRecurrentEngine(DoubleCell.create(kernels, cfg, l));
      steppers[l] = new DoubleStreamingStep(engines[l], batch);
      weights[l] = new DoubleEngineWeights(cfg.gateWidth(), extras);
    }
  }

  /** The configuration this state belongs to. */
  public RecurrentConfig config() {
    return cfg;
  }

  /** The number of streams. */
  public int batch() {
    return batch;
  }

  /** The weight holder of layer l; point it at the parameters before stepping. */
  public DoubleEngineWeights weights(int layer) {
    return weights[layer];
  }

  /**
   * Packs the step matrices of layer l from the arrays its weight holder points at now (new storage; see
   * {@link DoubleRecurrentEngine#packStep}).
   */
  public DoubleRecurrentEngine.PackedStep pack(int layer) {
    return engines[layer].packStep(weights[layer], null);
  }

  /**
   * Makes layer l's steps multiply with {@code packed}, which must have been packed from the current contents of the
   * arrays its weight holder points at (see {@link DoubleEngineWeights#usePacked}).
   */
  public void usePacked(int layer, DoubleRecurrentEngine.PackedStep packed) {
    weights[layer].usePacked(packed);
  }

  /** Zeroes every state. */
  public void reset() {
    for (int l = 0; l < h.length; l++) {
      k.fill(h[l].length, 0, h[l], 0);
      k.fill(c[l].length, 0, c[l], 0);
    }
  }

  /** Makes this state equal to {@code other} (same configuration and batch). */
  public void copyFrom(DoubleStreamState other) {
    if (other.cfg.numLayers() != cfg.numLayers() || other.batch != batch
        || other.cfg.hiddenSize() != cfg.hiddenSize() || other.cfg.kind() != cfg.kind()
        || CellVariant.of(other.cfg) != CellVariant.of(cfg) || other.cfg.stateSize() != cfg.stateSize()) {
      throw new IllegalArgumentException(cfg.name() + ": cannot copy a streaming state of " + other.cfg.numLayers()
          + " layers, batch " + other.batch + ", hidden " + other.cfg.hiddenSize() + " into one of "
          + cfg.numLayers() + " layers, batch " + batch + ", hidden " + cfg.hiddenSize());
    }
    for (int l = 0; l < h.length; l++) {
      k.copy(h[l].length, other.h[l], 0, h[l], 0);
      k.copy(c[l].length, other.c[l], 0, c[l], 0);
    }
  }

  /** Hidden state of layer l, [batch, H] ([batch, P] with a projection); live view, valid until the next step. */
  public double[] hidden(int layer) {
    return h[layer];
  }

  /** The other buffer of layer l's hidden state (the one the next step writes). */
  public double[] spare(int layer) {
    return hNext[layer];
  }

  /** Cell state of layer l (LSTM), [batch, H]; live view. */
  public double[] cell(int layer) {
    return c[layer];
  }

  /**
   * One time step of every layer for input row block {@code x[xOff, xOff + batch * I)}; returns the top layer's new
   * hidden state ([batch, H], or [batch, P] with a projection; a live view valid until the next step). Allocates
   * nothing.
   */
  public double[] step(double[] x, int xOff) {
    double[] in = x;
    int inOff = xOff;
    for (int l = 0; l < engines.length; l++) {
      steppers[l].step(batch, in, inOff, weights[l], h[l], hNext[l], c[l]);
      double[] t = h[l];
      h[l] = hNext[l];
      hNext[l] = t;
      in = h[l];
      inOff = 0;
    }
    return h[engines.length - 1];
  }

  /**
   * {@code steps} time steps of every layer for the time-major input rows {@code x[xOff, xOff + steps * batch * I)},
   * writing the top layer's state after every step into {@code out[outOff, outOff + steps * batch * state)}: the bits
   * of {@code steps} calls of {@link #step}, with each layer's input projections done in one product. Continues from
   * the current states and leaves the last ones in this state. Allocates only to grow its scratch for more steps than
   * any earlier call.
   */
  public void steps(double[] x, int xOff, int steps, double[] out, int outOff) {
    int layers = engines.length;
    int sw = cfg.stateSize();
    int rows = steps * batch;
    if (seqGates.length < rows * cfg.gateWidth()) {
      seqGates = new double[rows * cfg.gateWidth()];
    }
    if (layers > 1 && seqOut[0].length < rows * sw) {
      seqOut[0] = new double[rows * sw];
      seqOut[1] = new double[rows * sw];
    }
    double[] in = x;
    int inOff = xOff;
    for (int l = 0; l < layers; l++) {
      boolean top = l == layers - 1;
      double[] o = top ? out : seqOut[l & 1];
      int oOff = top ? outOff : 0;
      steppers[l].steps(steps, batch, in, inOff, weights[l], h[l], 0, o, oOff, c[l], seqGates);
      k.copy(batch * sw, o, oOff + (steps - 1) * batch * sw, h[l], 0);
      in = o;
      inOff = oOff;
    }
  }
}
