package dev.rnn4j.nn.recurrent;

import dev.rnn4j.nn.Module;
import dev.rnn4j.tensor.Checks;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Shapes;
import dev.rnn4j.tensor.Tensor;
import java.util.SplittableRandom;

/**
 * A single time step of a recurrent cell, differentiable, built from primitive autograd ops: input and state in, new
 * state out. Parameters as PyTorch's cells ({@code nn.LSTMCell} etc.): {@code weight_ih} [G*H, I],
 * {@code weight_hh} [G*H, H], {@code bias_ih} [G*H], {@code bias_hh} [G*H], initialised U(-1/sqrt(H), 1/sqrt(H)) in
 * that order from a {@link SplittableRandom} with the options' seed. Options other than sizes, bias, dtype, seed,
 * the RNN nonlinearity and the GRU reset variant do not apply to cells.
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
   * One step.
   *
   * @param x [B, I]
   * @param state h [B, H] (and c [B, H] for the LSTM); null for zeros
   * @return the new state
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
    CellState s = state == null ? zeroState(batch) : state;
    check("h", s.h(), batch);
    if (kind.hasCellState()) {
      check("c", s.c(), batch);
    } else if (s.c() != null) {
      throw new IllegalArgumentException(name + ": c: only an LSTM cell has a cell state, got "
          + Shapes.format(s.c().shape()));
    }
    Tensor[] next = CellMath.step(kind, x, s.h(), s.c(), wih, whh, bih, bhh);
    return new CellState(next[0], next[1]);
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
