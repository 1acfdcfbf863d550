package dev.rnn4j.nn.recurrent;

import dev.rnn4j.autograd.Ops;
import dev.rnn4j.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * The composed reference of a recurrent stack: the cells of {@link CellMath} (primitive autograd ops) unrolled over
 * time, one sequence at a time (so a variable-length batch is, by construction, its sequences run alone), with the
 * layer's own parameter tensors. Eval mode only (no dropout).
 */
final class ComposedStack {

  private ComposedStack() {}

  static RecurrentOutput forward(RecurrentLayer layer, Tensor input, Tensor h0, Tensor c0, int[] lengths) {
    RecurrentConfig cfg = layer.config();
    Tensor x = cfg.batchFirst() ? input.transpose(0, 1) : input; // [T, B, I]
    int steps = x.size(0);
    int batch = x.size(1);
    int dirs = cfg.directions();
    int hd = cfg.hiddenSize();
    int sw = cfg.stateSize();
    int outW = cfg.outputSize();
    Tensor[][] outRows = new Tensor[steps][batch];
    Tensor[][] hN = new Tensor[cfg.numLayers() * dirs][batch];
    Tensor[][] cN = new Tensor[cfg.numLayers() * dirs][batch];
    for (int b = 0; b < batch; b++) {
      int len = lengths == null ? steps : lengths[b];
      List<Tensor> seq = new ArrayList<>();
      for (int t = 0; t < len; t++) {
        seq.add(x.select(t).narrow(0, b, 1)); // [1, I]
      }
      for (int l = 0; l < cfg.numLayers(); l++) {
        Tensor[][] dirOut = new Tensor[dirs][len];
        for (int d = 0; d < dirs; d++) {
          int i = l * dirs + d;
          Tensor h = h0 == null ? Tensor.zeros(layer.dtype(), 1, sw) : h0.select(i).narrow(0, b, 1);
          Tensor c = c0 == null ? Tensor.zeros(layer.dtype(), 1, hd) : c0.select(i).narrow(0, b, 1);
          Tensor wih = layer.parameter("weight_ih", l, d);
          Tensor whh = layer.parameter("weight_hh", l, d);
          Tensor bih = cfg.bias() ? layer.parameter("bias_ih", l, d) : null;
          Tensor bhh = cfg.bias() ? layer.parameter("bias_hh", l, d) : null;
          Tensor whr = cfg.projSize() > 0 ? layer.parameter("weight_hr", l, d) : null;
          Tensor peep = cfg.peephole() ? layer.parameter("weight_peephole", l, d) : null;
          for (int s = 0; s < len; s++) {
            int t = d == 0 ? s : len - 1 - s;
            Tensor[] next = peep != null ? peepholeStep(seq.get(t), h, c, wih, whh, bih, bhh, peep)
                : CellMath.step(cfg.kind(), seq.get(t), h, c, wih, whh, bih, bhh);
            // with a projection (PyTorch's proj_size): h = (o * tanh(c)) W_hr^T
            h = whr == null ? next[0] : next[0].matmul(whr.transpose());
            c = next[1] == null ? c : next[1];
            dirOut[d][t] = h;
          }
          hN[i][b] = h;
          cN[i][b] = c;
        }
        List<Tensor> next = new ArrayList<>();
        for (int t = 0; t < len; t++) {
          if (dirs == 1) {
            next.add(dirOut[0][t]);
          } else if (cfg.merge() == MergeMode.CONCAT) {
            next.add(Ops.concat(1, dirOut[0][t], dirOut[1][t]));
          } else {
            next.add(dirOut[0][t].add(dirOut[1][t]));
          }
        }
        seq = next;
      }
      for (int t = 0; t < steps; t++) {
        outRows[t][b] = t < len ? seq.get(t) : Tensor.zeros(layer.dtype(), 1, outW);
      }
    }
    Tensor[] perStep = new Tensor[steps];
    for (int t = 0; t < steps; t++) {
      perStep[t] = Ops.concat(0, outRows[t]);
    }
    Tensor out = Ops.stack(0, perStep); // [T, B, outW]
    if (cfg.batchFirst()) {
      out = out.transpose(0, 1);
    }
    Tensor[] hs = new Tensor[hN.length];
    Tensor[] cs = new Tensor[hN.length];
    for (int i = 0; i < hN.length; i++) {
      hs[i] = Ops.concat(0, hN[i]);
      cs[i] = Ops.concat(0, cN[i]);
    }
    return new RecurrentOutput(out, Ops.stack(0, hs), cfg.kind().hasCellState() ? Ops.stack(0, cs) : null);
  }

  /**
   * One step of the LSTM with peepholes from autograd primitives, written from the equations (Gers and Schmidhuber
   * 2000), independently of the fused cell: {@code i = sigmoid(W_ii x + b_ii + W_hi h + b_hi + p_i c)},
   * {@code f} likewise with p_f, {@code g = tanh(..)}, {@code c' = f c + i g}, {@code o = sigmoid(.. + p_o c')},
   * {@code h' = o tanh(c')}; {@code peep} is [3, H] with rows (p_i, p_f, p_o). Returns {h', c'}.
   */
  static Tensor[] peepholeStep(Tensor x, Tensor h, Tensor c, Tensor wih, Tensor whh, Tensor bih, Tensor bhh,
                               Tensor peep) {
    int hd = peep.size(1);
    Tensor a = x.matmul(wih.transpose()).add(h.matmul(whh.transpose()));
    if (bih != null) {
      a = a.add(bih.add(bhh).reshape(1, 4 * hd));
    }
    Tensor pi = peep.narrow(0, 0, 1);
    Tensor pf = peep.narrow(0, 1, 1);
    Tensor po = peep.narrow(0, 2, 1);
    Tensor i = a.narrow(1, 0, hd).add(pi.mul(c)).sigmoid();
    Tensor f = a.narrow(1, hd, hd).add(pf.mul(c)).sigmoid();
    Tensor g = a.narrow(1, 2 * hd, hd).tanh();
    Tensor cNew = f.mul(c).add(i.mul(g));
    Tensor o = a.narrow(1, 3 * hd, hd).add(po.mul(cNew)).sigmoid();
    return new Tensor[] {o.mul(cNew.tanh()), cNew};
  }
}
