package dev.rnn4j.nn.recurrent;

// rnn4j:generate-float

import dev.rnn4j.kernels.DoubleKernels;
import dev.rnn4j.nn.recurrent.internal.DoubleLstmPeepholeCell;
import dev.rnn4j.nn.recurrent.internal.DoubleLstmProjectionCell;
import dev.rnn4j.nn.recurrent.internal.DoubleStackRunner;
import dev.rnn4j.nn.recurrent.internal.FaultyDoubleCell;

/** Runs a {@link RecurrentCase} through {@link DoubleStackRunner} and returns everything in float64 arrays. */
@SuppressWarnings("cast")
final class DoubleRunnerHarness {

  private DoubleRunnerHarness() {}

  static double[] in(double /*f32:double*/[] src) {
    if (src == null) {
      return null;
    }
    double[] r = new double[src.length];
    for (int i = 0; i < src.length; i++) {
      r[i] = (double) src[i];
    }
    return r;
  }

  static double /*f32:double*/[] out(double[] src) {
    if (src == null) {
      return null;
    }
    double /*f32:double*/[] r = new double /*f32:double*/[src.length];
    for (int i = 0; i < src.length; i++) {
      r[i] = src[i];
    }
    return r;
  }

  /** Forward, and backward when {@code backward} (consuming the traces, as the last backward does), of the case. */
  static RunnerResult run(DoubleKernels k, RecurrentCase c, CellFault fault, boolean backward) {
    return run(k, c, fault, backward, true);
  }

  /** As {@link #run(DoubleKernels, RecurrentCase, CellFault, boolean)}, choosing consumeTraces. */
  static RunnerResult run(DoubleKernels k, RecurrentCase c, CellFault fault, boolean backward,
                          boolean consumeTraces) {
    RecurrentConfig cfg = c.cfg;
    DoubleStackRunner runner = new DoubleStackRunner(k, cfg, FaultyDoubleCell.with(fault));
    int dirs = cfg.directions();
    int n = cfg.numLayers() * dirs;
    int bh = c.batch * cfg.stateSize();
    int bc = c.batch * cfg.hiddenSize();
    double[][] dwhr = c.whr == null ? null : new double[n][];
    double[][] dpeep = c.peep == null ? null : new double[n][];
    double[][] dwih = new double[n][];
    double[][] dwhh = new double[n][];
    double[][] dbih = new double[n][];
    double[][] dbhh = new double[n][];
    for (int l = 0; l < cfg.numLayers(); l++) {
      for (int d = 0; d < dirs; d++) {
        int i = l * dirs + d;
        double[] bi = cfg.bias() ? in(c.bih[i]) : null;
        double[] bh2 = cfg.bias() ? in(c.bhh[i]) : null;
        runner.weights(l, d).set(in(c.wih[i]), 0, in(c.whh[i]), 0, bi, 0, bh2, 0);
        dwih[i] = new double[c.wih[i].length];
        dwhh[i] = new double[c.whh[i].length];
        dbih[i] = cfg.bias() ? new double[c.bih[i].length] : null;
        dbhh[i] = cfg.bias() ? new double[c.bhh[i].length] : null;
        runner.gradients(l, d).set(dwih[i], 0, dwhh[i], 0, dbih[i], 0, dbhh[i], 0);
        if (dwhr != null) {
          dwhr[i] = new double[c.whr[i].length];
          runner.weights(l, d).extra(DoubleLstmProjectionCell.WEIGHT_HR, in(c.whr[i]), 0);
          runner.gradients(l, d).extra(DoubleLstmProjectionCell.WEIGHT_HR, dwhr[i], 0);
        }
        if (dpeep != null) {
          dpeep[i] = new double[c.peep[i].length];
          runner.weights(l, d).extra(DoubleLstmPeepholeCell.WEIGHT_PEEPHOLE, in(c.peep[i]), 0);
          runner.gradients(l, d).extra(DoubleLstmPeepholeCell.WEIGHT_PEEPHOLE, dpeep[i], 0);
        }
      }
    }
    double[] y = new double[c.steps * c.batch * cfg.outputSize()];
    double[] hN = new double[n * bh];
    double[] cN = cfg.kind().hasCellState() ? new double[n * bc] : null;
    runner.forward(in(c.x), 0, c.steps, c.batch, c.lengths, in(c.h0), 0, in(c.c0), 0, false, 0,
        y, 0, hN, 0, cN, 0);
    RunnerResult r = new RunnerResult();
    r.out = out(y);
    r.hN = out(hN);
    r.cN = out(cN);
    if (backward) {
      double[] dx = new double[c.x.length];
      double[] dh0 = new double[n * bh];
      double[] dc0 = cfg.kind().hasCellState() ? new double[n * bc] : null;
      runner.backward(in(c.dOut), 0, in(c.dhN), 0, in(c.dcN), 0, dx, 0, dh0, 0, dc0, 0, consumeTraces);
      r.dx = out(dx);
      r.dh0 = out(dh0);
      r.dc0 = out(dc0);
      r.dWih = new double /*f32:double*/[n][];
      r.dWhh = new double /*f32:double*/[n][];
      r.dbih = new double /*f32:double*/[n][];
      r.dbhh = new double /*f32:double*/[n][];
      r.dWhr = dwhr == null ? null : new double /*f32:double*/[n][];
      r.dPeep = dpeep == null ? null : new double /*f32:double*/[n][];
      for (int i = 0; i < n; i++) {
        r.dWih[i] = out(dwih[i]);
        r.dWhh[i] = out(dwhh[i]);
        r.dbih[i] = out(dbih[i]);
        r.dbhh[i] = out(dbhh[i]);
        if (dwhr != null) {
          r.dWhr[i] = out(dwhr[i]);
        }
        if (dpeep != null) {
          r.dPeep[i] = out(dpeep[i]);
        }
      }
    }
    return r;
  }
}
