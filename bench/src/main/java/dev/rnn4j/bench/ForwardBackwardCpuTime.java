package dev.rnn4j.bench;

import dev.rnn4j.tensor.Parallelism;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * The calling thread's CPU time per public-API forward + backward ({@link RecurrentCase#forwardBackward}, as
 * {@code RecurrentLayerBenchmark.forwardBackward} calls it), float32, SIMD kernels: minimum, 10th percentile and
 * median of a number of calls after a warm-up. CPU time, unlike wall time, stays within a few percent while other
 * processes load the machine, so old and new builds can be compared in alternating runs on a shared machine. With
 * one library thread (the default here) every kernel runs on the calling thread, so its CPU time is the pass's.
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector -cp bench/target/benchmarks.jar dev.rnn4j.bench.ForwardBackwardCpuTime \
 *     lstm|gru|rnn stream|train|large calls warmupSeconds [threads]
 * </pre>
 */
public final class ForwardBackwardCpuTime {

  private ForwardBackwardCpuTime() {}

  /** Arguments: cell, configuration, calls, seconds of warm-up, library threads (default 1). */
  public static void main(String[] args) {
    if (args.length < 4) {
      throw new IllegalArgumentException("ForwardBackwardCpuTime: usage: cell config calls warmupSeconds [threads]");
    }
    String cell = args[0];
    String config = args[1];
    int calls = Integer.parseInt(args[2]);
    double warmSeconds = Double.parseDouble(args[3]);
    Parallelism.setThreads(args.length > 4 ? Integer.parseInt(args[4]) : 1);
    RecurrentCase c = RecurrentCase.create(cell, "simd", config);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long end = System.nanoTime() + (long) (warmSeconds * 1e9);
    while (System.nanoTime() < end) {
      c.forwardBackward();
    }
    long[] t = new long[calls];
    for (int i = 0; i < calls; i++) {
      long t0 = mx.getCurrentThreadCpuTime();
      c.forwardBackward();
      t[i] = mx.getCurrentThreadCpuTime() - t0;
    }
    Arrays.sort(t);
    System.out.printf("%s %s fwd+bwd thread CPU ms: min %.2f p10 %.2f median %.2f%n", cell, config, t[0] / 1e6,
        t[calls / 10] / 1e6, t[calls / 2] / 1e6);
  }
}
