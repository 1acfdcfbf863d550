package dev.rnn4j.bench;

import dev.rnn4j.kernels.CacheHierarchy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The lower bounds of a batch-1 recurrent step and of a batch-1 whole-sequence forward pass on this machine, float32,
 * at the stream configuration (B=1, T=100, I=64, H=128), from the two resources a step spends:
 *
 * <ul>
 *   <li>FMA: a step multiplies every weight once, {@code G H (I + H)} multiply-adds (G = 4, 3, 1 for LSTM, GRU, RNN),
 *       at the FMA peak measured in this process ({@link PeakFma}).
 *   <li>Bandwidth: at batch 1 every weight is also loaded once per step and used for one FMA, so the step cannot be
 *       faster than reading the weights from the cache level that holds them. The level is derived from the caches
 *       the OS reports ({@link CacheHierarchy}): the smallest one at least as large as the weights. The rate is
 *       measured here: an 8-accumulator FMA loop over an array of exactly the weights' size, read again and again
 *       (so it stays in that level), over about 1 ms windows: the 90th percentile of their rates, since a bound is
 *       what the hardware sustains when nothing else runs, and on a shared core the slower windows are the ones
 *       another process interrupted.
 * </ul>
 *
 * <p>A step's bound is the larger of the two. The whole sequence computes the input projection of all T steps as one
 * GEMM (B T rows reuse each W_ih element: FMA-bound, not bandwidth-bound), so only W_hh streams per step: its bound is
 * the projection's FMA time plus T times the larger of W_hh's FMA and streaming time. The pointwise gate math is not
 * counted (it only adds). Prints one Markdown table.
 *
 * <pre>
 * tools/java --add-modules=jdk.incubator.vector -cp bench/target/benchmarks.jar dev.rnn4j.bench.StepBound
 * </pre>
 */
public final class StepBound {

  private static final VectorSpecies<Float> SP = FloatVector.SPECIES_PREFERRED;
  private static final RecurrentConfig SIZES = RecurrentConfig.STREAM;

  private StepBound() {}

  public static void main(String[] args) {
    CacheHierarchy caches = CacheHierarchy.detected();
    double peak = PeakFma.gflops(1.0);
    System.out.println("CPU: " + MachineInfo.cpu());
    System.out.println("caches: " + caches.describe());
    System.out.printf(Locale.ROOT, "FMA peak %.1f GFLOP/s (float32, %d-bit vectors), load %s%n%n", peak,
        SP.vectorBitSize(), MachineInfo.loadAverage());
    int in = SIZES.input();
    int h = SIZES.hidden();
    int t = SIZES.steps();
    System.out.println("| what (float32, B=1, I=64, H=128) | weights read | held in | FMA bound | "
        + "streaming bound (measured rate) | bound |");
    System.out.println("|---|---:|---|---:|---:|---:|");
    double whhStream = 0;
    double whhFma = 0;
    double projection = 0;
    for (String cell : new String[] {"LSTM", "GRU", "RNN"}) {
      int g = cell.equals("LSTM") ? 4 : cell.equals("GRU") ? 3 : 1;
      long weights = (long) g * h * (in + h);
      double fmaUs = 2.0 * weights / (peak * 1e3);
      double rate = streamRate((int) weights);
      double streamUs = weights * Float.BYTES / (rate * 1e3);
      row(cell + " streaming step", weights, caches, fmaUs, streamUs, rate);
      if (g == 4) {
        long hh = (long) g * h * h;
        whhFma = 2.0 * hh / (peak * 1e3);
        double hhRate = streamRate((int) hh);
        whhStream = hh * Float.BYTES / (hhRate * 1e3);
        projection = 2.0 * t * g * h * in / (peak * 1e3);
        row("LSTM step of the sequence (W_hh only)", hh, caches, whhFma, whhStream, hhRate);
      }
    }
    System.out.printf(Locale.ROOT, "| LSTM whole sequence T=%d: projection GEMM (FMA) + T x W_hh step | | | %.0f us |"
        + " | **%.0f us** |%n", t, projection + t * whhFma, projection + t * Math.max(whhFma, whhStream));
  }

  private static void row(String what, long weights, CacheHierarchy caches, double fmaUs, double streamUs,
                          double rate) {
    System.out.printf(Locale.ROOT, "| %s | %d KiB | %s | %.2f us | %.2f us (%.0f GB/s) | **%.2f us** |%n", what,
        weights * Float.BYTES / 1024, level(weights * Float.BYTES, caches), fmaUs, streamUs, rate,
        Math.max(fmaUs, streamUs));
  }

  /** The smallest cache level that holds {@code bytes}, per the OS's report. */
  static String level(long bytes, CacheHierarchy c) {
    if (bytes <= c.l1dBytes()) {
      return "L1d (" + c.l1dBytes() / 1024 + " KiB)";
    }
    if (bytes <= c.l2Bytes()) {
      return "L2 (" + c.l2Bytes() / 1024 + " KiB)";
    }
    if (c.l3Bytes() > 0 && bytes <= c.l3Bytes()) {
      return "L3 (" + c.l3Bytes() / 1024 + " KiB)";
    }
    return "memory";
  }

  /** GB/s of the FMA loop over an array of {@code floats} elements: 90th percentile of ~1 ms windows over ~1 s. */
  static double streamRate(int floats) {
    float[] w = new float[floats / (8 * SP.length()) * 8 * SP.length()];
    for (int i = 0; i < w.length; i++) {
      w[i] = (i % 7) * 0.001f;
    }
    int opsPerWindow = Math.max(1, (int) (2_000_000L / Math.max(1, w.length)));
    float sink = 0;
    long warm = System.nanoTime() + 1_000_000_000L;
    while (System.nanoTime() < warm) {
      sink += stream(w, 1.0001f);
    }
    List<Double> rates = new ArrayList<>();
    long end = System.nanoTime() + 1_000_000_000L;
    do {
      long t0 = System.nanoTime();
      for (int i = 0; i < opsPerWindow; i++) {
        sink += stream(w, 1.0001f);
      }
      rates.add((double) opsPerWindow * w.length * Float.BYTES / (System.nanoTime() - t0));
    } while (System.nanoTime() < end);
    if (Float.isNaN(sink)) {
      throw new AssertionError("stream loop diverged"); // keeps the loop's result alive
    }
    Collections.sort(rates);
    return rates.get(rates.size() * 9 / 10);
  }

  /** sum of x * w over w, eight independent accumulators (two FMA units of latency 4 need eight chains). */
  private static float stream(float[] w, float x) {
    int l = SP.length();
    FloatVector z = FloatVector.zero(SP);
    FloatVector a0 = z, a1 = z, a2 = z, a3 = z, a4 = z, a5 = z, a6 = z, a7 = z;
    FloatVector xv = FloatVector.broadcast(SP, x);
    for (int i = 0; i < w.length; i += 8 * l) {
      a0 = xv.fma(FloatVector.fromArray(SP, w, i), a0);
      a1 = xv.fma(FloatVector.fromArray(SP, w, i + l), a1);
      a2 = xv.fma(FloatVector.fromArray(SP, w, i + 2 * l), a2);
      a3 = xv.fma(FloatVector.fromArray(SP, w, i + 3 * l), a3);
      a4 = xv.fma(FloatVector.fromArray(SP, w, i + 4 * l), a4);
      a5 = xv.fma(FloatVector.fromArray(SP, w, i + 5 * l), a5);
      a6 = xv.fma(FloatVector.fromArray(SP, w, i + 6 * l), a6);
      a7 = xv.fma(FloatVector.fromArray(SP, w, i + 7 * l), a7);
    }
    return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).reduceLanes(VectorOperators.ADD);
  }
}
