package dev.rnn4j.nn.recurrent;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.nn.recurrent.internal.DoubleEngineWeights;
import dev.rnn4j.nn.recurrent.internal.DoubleRecurrentEngine;
import java.util.List;
import java.util.SplittableRandom;

/** One direction of one layer on the float64 engine, full-length batch, with its gradient arrays. */
final class EngineCall {
  final int steps = 5;
  final int batch = 3;
  final int input = 4;
  final int hidden = 6;
  final int[] batchSizes = {3, 3, 3, 3, 3};
  final DoubleRecurrentEngine engine;
  final DoubleEngineWeights w;
  final DoubleRecurrentEngine.Trace trace = new DoubleRecurrentEngine.Trace();
  final double[] x;
  final double[] dOut;
  final double[] dx;
  final double[] dWih;
  final double[] dWhh;
  final double[] dbih;
  final double[] dbhh;

  EngineCall(Kernels k, CellKind kind) {
    engine = new DoubleRecurrentEngine(k.f64(), kind, input, hidden);
    int gh = kind.gates() * hidden;
    SplittableRandom rng = new SplittableRandom(5);
    w = new DoubleEngineWeights(gh).set(uniform(rng, gh * input), 0, uniform(rng, gh * hidden), 0,
        uniform(rng, gh), 0, uniform(rng, gh), 0);
    x = uniform(rng, steps * batch * input);
    dOut = uniform(rng, steps * batch * hidden);
    dx = new double[x.length];
    dWih = new double[gh * input];
    dWhh = new double[gh * hidden];
    dbih = new double[gh];
    dbhh = new double[gh];
  }

  void forward() {
    engine.forward(new DoubleRecurrentEngine.Sequence(x, 0, steps, batch, batchSizes, false), w,
        DoubleRecurrentEngine.States.NONE, trace);
  }

  void backward() {
    DoubleEngineWeights grads = new DoubleEngineWeights(dWih.length / input)
        .set(dWih, 0, dWhh, 0, dbih, 0, dbhh, 0);
    engine.backward(trace, w, new DoubleRecurrentEngine.OutputGradients(dOut, 0, hidden),
        DoubleRecurrentEngine.States.NONE, grads, dx, 0, DoubleRecurrentEngine.States.NONE);
  }

  double[] gradients() {
    double[] all = new double[dx.length + dWih.length + dWhh.length + dbih.length + dbhh.length];
    int p = 0;
    for (double[] a : List.of(dx, dWih, dWhh, dbih, dbhh)) {
      System.arraycopy(a, 0, all, p, a.length);
      p += a.length;
    }
    return all;
  }

  private static double[] uniform(SplittableRandom rng, int n) {
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = rng.nextDouble(-0.5, 0.5);
    }
    return a;
  }
}
