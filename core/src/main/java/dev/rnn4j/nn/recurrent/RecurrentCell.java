package dev.rnn4j.nn.recurrent;

import dev.rnn4j.kernels.DoubleKernels;
import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.nn.Module;
import dev.rnn4j.nn.recurrent.internal.DoubleStackFunction;
import dev.rnn4j.nn.recurrent.internal.DoubleStackRunner;
import dev.rnn4j.nn.recurrent.internal.FloatStackFunction;
import dev.rnn4j.nn.recurrent.internal.FloatStackRunner;
import dev.rnn4j.nn.recurrent.internal.RunnerPool;
import dev.rnn4j.tensor.Checks;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Shapes;
import dev.rnn4j.tensor.Tensor;
import java.util.SplittableRandom;

/**
 * A single time step of a recurrent cell, differentiable: input and state in, new state out. Parameters as PyTorch's
 * cells ({@code nn.LSTMCell} etc.): {@code weight_ih} [G*H, I], {@code weight_hh} [G*H, H], {@code bias_ih} [G*H],
 * {@code bias_hh} [G*H], initialised U(-1/sqrt(H), 1/sqrt(H)) in that order from a {@link SplittableRandom} with the
 * options' seed. Options other than sizes, bias, dtype, seed, the RNN nonlinearity and the GRU reset variant do not
 * apply to cells.
 *
 * <p>A step is computed by the same cell classes and fused kernels as the layers ({@link LSTM}, {@link GRU},
 * {@link RNN}) and their streaming step: it is one autograd node with a hand-written backward, the layers' stack
 * node ({@link DoubleStackFunction}, float32 twin) run over a sequence of one step, one layer, one direction. So a
 * cell's step gives the bits of a one-layer layer with the same weights run over {@code T = 1}, outputs and every
 * gradient (x, h, c, each weight and bias). As for the layers, the weights are read again by the backward pass: do
 * not change them between a step and its backward.
 *
 * <p>The step's trace (gate activations, states) lives in a runner that the call takes from the cell's small pool
 * and gives back when its graph is freed, as the layers do (see {@link RecurrentLayer}, "Memory kept between calls"):
 * steps chained before one backward pass (backpropagation through a loop of steps) each hold their own runner until
 * then, a few arrays of B * G * H elements, about what the composed ops of the same steps would keep.
 */
public abstract class RecurrentCell extends Module {

  private final String name;
  private final CellKind kind;
  private final int inputSize;
  private final int hiddenSize;
  private final DType dtype;
  private final Tensor wih;
  private final Tensor whh;
  private final Tensor bih;
  private final Tensor bhh;
  /** The step as a stack: one layer, one direction, time-major, no dropout; its node runs T = 1. */
  private final RecurrentConfig stepConfig;
  // the runners of this cell's steps, for its dtype (the other one stays empty)
  private RunnerPool<DoubleKernels, DoubleStackRunner> doubleRunners;
  private RunnerPool<FloatKernels, FloatStackRunner> floatRunners;

  RecurrentCell(String name, CellKind kind, RecurrentOptions o) {
    RecurrentOptions.checked(o, name);
    this.name = name;
    this.kind = kind;
    this.inputSize = o.inputSize;
    this.hiddenSize = o.hiddenSize;
    this.dtype = o.dtype;
    if (inputSize < 1 || hiddenSize < 1) {
      throw new IllegalArgumentException(name + ": inputSize and hiddenSize must be >= 1, got " + inputSize + ", "
          + hiddenSize);
    }
    o.checkVariant(name, kind);
    RecurrentConfig.checkArraySizes(name, kind.gates(), inputSize, hiddenSize, 1, hiddenSize);
    SplittableRandom rng = new SplittableRandom(o.seed);
    double bound = 1 / Math.sqrt(hiddenSize);
    int gw = kind.gates() * hiddenSize;
    wih = registerParameter("weight_ih", Tensor.uniform(dtype, rng, -bound, bound, gw, inputSize));
    whh = registerParameter("weight_hh", Tensor.uniform(dtype, rng, -bound, bound, gw, hiddenSize));
    bih = o.bias ? registerParameter("bias_ih", Tensor.uniform(dtype, rng, -bound, bound, gw)) : null;
    bhh = o.bias ? registerParameter("bias_hh", Tensor.uniform(dtype, rng, -bound, bound, gw)) : null;
    stepConfig = new RecurrentConfig(name, kind, inputSize, hiddenSize, 1, o.bias, false, 0, false,
        MergeMode.CONCAT);
    doubleRunners = DoubleStackRunner.pool(stepConfig, RecurrentLayer.IDLE_RUNNERS);
    floatRunners = FloatStackRunner.pool(stepConfig, RecurrentLayer.IDLE_RUNNERS);
  }

  /** The step's shape as a one-layer, one-direction stack (for tests, which build runners of their own for it). */
  final RecurrentConfig stepConfig() {
    return stepConfig;
  }

  /**
   * Makes this cell's steps take their runners from the given pools (for tests, whose runners run decorated cells);
   * call it before the cell's first step.
   */
  final void useRunners(RunnerPool<DoubleKernels, DoubleStackRunner> doubles,
                        RunnerPool<FloatKernels, FloatStackRunner> floats) {
    doubleRunners = doubles;
    floatRunners = floats;
  }

  /** A zero state for a batch of {@code batch}. */
  public final CellState zeroState(int batch) {
    if (batch < 1 || !Checks.fitsArray(batch, hiddenSize)) {
      Checks.positive(batch, name + ".zeroState", "batch");
      throw Checks.tooLarge(name + ".zeroState", "batch " + batch, "the state", batch, hiddenSize);
    }
    return new CellState(Tensor.zeros(dtype, batch, hiddenSize),
        kind.hasCellState() ? Tensor.zeros(dtype, batch, hiddenSize) : null);
  }

  /**
   * One step: the new state {@code h} [B, H] (and for the LSTM {@code c} [B, H]), differentiable with respect to x,
   * the given state and every parameter.
   *
   * @param x [B, I], the cell's dtype
   * @param state h [B, H] (and c [B, H] for the LSTM), the cell's dtype; null for zeros
   * @return the new state (new tensors)
   * @throws IllegalArgumentException naming the cell and the argument, for a wrong shape or dtype, a cell state given
   *     to a cell without one, or a batch whose gate rows [B, G*H] would not fit an array
   */
  public final CellState forward(Tensor x, CellState state) {
    if (x == null || x.rank() != 2 || x.size(1) != inputSize) {
      throw new IllegalArgumentException(name + ": input: expected [B, " + inputSize + "], got "
          + (x == null ? "null" : Shapes.format(x.shape())));
    }
    if (x.dtype() != dtype) {
      throw new IllegalArgumentException(name + ": input: dtype " + x.dtype() + " differs from the cell's " + dtype);
    }
    int batch = x.size(0);
    if (batch < 1) {
      throw new IllegalArgumentException(name + ": input: needs at least one row, got " + Shapes.format(x.shape()));
    }
    if (state != null) {
      check("h", state.h(), batch);
      if (kind.hasCellState()) {
        check("c", state.c(), batch);
      } else if (state.c() != null) {
        throw new IllegalArgumentException(name + ": c: only an LSTM cell has a cell state, got "
            + Shapes.format(state.c().shape()));
      }
    }
    if (!Checks.fitsArray(batch, stepConfig.gateWidth())) {
      throw Checks.tooLarge(name, "input " + Shapes.format(x.shape()) + " with hiddenSize " + hiddenSize,
          "the gate rows [B, " + kind.gates() + " * hiddenSize]", batch, stepConfig.gateWidth());
    }
    return step(x, state, wih, whh, bih, bhh);
  }

  /**
   * The step of {@link #forward} on checked arguments, with the given parameter tensors in place of the cell's own
   * (tests pass copies of them to differentiate with respect to them); the fused stack node over one step.
   */
  final CellState step(Tensor x, CellState state, Tensor wih, Tensor whh, Tensor bih, Tensor bhh) {
    int batch = x.size(0);
    // The node's inputs: x [T = 1, B, I], the parameters in registration order, then h0 and c0 [1, B, H] when given
    // (reshape is a view, and passes the gradient straight through).
    boolean hasH0 = state != null;
    boolean hasC0 = state != null && kind.hasCellState();
    Tensor[] in = new Tensor[(bih == null ? 3 : 5) + (hasH0 ? 1 : 0) + (hasC0 ? 1 : 0)];
    int n = 0;
    in[n++] = x.reshape(1, batch, inputSize);
    in[n++] = wih;
    in[n++] = whh;
    if (bih != null) {
      in[n++] = bih;
      in[n++] = bhh;
    }
    if (hasH0) {
      in[n++] = state.h().reshape(1, batch, hiddenSize);
    }
    if (hasC0) {
      in[n] = state.c().reshape(1, batch, hiddenSize);
    }
    Kernels k = KernelScope.current();
    // Outputs {output [1, B, H], h_n [1, B, H](, c_n)}: over one step the output is h_n. The new state is h_n, so the
    // node gets no output gradient and its backward adds none.
    Tensor[] out = dtype == DType.FLOAT64
        ? new DoubleStackFunction(stepConfig, k.f64(), null, hasH0, hasC0, false, 0, doubleRunners).apply(in)
        : new FloatStackFunction(stepConfig, k.f32(), null, hasH0, hasC0, false, 0, floatRunners).apply(in);
    return new CellState(out[1].reshape(batch, hiddenSize),
        out.length > 2 ? out[2].reshape(batch, hiddenSize) : null);
  }

  private void check(String arg, Tensor t, int batch) {
    if (t == null || t.rank() != 2 || t.size(0) != batch || t.size(1) != hiddenSize) {
      throw new IllegalArgumentException(name + ": " + arg + ": expected [" + batch + ", " + hiddenSize + "], got "
          + (t == null ? "null" : Shapes.format(t.shape())));
    }
    if (t.dtype() != dtype) {
      throw new IllegalArgumentException(name + ": " + arg + ": dtype " + t.dtype() + " differs from the cell's "
          + dtype);
    }
  }
}
