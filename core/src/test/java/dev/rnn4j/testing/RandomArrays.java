package dev.rnn4j.testing;

import java.util.SplittableRandom;

/** Seeded random arrays for tests. */
public final class RandomArrays {

  private RandomArrays() {}

  /** {@code n} floats drawn uniformly from [-2, 2) with {@code seed}: the same array for the same seed. */
  public static float[] uniform(int n, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) rnd.nextDouble(-2, 2);
    }
    return a;
  }
}
