package dev.rnn4j.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The float32 FMA peak of one core measured inside a running process, for tools that are not JMH benchmarks
 * ({@link PhaseProfile}): {@link PeakFmaBenchmark#fp32()} in a loop, timed over short windows.
 */
final class PeakFma {

  /** Operations per timed window (about a millisecond each at this machine's peak). */
  private static final int OPS_PER_WINDOW = 256;

  private PeakFma() {}

  /**
   * GFLOP/s of the median window over about {@code seconds} of measuring, after as long again of warm-up (C2 must
   * have compiled the loop). The median, as JMH reports PeakFmaBenchmark's mean over whole seconds: the best of many
   * millisecond windows would pick those the core happened to run faster, and read a few percent higher.
   */
  static double gflops(double seconds) {
    PeakFmaBenchmark b = new PeakFmaBenchmark();
    float sink = 0;
    long warm = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < warm) {
      sink += b.fp32();
    }
    List<Double> rates = new ArrayList<>();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    do {
      long t0 = System.nanoTime();
      for (int i = 0; i < OPS_PER_WINDOW; i++) {
        sink += b.fp32();
      }
      long t = System.nanoTime() - t0;
      rates.add(OPS_PER_WINDOW * PeakFmaBenchmark.flopsPerOpF32() / t);
    } while (System.nanoTime() < end);
    if (Float.isNaN(sink)) {
      throw new AssertionError("FMA loop diverged"); // keeps the loop's result alive
    }
    Collections.sort(rates);
    return rates.get(rates.size() / 2);
  }
}
