package dev.rnn4j.nn.recurrent;

import java.util.Arrays;
import java.util.Random;

/**
 * A random recurrent problem: configuration, weights, inputs, lengths, initial states and output gradients. All values
 * are float32-representable, so the float32 and float64 paths see exactly the same numbers.
 */
final class RecurrentCase {

  final RecurrentConfig cfg;
  final int steps;
  final int batch;
  final int[] lengths; // null: all T
  final double[] x;
  final double[] h0;   // null: zeros
  final double[] c0;   // null: zeros (LSTM only)
  final double[][] wih;
  final double[][] whh;
  final double[][] bih; // null when no bias
  final double[][] bhh;
  final double[][] whr; // null without a projection
  final double[][] peep; // null without peepholes
  final double[] dOut;
  final double[] dhN;
  final double[] dcN;
  // how the case was made, for failure messages: rebuild it with new RecurrentCase(cfg, T, B, lengths, seed,
  // initialStates); null for a case derived from another (a single sequence, a permutation)
  private final String recipe;

  RecurrentCase(RecurrentConfig cfg, int steps, int batch, int[] lengths, long seed, boolean initialStates) {
    this.cfg = cfg;
    this.steps = steps;
    this.batch = batch;
    this.lengths = lengths;
    this.recipe = "seed=" + seed + "L initialStates=" + initialStates;
    Random rnd = new Random(seed);
    int dirs = cfg.directions();
    int n = cfg.numLayers() * dirs;
    int hd = cfg.hiddenSize();
    int sw = cfg.stateSize();
    int gw = cfg.gateWidth();
    double bound = 1 / Math.sqrt(hd);
    whr = cfg.projSize() > 0 ? new double[n][] : null;
    peep = cfg.peephole() ? new double[n][] : null;
    wih = new double[n][];
    whh = new double[n][];
    bih = cfg.bias() ? new double[n][] : null;
    bhh = cfg.bias() ? new double[n][] : null;
    for (int l = 0; l < cfg.numLayers(); l++) {
      for (int d = 0; d < dirs; d++) {
        int i = l * dirs + d;
        wih[i] = uniform(rnd, gw * cfg.layerInputSize(l), bound);
        whh[i] = uniform(rnd, gw * sw, bound);
        if (cfg.bias()) {
          bih[i] = uniform(rnd, gw, bound);
          bhh[i] = uniform(rnd, gw, bound);
        }
        if (whr != null) {
          whr[i] = uniform(rnd, sw * hd, bound);
        }
        if (peep != null) {
          peep[i] = uniform(rnd, 3 * hd, bound);
        }
      }
    }
    x = uniform(rnd, steps * batch * cfg.inputSize(), 1);
    h0 = initialStates ? uniform(rnd, n * batch * sw, 1) : null;
    c0 = initialStates && cfg.kind().hasCellState() ? uniform(rnd, n * batch * hd, 1) : null;
    dOut = uniform(rnd, steps * batch * cfg.outputSize(), 1);
    dhN = uniform(rnd, n * batch * sw, 1);
    dcN = cfg.kind().hasCellState() ? uniform(rnd, n * batch * hd, 1) : null;
  }

  private RecurrentCase(RecurrentCase o, int steps, int batch, int[] lengths, double[] x, double[] h0, double[] c0,
                        double[] dOut, double[] dhN, double[] dcN) {
    this.cfg = o.cfg;
    this.steps = steps;
    this.batch = batch;
    this.lengths = lengths;
    this.x = x;
    this.h0 = h0;
    this.c0 = c0;
    this.wih = o.wih;
    this.whh = o.whh;
    this.bih = o.bih;
    this.bhh = o.bhh;
    this.whr = o.whr;
    this.peep = o.peep;
    this.dOut = dOut;
    this.dhN = dhN;
    this.dcN = dcN;
    this.recipe = null;
  }

  /** Sequence b alone: batch 1, T = its length, same weights; in this case's layout. */
  RecurrentCase single(int b) {
    int len = length(b);
    int outW = cfg.outputSize();
    double[] dy = new double[len * outW];
    for (int t = 0; t < len; t++) {
      System.arraycopy(dOut, row(t, b, outW), dy, t * outW, outW);
    }
    // batch 1: [T, 1, w] and [1, T, w] are the same array
    return new RecurrentCase(this, len, 1, null, inputOf(b), stateOf(h0, b), stateOf(c0, b), dy, stateOf(dhN, b),
        stateOf(dcN, b));
  }

  /** The same sequences in another batch order: row b of the new case is row {@code perm[b]} of this one. */
  RecurrentCase permuted(int[] perm) {
    int[] lens = new int[batch];
    for (int b = 0; b < batch; b++) {
      lens[b] = length(perm[b]);
    }
    return new RecurrentCase(this, steps, batch, lens, permuteRows(x, perm, cfg.inputSize()),
        permuteStates(h0, perm), permuteStates(c0, perm), permuteRows(dOut, perm, cfg.outputSize()),
        permuteStates(dhN, perm), permuteStates(dcN, perm));
  }

  /** A [T, B, w] (or batch-first) array with its batch rows permuted as in {@link #permuted}. */
  double[] permuteRows(double[] a, int[] perm, int w) {
    double[] r = new double[a.length];
    for (int t = 0; t < steps; t++) {
      for (int b = 0; b < batch; b++) {
        System.arraycopy(a, row(t, perm[b], w), r, row(t, b, w), w);
      }
    }
    return r;
  }

  /** A [L*D, B, H] array with its batch rows permuted as in {@link #permuted}; null stays null. */
  double[] permuteStates(double[] a, int[] perm) {
    if (a == null) {
      return null;
    }
    int n = cfg.numLayers() * cfg.directions();
    int hd = a.length / (n * batch); // H, or P for the states of an LSTM with a projection
    double[] r = new double[a.length];
    for (int i = 0; i < n; i++) {
      for (int b = 0; b < batch; b++) {
        System.arraycopy(a, (i * batch + perm[b]) * hd, r, (i * batch + b) * hd, hd);
      }
    }
    return r;
  }

  /** The array behind a gradient name of {@link RunnerResult#gradients()}, or null (no such input). */
  double[] parameter(String name) {
    if (name.equals("input")) {
      return x;
    }
    if (name.equals("h0")) {
      return h0;
    }
    if (name.equals("c0")) {
      return c0;
    }
    int i = Integer.parseInt(name.substring(name.indexOf('[') + 1, name.indexOf(']')));
    if (name.startsWith("weight_ih")) {
      return wih[i];
    }
    if (name.startsWith("weight_hh")) {
      return whh[i];
    }
    if (name.startsWith("bias_ih")) {
      return bih[i];
    }
    if (name.startsWith("weight_hr")) {
      return whr[i];
    }
    if (name.startsWith("weight_peephole")) {
      return peep[i];
    }
    return bhh[i];
  }

  /** The scalar loss whose gradients the backward pass computes: sum dOut * out + sum dhN * h_n + sum dcN * c_n. */
  double loss(RunnerResult r) {
    double l = dotProduct(dOut, r.out) + dotProduct(dhN, r.hN);
    if (r.cN != null) {
      l += dotProduct(dcN, r.cN);
    }
    return l;
  }

  private static double dotProduct(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  static double[] uniform(Random rnd, int n, double bound) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
    }
    return a;
  }

  int length(int b) {
    return lengths == null ? steps : lengths[b];
  }

  /** Index of (t, b) row start in a [T, B, w] (or batch-first [B, T, w]) array. */
  int row(int t, int b, int w) {
    return cfg.batchFirst() ? (b * steps + t) * w : (t * batch + b) * w;
  }

  /** Sequence b's input alone, [len_b, I]. */
  double[] inputOf(int b) {
    int in = cfg.inputSize();
    double[] s = new double[length(b) * in];
    for (int t = 0; t < length(b); t++) {
      System.arraycopy(x, row(t, b, in), s, t * in, in);
    }
    return s;
  }

  /** Row b of a state array [L*D, B, H], as [L*D, H]. */
  double[] stateOf(double[] states, int b) {
    if (states == null) {
      return null;
    }
    int n = cfg.numLayers() * cfg.directions();
    int hd = states.length / (n * batch); // H, or P for the states of an LSTM with a projection
    double[] s = new double[n * hd];
    for (int i = 0; i < n; i++) {
      System.arraycopy(states, (i * batch + b) * hd, s, i * hd, hd);
    }
    return s;
  }

  ReferenceRecurrent reference(double u) {
    return new ReferenceRecurrent(cfg, u, wih, whh, bih, bhh);
  }

  @Override
  public String toString() {
    return cfg + " T=" + steps + " B=" + batch + " lengths=" + Arrays.toString(lengths)
        + (recipe == null ? "" : " " + recipe);
  }
}
