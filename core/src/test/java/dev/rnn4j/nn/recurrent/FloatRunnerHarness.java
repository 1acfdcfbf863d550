package dev.rnn4j.nn.recurrent;

// Generated from DoubleRunnerHarness.java by PrecisionGenerator. Edit that file and regenerate; do not edit this one.

import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.nn.recurrent.internal.FloatLstmPeepholeCell;
import dev.rnn4j.nn.recurrent.internal.FloatLstmProjectionCell;
import dev.rnn4j.nn.recurrent.internal.FloatStackRunner;
import dev.rnn4j.nn.recurrent.internal.FaultyFloatCell;

/** Runs a {@link RecurrentCase} through {@link FloatStackRunner} and returns everything in float32 arrays. */
@SuppressWarnings("cast")
final class FloatRunnerHarness {

  private FloatRunnerHarness() {}

  static float[] in(double[] src) {
    if (src == null) {
      return null;
    }
    float[] r = new float[src.length];
    for (int i = 0; i < src.length; i++) {
      r[i] = (float) src[i];
    }
    return r;
  }

  static double[] out(float[] src) {
    if (src == null) {
      return null;
    }
    double[] r = new double[src.length];
    for (int i = 0; i < src.length; i++) {
      r[i] = src[i];
    }
    return r;
  }

  /** Forward, and backward when {@code backward} (consuming the traces, as the last backward does), of the case. */
  static RunnerResult run(FloatKernels k, RecurrentCase c, CellFault fault, boolean backward) {
    return run(k, c, fault, backward, true);
  }

  /** As {@link #run(FloatKernels, RecurrentCase, CellFault, boolean)}, choosing consumeTraces. */
  static RunnerResult run(FloatKernels k, RecurrentCase c, CellFault fault, boolean backward,
                          boolean consumeTraces) {
    RecurrentConfig cfg = c.cfg;
    FloatStackRunner runner = new FloatStackRunner(k, cfg, FaultyFloatCell.with(fault));
    int dirs = cfg.directions();
    int n = cfg.numLayers() * dirs;
    int bh = c.batch * cfg.stateSize();
    int bc = c.batch * cfg.hiddenSize();
    float[][] dwhr = c.whr == null ? null : new float[n][];
    float[][] dpeep = c.peep == null ? null : new float[n][];
    float[][] dwih = new float[n][];
    float[][] dwhh = new float[n][];
    float[][] dbih = new float[n][];
    float[][] dbhh = new float[n][];
    for (int l = 0; l < cfg.numLayers(); l++) {
      for (int d = 0; d < dirs; d++) {
        int i = l * dirs + d;
        float[] bi = cfg.bias() ? in(c.bih[i]) : null;
        float[] bh2 = cfg.bias() ? in(c.bhh[i]) : null;
        runner.weights(l, d).set(in(c.wih[i]), 0, in(c.whh[i]), 0, bi, 0, bh2, 0);
        dwih[i] = new float[c.wih[i].length];
        dwhh[i] = new float[c.whh[i].length];
        dbih[i] = cfg.bias() ? new float[c.bih[i].length] : null;
        dbhh[i] = cfg.bias() ? new float[c.bhh[i].length] : null;
        runner.gradients(l, d).set(dwih[i], 0, dwhh[i], 0, dbih[i], 0, dbhh[i], 0);
        if (dwhr != null) {
          dwhr[i] = new float[c.whr[i].length];
          runner.weights(l, d).extra(FloatLstmProjectionCell.WEIGHT_HR, in(c.whr[i]), 0);
          runner.gradients(l, d).extra(FloatLstmProjectionCell.WEIGHT_HR, dwhr[i], 0);
        }
        if (dpeep != null) {
          dpeep[i] = new float[c.peep[i].length];
          runner.weights(l, d).extra(FloatLstmPeepholeCell.WEIGHT_PEEPHOLE, in(c.peep[i]), 0);
          runner.gradients(l, d).extra(FloatLstmPeepholeCell.WEIGHT_PEEPHOLE, dpeep[i], 0);
        }
      }
    }
    float[] y = new float[c.steps * c.batch * cfg.outputSize()];
    float[] hN = new float[n * bh];
    float[] cN = cfg.kind().hasCellState() ? new float[n * bc] : null;
    runner.forward(in(c.x), 0, c.steps, c.batch, c.lengths, in(c.h0), 0, in(c.c0), 0, false, 0,
        y, 0, hN, 0, cN, 0);
    RunnerResult r = new RunnerResult();
    r.out = out(y);
    r.hN = out(hN);
    r.cN = out(cN);
    if (backward) {
      float[] dx = new float[c.x.length];
      float[] dh0 = new float[n * bh];
      float[] dc0 = cfg.kind().hasCellState() ? new float[n * bc] : null;
      runner.backward(in(c.dOut), 0, in(c.dhN), 0, in(c.dcN), 0, dx, 0, dh0, 0, dc0, 0, consumeTraces);
      r.dx = out(dx);
      r.dh0 = out(dh0);
      r.dc0 = out(dc0);
      r.dWih = new double[n][];
      r.dWhh = new double[n][];
      r.dbih = new double[n][];
      r.dbhh = new double[n][];
      r.dWhr = dwhr == null ? null : new double[n][];
      r.dPeep = dpeep == null ? null : new double[n][];
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
