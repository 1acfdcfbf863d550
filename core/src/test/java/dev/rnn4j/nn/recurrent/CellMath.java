package dev.rnn4j.nn.recurrent;

import dev.rnn4j.tensor.Tensor;

/**
 * One time step of each cell composed from primitive differentiable ops (matmul, add, sigmoid, tanh, relu, mul, sub,
 * narrow): the tests' independent reference. {@link ComposedStack} unrolls it over sequences to check the fused layers,
 * and the single-step cells ({@link RecurrentCell}), which run the fused cell classes, are checked against it directly
 * ({@code RecurrentCellProperties}). It shares no code with the fused path but the primitive ops' kernels. Written to
 * read like PyTorch's documented equations, not for speed.
 */
final class CellMath {

  private CellMath() {}

  /** {@code x W^T + b} for x [B, K], W [G*H, K], b [G*H] or null. */
  private static Tensor linear(Tensor x, Tensor w, Tensor b) {
    Tensor y = x.matmul(w.transpose());
    return b == null ? y : y.add(b);
  }

  private static Tensor gate(Tensor t, int index, int hidden) {
    return t.narrow(1, index * hidden, hidden);
  }

  /**
   * One step: returns {h', c'} (c' null except for the LSTM).
   *
   * @param x [B, I]
   * @param h [B, H]
   * @param c [B, H] for the LSTM, else ignored
   */
  static Tensor[] step(CellKind kind, Tensor x, Tensor h, Tensor c, Tensor wih, Tensor whh, Tensor bih, Tensor bhh) {
    int hd = whh.size(0) / kind.gates(); // H (whh is [G*H, H], or [4H, P] for an LSTM with a projection)
    switch (kind) {
      case RNN_TANH, RNN_RELU -> {
        Tensor a = linear(x, wih, bih).add(linear(h, whh, bhh));
        return new Tensor[] {kind == CellKind.RNN_TANH ? a.tanh() : a.relu(), null};
      }
      case LSTM -> {
        Tensor gates = linear(x, wih, bih).add(linear(h, whh, bhh));
        Tensor i = gate(gates, 0, hd).sigmoid();
        Tensor f = gate(gates, 1, hd).sigmoid();
        Tensor g = gate(gates, 2, hd).tanh();
        Tensor o = gate(gates, 3, hd).sigmoid();
        Tensor cNew = f.mul(c).add(i.mul(g));
        return new Tensor[] {o.mul(cNew.tanh()), cNew};
      }
      case GRU -> {
        Tensor gi = linear(x, wih, bih);
        Tensor gh = linear(h, whh, bhh);
        Tensor r = gate(gi, 0, hd).add(gate(gh, 0, hd)).sigmoid();
        Tensor z = gate(gi, 1, hd).add(gate(gh, 1, hd)).sigmoid();
        Tensor n = gate(gi, 2, hd).add(r.mul(gate(gh, 2, hd))).tanh();
        return new Tensor[] {interpolate(z, n, h), null};
      }
      case GRU_RESET_BEFORE -> {
        Tensor gi = linear(x, wih, bih);
        Tensor whrz = whh.narrow(0, 0, 2 * hd);
        Tensor whn = whh.narrow(0, 2 * hd, hd);
        Tensor ghrz = linear(h, whrz, bhh == null ? null : bhh.narrow(0, 0, 2 * hd));
        Tensor r = gate(gi, 0, hd).add(gate(ghrz, 0, hd)).sigmoid();
        Tensor z = gate(gi, 1, hd).add(gate(ghrz, 1, hd)).sigmoid();
        Tensor n = gate(gi, 2, hd).add(linear(r.mul(h), whn, bhh == null ? null : bhh.narrow(0, 2 * hd, hd))).tanh();
        return new Tensor[] {interpolate(z, n, h), null};
      }
      default -> throw new AssertionError(kind);
    }
  }

  /** {@code (1 - z) * n + z * h}, written as {@code n + z * (h - n)}. */
  private static Tensor interpolate(Tensor z, Tensor n, Tensor h) {
    return n.add(z.mul(h.sub(n)));
  }
}
