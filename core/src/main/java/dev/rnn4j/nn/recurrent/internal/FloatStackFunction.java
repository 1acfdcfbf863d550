package dev.rnn4j.nn.recurrent.internal;

// Generated from DoubleStackFunction.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

import dev.rnn4j.autograd.Function;
import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.nn.recurrent.RecurrentConfig;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Tensor;
import java.util.List;

/**
 * A whole float32 recurrent stack over a sequence as ONE autograd node with a hand-written backward
 * ({@link FloatStackRunner}). Inputs: x, then per layer-direction
 * {@code weight_ih, weight_hh[, bias_ih, bias_hh]} and the cell's further parameters ({@link CellVariant#extraParameters},
 * e.g. an LSTM's {@code weight_hr}),
 * then h0 if given, then c0 if given. Outputs: output, h_n and (LSTM) c_n.
 *
 * <p>The runner, which holds the saved trace, is taken from the layer's {@link RunnerPool} in {@link #forward} and
 * given back in {@link #releaseSaved}: right after forward when nothing records (no-grad, or no input requires a
 * gradient), else when the graph is freed after a backward pass without {@code retainGraph}. A node whose graph is
 * dropped without a backward pass never gives its runner back; the garbage collector reclaims both.
 */
public final class FloatStackFunction extends Function {

  private final RecurrentConfig cfg;
  private final FloatKernels k;
  private final int[] lengths;
  private final boolean hasH0;
  private final boolean hasC0;
  private final boolean training;
  private final long dropoutSeed;
  private final RunnerPool<FloatKernels, FloatStackRunner> runners;
  private final List<CellParameter> extras;
  private final PackedWeightSource packs;
  private FloatStackRunner runner;
  private int[] xShape;
  private int steps;
  private int batch;

  /** A node whose forward pass packs the weights itself. */
  public FloatStackFunction(RecurrentConfig cfg, FloatKernels k, int[] lengths, boolean hasH0, boolean hasC0,
                      boolean training, long dropoutSeed, RunnerPool<FloatKernels, FloatStackRunner> runners) {
    this(cfg, k, lengths, hasH0, hasC0, training, dropoutSeed, runners, null);
  }

  /**
   * A node whose forward pass multiplies with the packed weights {@code packs} gives for the weight tensors of its
   * inputs (packed on {@code k}; null: it packs them itself).
   */
  public FloatStackFunction(RecurrentConfig cfg, FloatKernels k, int[] lengths, boolean hasH0, boolean hasC0,
                      boolean training, long dropoutSeed, RunnerPool<FloatKernels, FloatStackRunner> runners,
                      PackedWeightSource packs) {
    this.packs = packs;
    this.cfg = cfg;
    this.k = k;
    this.lengths = lengths;
    this.hasH0 = hasH0;
    this.hasC0 = hasC0;
    this.training = training;
    this.dropoutSeed = dropoutSeed;
    this.runners = runners;
    this.extras = CellVariant.of(cfg).extraParameters(cfg);
  }

  @Override
  public String name() {
    return cfg.name();
  }

  private int paramsPerDirection() {
    return (cfg.bias() ? 4 : 2) + extras.size();
  }

  private int firstState() {
    return 1 + cfg.numLayers() * cfg.directions() * paramsPerDirection();
  }

  private static float[] data(Tensor t) {
    return t.floatData();
  }

  @Override
  protected Tensor[] forward(Tensor... in) {
    Tensor x = in[0];
    xShape = x.shape();
    steps = cfg.batchFirst() ? xShape[1] : xShape[0];
    batch = cfg.batchFirst() ? xShape[0] : xShape[1];
    runner = runners.take(k);
    int p = 1;
    for (int l = 0; l < cfg.numLayers(); l++) {
      for (int d = 0; d < cfg.directions(); d++) {
        Tensor wih = in[p++];
        Tensor whh = in[p++];
        Tensor bih = cfg.bias() ? in[p++] : null;
        Tensor bhh = cfg.bias() ? in[p++] : null;
        runner.weights(l, d).set(data(wih), wih.offset(), data(whh), whh.offset(),
            bih == null ? null : data(bih), bih == null ? 0 : bih.offset(),
            bhh == null ? null : data(bhh), bhh == null ? 0 : bhh.offset());
        for (int j = 0; j < extras.size(); j++) {
          Tensor e = in[p++];
          runner.weights(l, d).extra(j, data(e), e.offset());
        }
      }
    }
    if (packs != null) {
      FloatStackRunner r = runner;
      Object[] packed = packs.packed(k, r::pack);
      for (int i = 0; packed != null && i < packed.length; i++) {
        r.weights(i / cfg.directions(), i % cfg.directions()).usePacked((FloatRecurrentEngine.PackedStep) packed[i]);
      }
    }
    Tensor h0 = hasH0 ? in[firstState()] : null;
    Tensor c0 = hasC0 ? in[firstState() + (hasH0 ? 1 : 0)] : null;
    int n = cfg.numLayers() * cfg.directions();
    DType dt = DType.FLOAT32;
    Tensor out = cfg.batchFirst() ? Tensor.zeros(dt, batch, steps, cfg.outputSize())
        : Tensor.zeros(dt, steps, batch, cfg.outputSize());
    Tensor hN = Tensor.zeros(dt, n, batch, cfg.stateSize());
    Tensor cN = cfg.kind().hasCellState() ? Tensor.zeros(dt, n, batch, cfg.hiddenSize()) : null;
    // Without a graph node no backward pass follows: the engine may keep less of the trace (and run faster).
    runner.forwardOnly(!recording());
    runner.forward(data(x), x.offset(), steps, batch, lengths,
        h0 == null ? null : data(h0), h0 == null ? 0 : h0.offset(),
        c0 == null ? null : data(c0), c0 == null ? 0 : c0.offset(), training, dropoutSeed,
        data(out), 0, data(hN), 0, cN == null ? null : data(cN), 0);
    return cN == null ? new Tensor[] {out, hN} : new Tensor[] {out, hN, cN};
  }

  /** The runner reads a missing output gradient as zeros (null), so the engine need not allocate them. */
  @Override
  protected boolean acceptsMissingOutputGradients() {
    return true;
  }

  /** Every gradient {@link #backward} returns is allocated there and referred to by nothing else. */
  @Override
  protected boolean returnsOwnedGradients() {
    return true;
  }

  @Override
  protected Tensor[] backward(Tensor... g) {
    DType dt = DType.FLOAT32;
    Tensor[] grads = new Tensor[firstState() + (hasH0 ? 1 : 0) + (hasC0 ? 1 : 0)];
    int p = 1;
    for (int l = 0; l < cfg.numLayers(); l++) {
      for (int d = 0; d < cfg.directions(); d++) {
        int gw = cfg.gateWidth();
        Tensor dwih = Tensor.zeros(dt, gw, cfg.layerInputSize(l));
        Tensor dwhh = Tensor.zeros(dt, gw, cfg.stateSize());
        Tensor dbih = cfg.bias() ? Tensor.zeros(dt, gw) : null;
        Tensor dbhh = cfg.bias() ? Tensor.zeros(dt, gw) : null;
        runner.gradients(l, d).set(data(dwih), 0, data(dwhh), 0, dbih == null ? null : data(dbih), 0,
            dbhh == null ? null : data(dbhh), 0);
        grads[p++] = dwih;
        grads[p++] = dwhh;
        if (cfg.bias()) {
          grads[p++] = dbih;
          grads[p++] = dbhh;
        }
        for (int j = 0; j < extras.size(); j++) {
          CellParameter e = extras.get(j);
          Tensor de = Tensor.zeros(dt, e.rows(), e.cols());
          runner.gradients(l, d).extra(j, data(de), 0);
          grads[p++] = de;
        }
      }
    }
    Tensor dx = needsInputGrad(0) ? Tensor.zeros(dt, xShape) : null;
    int n = cfg.numLayers() * cfg.directions();
    Tensor dh0 = hasH0 ? Tensor.zeros(dt, n, batch, cfg.stateSize()) : null;
    Tensor dc0 = hasC0 ? Tensor.zeros(dt, n, batch, cfg.hiddenSize()) : null;
    Tensor dOut = g[0];
    Tensor dhN = g[1];
    Tensor dcN = g.length > 2 ? g[2] : null;
    runner.backward(dOut == null ? null : data(dOut), dOut == null ? 0 : dOut.offset(),
        dhN == null ? null : data(dhN), dhN == null ? 0 : dhN.offset(),
        dcN == null ? null : data(dcN), dcN == null ? 0 : dcN.offset(),
        dx == null ? null : data(dx), 0, dh0 == null ? null : data(dh0), 0, dc0 == null ? null : data(dc0), 0,
        lastBackward());
    grads[0] = dx;
    if (hasH0) {
      grads[firstState()] = dh0;
    }
    if (hasC0) {
      grads[firstState() + (hasH0 ? 1 : 0)] = dc0;
    }
    return grads;
  }

  @Override
  protected void releaseSaved() {
    if (runner != null) {
      runner.forgetCallerArrays();
      runners.give(k, runner);
      runner = null;
    }
  }
}
