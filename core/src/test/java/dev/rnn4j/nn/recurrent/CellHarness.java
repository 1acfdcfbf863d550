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
import java.util.Map;

/**
 * Runs a one-step {@link RecurrentCase} (T = 1, one layer, one direction, time-major, all rows running) through a
 * single-step cell ({@link RecurrentCell#forward}) or through the composed reference step ({@link CellMath}), with the
 * loss of {@link LayerHarness}: {@code L = sum dOut * h + sum dhN * h + sum dcN * c} (over one step the layer's output
 * is its final state, so the two first terms are the layer's two). The results fill a {@link RunnerResult} laid out as
 * the layer's ({@code out} and {@code hN} both the new h), so the layer's checks apply unchanged.
 */
final class CellHarness {

  private CellHarness() {}

  /** A one-step case of the shape of a cell's step. */
  static RecurrentCase stepCase(CellKind kind, int batch, int inputSize, int hidden, boolean bias,
                                boolean initialStates, long seed) {
    RecurrentConfig cfg = new RecurrentConfig(kind.name(), kind, inputSize, hidden, 1, bias, false, 0, false,
        MergeMode.CONCAT);
    return new RecurrentCase(cfg, 1, batch, null, seed, initialStates);
  }

  /** The cell of the case's kind with the case's weights. */
  static RecurrentCell cell(RecurrentCase c, DType dtype) {
    RecurrentOptions o = LayerHarness.options(c, dtype);
    RecurrentCell cell = switch (c.cfg.kind()) {
      case LSTM -> new LSTMCell(o);
      case GRU, GRU_RESET_BEFORE -> new GRUCell(o);
      case RNN_TANH, RNN_RELU -> new RNNCell(o);
    };
    Map<String, Tensor> p = cell.namedParameters();
    LayerHarness.load(p.get("weight_ih"), c.wih[0]);
    LayerHarness.load(p.get("weight_hh"), c.whh[0]);
    if (c.cfg.bias()) {
      LayerHarness.load(p.get("bias_ih"), c.bih[0]);
      LayerHarness.load(p.get("bias_hh"), c.bhh[0]);
    }
    return cell;
  }

  /** A cell whose steps run on runners of cells with {@code fault} added (none for {@link CellFault#NONE}). */
  static RecurrentCell faultyCell(RecurrentCase c, DType dtype, CellFault fault) {
    RecurrentCell cell = cell(c, dtype);
    RecurrentConfig cfg = cell.stepConfig();
    cell.useRunners(
        new RunnerPool<>(RecurrentLayer.IDLE_RUNNERS, k -> new DoubleStackRunner(k, cfg, FaultyDoubleCell.with(fault))),
        new RunnerPool<>(RecurrentLayer.IDLE_RUNNERS, k -> new FloatStackRunner(k, cfg, FaultyFloatCell.with(fault))));
    return cell;
  }

  /** The cell's step (fault added) forward and backward on {@code kernels}. */
  static RunnerResult step(RecurrentCase c, DType dtype, Kernels kernels, CellFault fault) {
    RecurrentCell cell = faultyCell(c, dtype, fault);
    return run(c, dtype, kernels, cell, cell::forward);
  }

  /** CellMath's composed step forward and backward on {@code kernels}, with the cell's parameters. */
  static RunnerResult composed(RecurrentCase c, DType dtype, Kernels kernels) {
    RecurrentCell cell = cell(c, dtype);
    Map<String, Tensor> p = cell.namedParameters();
    return run(c, dtype, kernels, cell, (x, state) -> {
      CellState s = state == null ? cell.zeroState(c.batch) : state;
      Tensor[] next = CellMath.step(c.cfg.kind(), x, s.h(), s.c(), p.get("weight_ih"), p.get("weight_hh"),
          p.get("bias_ih"), p.get("bias_hh"));
      return new CellState(next[0], next[1]);
    });
  }

  interface Step {
    CellState apply(Tensor x, CellState state);
  }

  @SuppressWarnings("try") // the kernel scope is used for its effect
  private static RunnerResult run(RecurrentCase c, DType dtype, Kernels kernels, RecurrentCell cell, Step f) {
    int in = c.cfg.inputSize();
    int hd = c.cfg.hiddenSize();
    Tensor x = LayerHarness.tensor(c.x, dtype, c.batch, in);
    Tensor h0 = LayerHarness.tensor(c.h0, dtype, c.batch, hd);
    Tensor c0 = LayerHarness.tensor(c.c0, dtype, c.batch, hd);
    RunnerResult r = new RunnerResult();
    try (KernelScope s = KernelScope.use(kernels)) {
      CellState next = f.apply(x, h0 == null ? null : new CellState(h0, c0));
      Tensor loss = Ops.sum(next.h().mul(LayerHarness.tensor(c.dOut, dtype, c.batch, hd).detach()))
          .add(Ops.sum(next.h().mul(LayerHarness.tensor(c.dhN, dtype, c.batch, hd).detach())));
      if (next.c() != null) {
        loss = loss.add(Ops.sum(next.c().mul(LayerHarness.tensor(c.dcN, dtype, c.batch, hd).detach())));
      }
      loss.backward();
      r.out = LayerHarness.values(next.h());
      r.hN = r.out;
      r.cN = LayerHarness.values(next.c());
    }
    r.dx = LayerHarness.values(x.grad());
    r.dh0 = h0 == null ? new double[c.batch * hd] : LayerHarness.values(h0.grad());
    r.dc0 = !c.cfg.kind().hasCellState() ? null : c0 == null ? new double[c.batch * hd] : LayerHarness.values(c0.grad());
    Map<String, Tensor> p = cell.namedParameters();
    r.dWih = new double[][] {grad(p.get("weight_ih"))};
    r.dWhh = new double[][] {grad(p.get("weight_hh"))};
    r.dbih = new double[][] {c.cfg.bias() ? grad(p.get("bias_ih")) : null};
    r.dbhh = new double[][] {c.cfg.bias() ? grad(p.get("bias_hh")) : null};
    return r;
  }

  private static double[] grad(Tensor p) {
    Tensor g = p.grad();
    return g == null ? new double[p.numel()] : g.toDoubleArray();
  }
}
