package dev.rnn4j.nn.recurrent;

import dev.rnn4j.autograd.Ops;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The magnitude twin of the composed reference: {@link ComposedStack} and {@link CellMath}'s steps, op for op, on
 * {@link PathMagnitude}s (float64). Backward of the loss {@code sum |dOut| out' + sum |dhN| h_n' + sum |dcN| c_n'}
 * gives every leaf (the input, each parameter, h0, c0) the sum over all paths from it to the loss of the absolute
 * products of the local derivatives: the sum a first-order bound of the gradient's rounding error is proportional
 * to ({@link RecurrentLayerProperties#gradientTolerance}). It is at least |gradient| elementwise (the triangle
 * inequality), equal where the paths do not cancel.
 */
final class MagnitudeStack {

  private MagnitudeStack() {}

  /**
   * The magnitudes of every gradient of {@link LayerHarness}'s loss, laid out as its {@link RunnerResult} (zeros for
   * an absent h0 or c0), in float64 on {@code kernels}. Applies to a single-step cell's case too (T = 1, one layer,
   * one direction): over one step the layer's loss is the cell harness's.
   */
  @SuppressWarnings("try") // the kernel scope is used for its effect
  static RunnerResult gradients(RecurrentCase c, Kernels kernels) {
    DType f64 = DType.FLOAT64;
    RecurrentLayer layer = LayerHarness.layer(c, f64);
    Tensor x = LayerHarness.tensor(c.x, f64, LayerHarness.inputShape(c));
    Tensor h0 = LayerHarness.tensor(c.h0, f64, LayerHarness.stateShape(c));
    Tensor c0 = LayerHarness.tensor(c.c0, f64, LayerHarness.cellStateShape(c));
    try (KernelScope s = KernelScope.use(kernels)) {
      PathMagnitude[] out = forward(layer, PathMagnitude.leaf(x), h0 == null ? null : PathMagnitude.leaf(h0),
          c0 == null ? null : PathMagnitude.leaf(c0), c.lengths);
      Tensor loss = Ops.sum(out[0].linear().mul(absTensor(c.dOut, out[0].value().shape())))
          .add(Ops.sum(out[1].linear().mul(absTensor(c.dhN, out[1].value().shape()))));
      if (out[2] != null) {
        loss = loss.add(Ops.sum(out[2].linear().mul(absTensor(c.dcN, out[2].value().shape()))));
      }
      loss.backward();
    }
    RunnerResult r = new RunnerResult();
    LayerHarness.collectGradients(c, layer, grad(x), h0, c0, r);
    return r;
  }

  private static Tensor absTensor(double[] values, int[] shape) {
    return PathMagnitude.abs(Tensor.fromArray(values, shape));
  }

  private static double[] grad(Tensor t) {
    Tensor g = t.grad();
    return g == null ? new double[t.numel()] : g.toDoubleArray();
  }

  /** {@link ComposedStack#forward} on magnitudes: returns {output, h_n, c_n (null but for the LSTM)}. */
  static PathMagnitude[] forward(RecurrentLayer layer, PathMagnitude input, PathMagnitude h0, PathMagnitude c0,
                                 int[] lengths) {
    RecurrentConfig cfg = layer.config();
    DType dtype = layer.dtype();
    PathMagnitude x = cfg.batchFirst() ? input.transpose(0, 1) : input; // [T, B, I]
    int steps = x.value().size(0);
    int batch = x.value().size(1);
    int dirs = cfg.directions();
    int hd = cfg.hiddenSize();
    int sw = cfg.stateSize();
    int outW = cfg.outputSize();
    PathMagnitude[][] outRows = new PathMagnitude[steps][batch];
    PathMagnitude[][] hN = new PathMagnitude[cfg.numLayers() * dirs][batch];
    PathMagnitude[][] cN = new PathMagnitude[cfg.numLayers() * dirs][batch];
    for (int b = 0; b < batch; b++) {
      int len = lengths == null ? steps : lengths[b];
      List<PathMagnitude> seq = new ArrayList<>();
      for (int t = 0; t < len; t++) {
        seq.add(x.select(t).narrow(0, b, 1)); // [1, I]
      }
      for (int l = 0; l < cfg.numLayers(); l++) {
        PathMagnitude[][] dirOut = new PathMagnitude[dirs][len];
        for (int d = 0; d < dirs; d++) {
          int i = l * dirs + d;
          PathMagnitude h = h0 == null ? zeros(dtype, 1, sw) : h0.select(i).narrow(0, b, 1);
          PathMagnitude c = c0 == null ? zeros(dtype, 1, hd) : c0.select(i).narrow(0, b, 1);
          PathMagnitude wih = parameter(layer, "weight_ih", l, d, true);
          PathMagnitude whh = parameter(layer, "weight_hh", l, d, true);
          PathMagnitude bih = parameter(layer, "bias_ih", l, d, cfg.bias());
          PathMagnitude bhh = parameter(layer, "bias_hh", l, d, cfg.bias());
          PathMagnitude whr = parameter(layer, "weight_hr", l, d, cfg.projSize() > 0);
          PathMagnitude peep = parameter(layer, "weight_peephole", l, d, cfg.peephole());
          for (int s = 0; s < len; s++) {
            int t = d == 0 ? s : len - 1 - s;
            PathMagnitude[] next = peep != null ? peepholeStep(seq.get(t), h, c, wih, whh, bih, bhh, peep)
                : step(cfg.kind(), seq.get(t), h, c, wih, whh, bih, bhh);
            h = whr == null ? next[0] : next[0].matmulTransposed(whr);
            c = next[1] == null ? c : next[1];
            dirOut[d][t] = h;
          }
          hN[i][b] = h;
          cN[i][b] = c;
        }
        List<PathMagnitude> next = new ArrayList<>();
        for (int t = 0; t < len; t++) {
          if (dirs == 1) {
            next.add(dirOut[0][t]);
          } else if (cfg.merge() == MergeMode.CONCAT) {
            next.add(PathMagnitude.concat(1, dirOut[0][t], dirOut[1][t]));
          } else {
            next.add(dirOut[0][t].add(dirOut[1][t]));
          }
        }
        seq = next;
      }
      for (int t = 0; t < steps; t++) {
        outRows[t][b] = t < len ? seq.get(t) : zeros(dtype, 1, outW);
      }
    }
    PathMagnitude[] perStep = new PathMagnitude[steps];
    for (int t = 0; t < steps; t++) {
      perStep[t] = PathMagnitude.concat(0, outRows[t]);
    }
    PathMagnitude out = PathMagnitude.stack(0, perStep); // [T, B, outW]
    if (cfg.batchFirst()) {
      out = out.transpose(0, 1);
    }
    PathMagnitude[] hs = new PathMagnitude[hN.length];
    PathMagnitude[] cs = new PathMagnitude[hN.length];
    for (int i = 0; i < hN.length; i++) {
      hs[i] = PathMagnitude.concat(0, hN[i]);
      cs[i] = PathMagnitude.concat(0, cN[i]);
    }
    return new PathMagnitude[] {out, PathMagnitude.stack(0, hs),
        cfg.kind().hasCellState() ? PathMagnitude.stack(0, cs) : null};
  }

  private static PathMagnitude zeros(DType dtype, int... shape) {
    return PathMagnitude.constant(Tensor.zeros(dtype, shape));
  }

  private static PathMagnitude parameter(RecurrentLayer layer, String name, int l, int d, boolean present) {
    return present ? PathMagnitude.leaf(layer.parameter(name, l, d)) : null;
  }

  /** {@code x W^T + b} ({@link CellMath}'s linear). */
  private static PathMagnitude linear(PathMagnitude x, PathMagnitude w, PathMagnitude b) {
    PathMagnitude y = x.matmulTransposed(w);
    return b == null ? y : y.add(b);
  }

  private static PathMagnitude gate(PathMagnitude t, int index, int hidden) {
    return t.narrow(1, index * hidden, hidden);
  }

  /** {@link CellMath#step} on magnitudes: returns {h', c'} (c' null except for the LSTM). */
  static PathMagnitude[] step(CellKind kind, PathMagnitude x, PathMagnitude h, PathMagnitude c, PathMagnitude wih,
                              PathMagnitude whh, PathMagnitude bih, PathMagnitude bhh) {
    int hd = whh.value().size(0) / kind.gates();
    switch (kind) {
      case RNN_TANH, RNN_RELU -> {
        PathMagnitude a = linear(x, wih, bih).add(linear(h, whh, bhh));
        return new PathMagnitude[] {kind == CellKind.RNN_TANH ? a.tanh() : a.relu(), null};
      }
      case LSTM -> {
        PathMagnitude gates = linear(x, wih, bih).add(linear(h, whh, bhh));
        PathMagnitude i = gate(gates, 0, hd).sigmoid();
        PathMagnitude f = gate(gates, 1, hd).sigmoid();
        PathMagnitude g = gate(gates, 2, hd).tanh();
        PathMagnitude o = gate(gates, 3, hd).sigmoid();
        PathMagnitude cNew = f.mul(c).add(i.mul(g));
        return new PathMagnitude[] {o.mul(cNew.tanh()), cNew};
      }
      case GRU -> {
        PathMagnitude gi = linear(x, wih, bih);
        PathMagnitude gh = linear(h, whh, bhh);
        PathMagnitude r = gate(gi, 0, hd).add(gate(gh, 0, hd)).sigmoid();
        PathMagnitude z = gate(gi, 1, hd).add(gate(gh, 1, hd)).sigmoid();
        PathMagnitude n = gate(gi, 2, hd).add(r.mul(gate(gh, 2, hd))).tanh();
        return new PathMagnitude[] {interpolate(z, n, h), null};
      }
      case GRU_RESET_BEFORE -> {
        PathMagnitude gi = linear(x, wih, bih);
        PathMagnitude whrz = whh.narrow(0, 0, 2 * hd);
        PathMagnitude whn = whh.narrow(0, 2 * hd, hd);
        PathMagnitude ghrz = linear(h, whrz, bhh == null ? null : bhh.narrow(0, 0, 2 * hd));
        PathMagnitude r = gate(gi, 0, hd).add(gate(ghrz, 0, hd)).sigmoid();
        PathMagnitude z = gate(gi, 1, hd).add(gate(ghrz, 1, hd)).sigmoid();
        PathMagnitude n = gate(gi, 2, hd)
            .add(linear(r.mul(h), whn, bhh == null ? null : bhh.narrow(0, 2 * hd, hd))).tanh();
        return new PathMagnitude[] {interpolate(z, n, h), null};
      }
      default -> throw new AssertionError(kind);
    }
  }

  /** {@code n + z * (h - n)}, as {@link CellMath} writes it. */
  private static PathMagnitude interpolate(PathMagnitude z, PathMagnitude n, PathMagnitude h) {
    return n.add(z.mul(h.sub(n)));
  }

  /** {@link ComposedStack#peepholeStep} on magnitudes. */
  static PathMagnitude[] peepholeStep(PathMagnitude x, PathMagnitude h, PathMagnitude c, PathMagnitude wih,
                                      PathMagnitude whh, PathMagnitude bih, PathMagnitude bhh, PathMagnitude peep) {
    int hd = peep.value().size(1);
    PathMagnitude a = x.matmulTransposed(wih).add(h.matmulTransposed(whh));
    if (bih != null) {
      a = a.add(bih.add(bhh).reshape(1, 4 * hd));
    }
    PathMagnitude pi = peep.narrow(0, 0, 1);
    PathMagnitude pf = peep.narrow(0, 1, 1);
    PathMagnitude po = peep.narrow(0, 2, 1);
    PathMagnitude i = a.narrow(1, 0, hd).add(pi.mul(c)).sigmoid();
    PathMagnitude f = a.narrow(1, hd, hd).add(pf.mul(c)).sigmoid();
    PathMagnitude g = a.narrow(1, 2 * hd, hd).tanh();
    PathMagnitude cNew = f.mul(c).add(i.mul(g));
    PathMagnitude o = a.narrow(1, 3 * hd, hd).add(po.mul(cNew)).sigmoid();
    return new PathMagnitude[] {o.mul(cNew.tanh()), cNew};
  }
}
