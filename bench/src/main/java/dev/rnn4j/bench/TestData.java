package dev.rnn4j.bench;

import java.util.SplittableRandom;

/** Seeded operands for the benchmarks: the same numbers in every fork, so runs are comparable. */
final class TestData {

  private TestData() {}

  /** {@code n} floats uniform in {@code [lo, hi)}. */
  static float[] floats(int n, float lo, float hi, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (lo + (hi - lo) * r.nextDouble());
    }
    return x;
  }

  /** {@code n} doubles uniform in {@code [lo, hi)}. */
  static double[] doubles(int n, double lo, double hi, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = lo + (hi - lo) * r.nextDouble();
    }
    return x;
  }
}
