package dev.rnn4j.nn.recurrent;

/**
 * An independent float64 reference of the recurrent stacks, written straight from PyTorch's equations, one sequence
 * at a time (so it knows nothing of sorting, prefixes or packed batches), together with a rigorous running error
 * bound for an implementation that works in a precision with unit roundoff u.
 *
 * <h2>Error model (per implementation, against the exact result)</h2>
 * Every quantity q carries its value v (computed here in float64 from the same, exactly representable inputs) and a
 * bound e on |computed_impl(q) - exact(q)|:
 * <ul>
 *   <li>A pre-activation {@code a = sum of n terms} (biases, W_ih x, W_hh h), evaluated in any order with or without
 *       FMA: {@code e_a = sum |w| e_in + gamma(n + 1) * sum |w| (|in| + e_in)} (Higham 3.1: n terms, each through at
 *       most n roundings; the +1 covers the folded bias sum).</li>
 *   <li>A map f in {sigmoid, tanh, relu}: by the mean value theorem {@code |f(a') - f(a)| <= max|f'| on
 *       [a - e_a, a + e_a] * e_a}; plus the implementation's own error: tanh 4 ulps = 8u relative with an 8u absolute
 *       floor (argument reduction near 0), sigmoid {@code 1/(1 + exp)} 4 ulps of exp plus two roundings = 12u relative;
 *       relu is exact.</li>
 *   <li>Products and sums of k roundings: {@code |x'y' - xy| <= |x| e_y + |y| e_x + e_x e_y} plus
 *       {@code gamma(k) * (|x| + e_x)(|y| + e_y)} for the roundings.</li>
 * </ul>
 * The bound is propagated through all steps and layers; two implementations both obeying it differ by at most 2e.
 * Where the propagated bound exceeds the trivial one (sigmoid outputs in [0, 1], tanh and LSTM h in [-1, 1], GRU h a
 * convex combination of values in [-1, 1] and h'), the trivial one is used. The running bound uses absolute row sums
 * of the weights, so it grows by up to {@code max_j sum_m |W_hh[j, m]|} (about sqrt(H)/2 at the default init) times
 * the gate slopes per step: it is sharp for short sequences and narrow layers and becomes the trivial range bound for
 * long sequences of wide layers (a rigorous worst-case bound cannot know that rounding errors rarely align).
 */
final class ReferenceRecurrent {

  final RecurrentConfig cfg;
  final double u;
  final double[][] wih;
  final double[][] whh;
  final double[][] bih;
  final double[][] bhh;

  /** Weights per layer-direction index {@code l * D + d}, PyTorch layout, biases null when the config has none. */
  ReferenceRecurrent(RecurrentConfig cfg, double u, double[][] wih, double[][] whh, double[][] bih, double[][] bhh) {
    this.cfg = cfg;
    this.u = u;
    this.wih = wih;
    this.whh = whh;
    this.bih = bih;
    this.bhh = bhh;
  }

  /** Values and error bounds of one sequence's outputs and final states. */
  static final class Result {
    double[] out;     // [len, outW]
    double[] outErr;
    double[] hN;      // [L*D, H]
    double[] hNErr;
    double[] cN;
    double[] cNErr;
  }

  double gamma(int k) {
    return k * u / (1 - k * u);
  }

  /**
   * Runs one sequence alone.
   *
   * @param x [len, I]
   * @param h0 [L*D, H] or null
   * @param c0 [L*D, H] or null
   */
  Result run(double[] x, int len, double[] h0, double[] c0) {
    int layers = cfg.numLayers();
    int dirs = cfg.directions();
    int hd = cfg.hiddenSize();
    Result res = new Result();
    res.hN = new double[layers * dirs * hd];
    res.hNErr = new double[layers * dirs * hd];
    res.cN = new double[layers * dirs * hd];
    res.cNErr = new double[layers * dirs * hd];
    double[] in = x;
    double[] inErr = new double[x.length];
    for (int l = 0; l < layers; l++) {
      int inW = cfg.layerInputSize(l);
      int outW = cfg.outputSize();
      double[] y = new double[len * outW];
      double[] yErr = new double[len * outW];
      for (int d = 0; d < dirs; d++) {
        int idx = l * dirs + d;
        double[] h = new double[hd];
        double[] he = new double[hd];
        double[] c = new double[hd];
        double[] ce = new double[hd];
        if (h0 != null) {
          System.arraycopy(h0, idx * hd, h, 0, hd);
        }
        if (c0 != null) {
          System.arraycopy(c0, idx * hd, c, 0, hd);
        }
        // GRU: |h| of any implementation stays below mag (h is a convex combination of n in [-1, 1] and h', up to
        // the three roundings of its formula), by induction from |h0|; two such values differ by at most 2 mag.
        double[] mag = new double[hd];
        for (int j = 0; j < hd; j++) {
          mag[j] = Math.abs(h[j]);
        }
        for (int s = 0; s < len; s++) {
          int t = d == 0 ? s : len - 1 - s;
          double[][] next = step(idx, inW, in, inErr, t * inW, h, he, c, ce, mag);
          h = next[0];
          he = next[1];
          c = next[2];
          ce = next[3];
          for (int j = 0; j < hd; j++) {
            int o = t * outW + (cfg.merge() == MergeMode.CONCAT ? d * hd : 0) + j;
            if (d == 1 && cfg.merge() == MergeMode.SUM) {
              double sum = y[o] + h[j];
              yErr[o] = yErr[o] + he[j] + u * (Math.abs(y[o]) + yErr[o] + Math.abs(h[j]) + he[j]);
              y[o] = sum;
            } else {
              y[o] = h[j];
              yErr[o] = he[j];
            }
          }
        }
        System.arraycopy(h, 0, res.hN, idx * hd, hd);
        System.arraycopy(he, 0, res.hNErr, idx * hd, hd);
        System.arraycopy(c, 0, res.cN, idx * hd, hd);
        System.arraycopy(ce, 0, res.cNErr, idx * hd, hd);
      }
      in = y;
      inErr = yErr;
    }
    res.out = in;
    res.outErr = inErr;
    return res;
  }

  /** Pre-activation row {@code row} of gate matrix: {@code sum_m W[row, m] v[m]} with its error terms. */
  private double[] dot(double[] w, int row, int width, double[] v, double[] ve, int vOff) {
    double val = 0;
    double abs = 0;
    double prop = 0;
    for (int m = 0; m < width; m++) {
      double wm = w[row * width + m];
      val += wm * v[vOff + m];
      abs += Math.abs(wm) * (Math.abs(v[vOff + m]) + ve[vOff + m]);
      prop += Math.abs(wm) * ve[vOff + m];
    }
    return new double[] {val, abs, prop};
  }

  private static double sigmoid(double a) {
    return 1 / (1 + Math.exp(-a));
  }

  private static double nearestToZero(double a, double e) {
    return a - e > 0 ? a - e : a + e < 0 ? a + e : 0;
  }

  private double[] sig(double a, double ea) {
    double v = sigmoid(a);
    double s = sigmoid(nearestToZero(a, ea));
    double e = s * (1 - s) * ea;
    // both results lie in [0, 1]
    return new double[] {v, Math.min(1, e + 12 * u * (v + e))};
  }

  private double[] tanh(double a, double ea) {
    double v = Math.tanh(a);
    double t = Math.tanh(nearestToZero(a, ea));
    double e = (1 - t * t) * ea;
    // both results lie in [-1, 1]
    return new double[] {v, Math.min(2, e + 8 * u * (Math.abs(v) + e) + 8 * u)};
  }

  /** Error of x*y from errors of x and y, plus k roundings on the product's magnitude. */
  private double mulErr(double x, double ex, double y, double ey, int k) {
    return Math.abs(x) * ey + Math.abs(y) * ex + ex * ey + gamma(k) * (Math.abs(x) + ex) * (Math.abs(y) + ey);
  }

  private double[][] step(int idx, int inW, double[] x, double[] xe, int xOff,
                          double[] h, double[] he, double[] c, double[] ce, double[] mag) {
    int hd = cfg.hiddenSize();
    CellKind kind = cfg.kind();
    double[] wi = wih[idx];
    double[] wh = whh[idx];
    double[] bi = bih == null ? null : bih[idx];
    double[] bh = bhh == null ? null : bhh[idx];
    int n = inW + hd + 2;
    double[] nh = new double[hd];
    double[] nhe = new double[hd];
    double[] nc = new double[hd];
    double[] nce = new double[hd];
    double[][] a = new double[kind.gates()][hd];
    double[][] ae = new double[kind.gates()][hd];
    // Full pre-activations of every gate except the GRU's n gate, which is handled below.
    for (int g = 0; g < kind.gates(); g++) {
      if (kind.isGru() && g == 2) {
        continue;
      }
      for (int j = 0; j < hd; j++) {
        int row = g * hd + j;
        double[] px = dot(wi, row, inW, x, xe, xOff);
        double[] ph = dot(wh, row, hd, h, he, 0);
        double bias = bi == null ? 0 : bi[row] + bh[row];
        double babs = bi == null ? 0 : Math.abs(bi[row]) + Math.abs(bh[row]);
        a[g][j] = bias + px[0] + ph[0];
        ae[g][j] = px[2] + ph[2] + gamma(n + 1) * (babs + px[1] + ph[1]);
      }
    }
    switch (kind) {
      case RNN_TANH, RNN_RELU -> {
        for (int j = 0; j < hd; j++) {
          if (kind == CellKind.RNN_TANH) {
            double[] t = tanh(a[0][j], ae[0][j]);
            nh[j] = t[0];
            nhe[j] = t[1];
          } else {
            nh[j] = Math.max(a[0][j], 0);
            nhe[j] = ae[0][j];
          }
        }
      }
      case LSTM -> {
        for (int j = 0; j < hd; j++) {
          double[] i = sig(a[0][j], ae[0][j]);
          double[] f = sig(a[1][j], ae[1][j]);
          double[] g = tanh(a[2][j], ae[2][j]);
          double[] o = sig(a[3][j], ae[3][j]);
          nc[j] = f[0] * c[j] + i[0] * g[0];
          nce[j] = mulErr(f[0], f[1], c[j], ce[j], 2) + mulErr(i[0], i[1], g[0], g[1], 2);
          double[] tc = tanh(nc[j], nce[j]);
          nh[j] = o[0] * tc[0];
          nhe[j] = Math.min(2, mulErr(o[0], o[1], tc[0], tc[1], 1));
        }
      }
      case GRU, GRU_RESET_BEFORE -> {
        double[] r = new double[hd];
        double[] re = new double[hd];
        double[] z = new double[hd];
        double[] ze = new double[hd];
        for (int j = 0; j < hd; j++) {
          double[] rr = sig(a[0][j], ae[0][j]);
          double[] zz = sig(a[1][j], ae[1][j]);
          r[j] = rr[0];
          re[j] = rr[1];
          z[j] = zz[0];
          ze[j] = zz[1];
        }
        double[] rh = new double[hd];
        double[] rhe = new double[hd];
        if (kind == CellKind.GRU_RESET_BEFORE) {
          for (int m = 0; m < hd; m++) {
            rh[m] = r[m] * h[m];
            rhe[m] = mulErr(r[m], re[m], h[m], he[m], 1);
          }
        }
        for (int j = 0; j < hd; j++) {
          int row = 2 * hd + j;
          double[] px = dot(wi, row, inW, x, xe, xOff);
          double bin = bi == null ? 0 : bi[row];
          double bhn = bh == null ? 0 : bh[row];
          double an;
          double ane;
          if (kind == CellKind.GRU) {
            double[] ph = dot(wh, row, hd, h, he, 0);
            double gin = bin + px[0];
            double gine = px[2] + gamma(inW + 1) * (Math.abs(bin) + px[1]);
            double ghn = bhn + ph[0];
            double ghne = ph[2] + gamma(hd + 1) * (Math.abs(bhn) + ph[1]);
            an = gin + r[j] * ghn;
            ane = gine + mulErr(r[j], re[j], ghn, ghne, 2) + u * (Math.abs(gin) + gine);
          } else {
            double[] ph = dot(wh, row, hd, rh, rhe, 0);
            an = bin + bhn + px[0] + ph[0];
            ane = px[2] + ph[2] + gamma(n + 1) * (Math.abs(bin) + Math.abs(bhn) + px[1] + ph[1]);
          }
          double[] nn = tanh(an, ane);
          // h = (1 - z) n + z h', 3 roundings on each path (both variants' evaluation orders)
          nh[j] = (1 - z[j]) * nn[0] + z[j] * h[j];
          nhe[j] = ze[j] * (Math.abs(nn[0]) + nn[1] + Math.abs(h[j]) + he[j]) + (1 - z[j] + ze[j]) * nn[1]
              + (z[j] + ze[j]) * he[j]
              + gamma(3) * ((1 + z[j] + ze[j]) * (Math.abs(nn[0]) + nn[1]) + (z[j] + ze[j]) * (Math.abs(h[j]) + he[j]));
          // |computed h| <= |exact| + gamma(3) ((1 + z)|n| + z|h'|) <= max(1, |h'|) (1 + 2 gamma(3))
          mag[j] = Math.max(1, mag[j]) * (1 + 2 * gamma(3));
          nhe[j] = Math.min(nhe[j], 2 * mag[j]);
        }
      }
      default -> throw new AssertionError(kind);
    }
    return new double[][] {nh, nhe, nc, nce};
  }
}
