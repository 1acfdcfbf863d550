package dev.rnn4j.nn.recurrent;

import dev.rnn4j.autograd.Ops;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.nn.recurrent.internal.DoubleStackRunner;
import dev.rnn4j.nn.recurrent.internal.FaultyDoubleCell;
import dev.rnn4j.nn.recurrent.internal.FaultyFloatCell;
import dev.rnn4j.nn.recurrent.internal.FloatStackRunner;
import dev.rnn4j.nn.recurrent.internal.RunnerPool;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a {@link RecurrentCase} through the public layer API (fused node) or through the composed reference
 * ({@link ComposedStack}), with the loss {@code L = sum dOut * out + sum dhN * h_n + sum dcN * c_n}, and collects
 * outputs and gradients in float64 arrays.
 */
final class LayerHarness {

  private LayerHarness() {}

  static RecurrentOptions options(RecurrentCase c, DType dtype) {
    RecurrentConfig cfg = c.cfg;
    return new RecurrentOptions(cfg.inputSize(), cfg.hiddenSize()).numLayers(cfg.numLayers()).bias(cfg.bias())
        .batchFirst(cfg.batchFirst()).bidirectional(cfg.bidirectional()).merge(cfg.merge()).dtype(dtype)
        .nonlinearity(cfg.kind() == CellKind.RNN_RELU ? RecurrentOptions.Nonlinearity.RELU
            : RecurrentOptions.Nonlinearity.TANH)
        .resetAfter(cfg.kind() != CellKind.GRU_RESET_BEFORE).projSize(cfg.projSize())
        .peephole(cfg.peephole());
  }

  /** The layer of the case's cell kind, with the case's weights. */
  static RecurrentLayer layer(RecurrentCase c, DType dtype) {
    RecurrentOptions o = options(c, dtype);
    RecurrentLayer layer = switch (c.cfg.kind()) {
      case LSTM -> new LSTM(o);
      case GRU, GRU_RESET_BEFORE -> new GRU(o);
      case RNN_TANH, RNN_RELU -> new RNN(o);
    };
    int dirs = c.cfg.directions();
    for (int l = 0; l < c.cfg.numLayers(); l++) {
      for (int d = 0; d < dirs; d++) {
        int i = l * dirs + d;
        load(layer.parameter("weight_ih", l, d), c.wih[i]);
        load(layer.parameter("weight_hh", l, d), c.whh[i]);
        if (c.cfg.bias()) {
          load(layer.parameter("bias_ih", l, d), c.bih[i]);
          load(layer.parameter("bias_hh", l, d), c.bhh[i]);
        }
        if (c.whr != null) {
          load(layer.parameter("weight_hr", l, d), c.whr[i]);
        }
        if (c.peep != null) {
          load(layer.parameter("weight_peephole", l, d), c.peep[i]);
        }
      }
    }
    layer.eval();
    return layer;
  }

  static void load(Tensor t, double[] values) {
    for (int i = 0; i < values.length; i++) {
      t.setFlat(i, values[i]);
    }
  }

  static Tensor tensor(double[] values, DType dtype, int... shape) {
    if (values == null) {
      return null;
    }
    Tensor t = Tensor.zeros(dtype, shape);
    load(t, values);
    return t.requiresGrad(true);
  }

  static double[] values(Tensor t) {
    return t == null ? null : t.toDoubleArray();
  }

  static int[] inputShape(RecurrentCase c) {
    int in = c.cfg.inputSize();
    return c.cfg.batchFirst() ? new int[] {c.batch, c.steps, in} : new int[] {c.steps, c.batch, in};
  }

  /** The shape of h0 and h_n: [L*D, B, H], or [L*D, B, P] with a projection. */
  static int[] stateShape(RecurrentCase c) {
    return new int[] {c.cfg.numLayers() * c.cfg.directions(), c.batch, c.cfg.stateSize()};
  }

  /** The shape of c0 and c_n: [L*D, B, H]. */
  static int[] cellStateShape(RecurrentCase c) {
    return new int[] {c.cfg.numLayers() * c.cfg.directions(), c.batch, c.cfg.hiddenSize()};
  }

  /** Fused layer forward and backward on {@code kernels}, with a fault added to its cells. */
  static RunnerResult fused(RecurrentCase c, DType dtype, Kernels kernels, CellFault fault) {
    RecurrentLayer layer = layer(c, dtype);
    RecurrentConfig cfg = layer.config();
    layer.useRunners(
        new RunnerPool<>(RecurrentLayer.IDLE_RUNNERS, k -> new DoubleStackRunner(k, cfg, FaultyDoubleCell.with(fault))),
        new RunnerPool<>(RecurrentLayer.IDLE_RUNNERS, k -> new FloatStackRunner(k, cfg, FaultyFloatCell.with(fault))));
    return run(c, dtype, kernels, layer, (x, h0, c0) -> layer.forward(x, h0, c0, c.lengths));
  }

  /** The composed reference's forward and backward (primitive ops, one sequence at a time). */
  static RunnerResult composed(RecurrentCase c, DType dtype, Kernels kernels) {
    RecurrentLayer layer = layer(c, dtype);
    return run(c, dtype, kernels, layer, (x, h0, c0) -> ComposedStack.forward(layer, x, h0, c0, c.lengths));
  }

  interface Forward {
    RecurrentOutput apply(Tensor x, Tensor h0, Tensor c0);
  }

  @SuppressWarnings("try") // the kernel scope is used for its effect
  private static RunnerResult run(RecurrentCase c, DType dtype, Kernels kernels, RecurrentLayer layer, Forward f) {
    Tensor x = tensor(c.x, dtype, inputShape(c));
    Tensor h0 = tensor(c.h0, dtype, stateShape(c));
    Tensor c0 = tensor(c.c0, dtype, cellStateShape(c));
    RunnerResult r = new RunnerResult();
    try (KernelScope s = KernelScope.use(kernels)) {
      RecurrentOutput out = f.apply(x, h0, c0);
      Tensor loss = Ops.sum(out.output().mul(tensor(c.dOut, dtype, out.output().shape()).detach()))
          .add(Ops.sum(out.hN().mul(tensor(c.dhN, dtype, out.hN().shape()).detach())));
      if (out.cN() != null) {
        loss = loss.add(Ops.sum(out.cN().mul(tensor(c.dcN, dtype, out.cN().shape()).detach())));
      }
      loss.backward();
      r.out = values(out.output());
      r.hN = values(out.hN());
      r.cN = values(out.cN());
    }
    collectGradients(c, layer, values(x.grad()), h0, c0, r);
    return r;
  }

  /**
   * Fills {@code r}'s gradients after a backward pass: {@code dx} as given, those of h0 and c0 (zeros where the case
   * has none) and of every parameter of {@code layer}, in the order of {@link RunnerResult#gradients}.
   */
  static void collectGradients(RecurrentCase c, RecurrentLayer layer, double[] dx, Tensor h0, Tensor c0,
                               RunnerResult r) {
    r.dx = dx;
    int states = c.cfg.numLayers() * c.cfg.directions() * c.batch;
    r.dh0 = h0 == null ? new double[states * c.cfg.stateSize()] : grad(h0);
    r.dc0 = !c.cfg.kind().hasCellState() ? null
        : c0 == null ? new double[states * c.cfg.hiddenSize()] : grad(c0);
    int n = c.cfg.numLayers() * c.cfg.directions();
    r.dWih = new double[n][];
    r.dWhh = new double[n][];
    r.dbih = new double[n][];
    r.dbhh = new double[n][];
    r.dWhr = c.whr == null ? null : new double[n][];
    r.dPeep = c.peep == null ? null : new double[n][];
    for (int l = 0; l < c.cfg.numLayers(); l++) {
      for (int d = 0; d < c.cfg.directions(); d++) {
        int i = l * c.cfg.directions() + d;
        r.dWih[i] = grad(layer.parameter("weight_ih", l, d));
        r.dWhh[i] = grad(layer.parameter("weight_hh", l, d));
        if (c.cfg.bias()) {
          r.dbih[i] = grad(layer.parameter("bias_ih", l, d));
          r.dbhh[i] = grad(layer.parameter("bias_hh", l, d));
        }
        if (r.dWhr != null) {
          r.dWhr[i] = grad(layer.parameter("weight_hr", l, d));
        }
        if (r.dPeep != null) {
          r.dPeep[i] = grad(layer.parameter("weight_peephole", l, d));
        }
      }
    }
  }

  private static double[] grad(Tensor p) {
    Tensor g = p.grad();
    return g == null ? new double[p.numel()] : g.toDoubleArray();
  }

  /** All parameter tensors of a layer in the fused node's input order. */
  static List<Tensor> parameters(RecurrentLayer layer) {
    return new ArrayList<>(layer.directParameters().values());
  }
}
