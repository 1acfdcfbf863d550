package dev.rnn4j.bench;

import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.nn.recurrent.CellKind;
import dev.rnn4j.nn.recurrent.internal.FloatEngineWeights;
import dev.rnn4j.nn.recurrent.internal.FloatRecurrentEngine;
import dev.rnn4j.tensor.Parallelism;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * How the work of one LSTM layer is shared between threads, measured in CPU time rather than wall time, so that it
 * means something on a machine that other processes load: for 1 and 2 threads, the wall time per operation, the CPU
 * time of all threads that took part, and the CPU time of the busiest one. {@code total / busiest} is the speedup
 * the split allows when every thread has a core of its own (it ignores memory-bandwidth sharing); equal totals for 1
 * and 2 threads show that splitting adds no work. Wall-clock speedups come from {@link RecurrentThreadsBenchmark} on
 * a quiet machine.
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector -cp bench/target/benchmarks.jar dev.rnn4j.bench.RecurrentThreadsCpuSplit \
 *     train|large fwd|fwdbwd [iterations]
 * </pre>
 */
public final class RecurrentThreadsCpuSplit {

  private RecurrentThreadsCpuSplit() {}

  /** Arguments: configuration (train or large), pass (fwd or fwdbwd), iterations (default 10). */
  public static void main(String[] args) {
    if (args.length < 2) {
      throw new IllegalArgumentException("RecurrentThreadsCpuSplit: usage: train|large fwd|fwdbwd [iterations]");
    }
    boolean large = switch (args[0]) {
      case "train" -> false;
      case "large" -> true;
      default -> throw new IllegalArgumentException("RecurrentThreadsCpuSplit: unknown config " + args[0]);
    };
    boolean backward = args[1].equals("fwdbwd");
    int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int batch = large ? 64 : 32;
    int steps = large ? 50 : 100;
    int inputSize = large ? 512 : 128;
    int hidden = large ? 512 : 256;
    FloatKernels k = Kernels.get().f32();
    FloatRecurrentEngine e = new FloatRecurrentEngine(k, CellKind.LSTM, inputSize, hidden);
    int gh = 4 * hidden;
    SplittableRandom rnd = new SplittableRandom(1);
    FloatEngineWeights w = new FloatEngineWeights(gh).set(uniform(rnd, gh * inputSize), 0,
        uniform(rnd, gh * hidden), 0, uniform(rnd, gh), 0, uniform(rnd, gh), 0);
    Pass pass = new Pass(e, w, steps, batch, inputSize, hidden, gh, rnd, backward);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long caller = Thread.currentThread().threadId();
    int saved = Parallelism.threads();
    for (int threads : new int[] {1, 2, 1, 2}) {
      Parallelism.setThreads(threads);
      for (int i = 0; i < iterations / 2; i++) {
        pass.run();
      }
      Map<Long, Long> before = new HashMap<>();
      for (long id : mx.getAllThreadIds()) {
        before.put(id, mx.getThreadCpuTime(id));
      }
      long t0 = System.nanoTime();
      for (int i = 0; i < iterations; i++) {
        pass.run();
      }
      long wall = System.nanoTime() - t0;
      long total = 0;
      long busiest = 0;
      for (long id : mx.getAllThreadIds()) {
        ThreadInfo info = mx.getThreadInfo(id);
        if (info == null || (id != caller && !info.getThreadName().startsWith("rnn4j-worker-"))) {
          continue;
        }
        long cpu = mx.getThreadCpuTime(id) - before.getOrDefault(id, 0L);
        total += cpu;
        busiest = Math.max(busiest, cpu);
      }
      System.out.printf("%s LSTM %s threads=%d: wall %.1f ms/op, cpu of all threads %.1f ms/op, busiest thread "
              + "%.1f ms/op, total/busiest %.2f%n", args[0], backward ? "fwd+bwd" : "fwd", threads,
          wall / 1e6 / iterations, total / 1e6 / iterations, busiest / 1e6 / iterations, (double) total / busiest);
    }
    Parallelism.setThreads(saved);
  }

  private static float[] uniform(SplittableRandom rnd, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) rnd.nextDouble(-0.0625, 0.0625);
    }
    return a;
  }

  /** One forward (and backward) pass with its buffers. */
  private static final class Pass {
    final FloatRecurrentEngine e;
    final FloatEngineWeights w;
    final FloatEngineWeights grads;
    final FloatRecurrentEngine.Trace trace = new FloatRecurrentEngine.Trace();
    final int steps;
    final int batch;
    final int[] batchSizes;
    final boolean backward;
    final float[] x;
    final float[] dOut;
    final float[] dx;
    final float[] dWih;
    final float[] dWhh;
    final float[] dbih;
    final float[] dbhh;

    Pass(FloatRecurrentEngine e, FloatEngineWeights w, int steps, int batch, int inputSize, int hidden,
         int gh, SplittableRandom rnd, boolean backward) {
      this.e = e;
      this.w = w;
      this.steps = steps;
      this.batch = batch;
      this.backward = backward;
      trace.consumeOnBackward(true); // as the public API's backward without retainGraph
      batchSizes = new int[steps];
      Arrays.fill(batchSizes, batch);
      x = uniform(rnd, steps * batch * inputSize);
      dOut = uniform(rnd, steps * batch * hidden);
      dx = new float[x.length];
      dWih = new float[gh * inputSize];
      dWhh = new float[gh * hidden];
      dbih = new float[gh];
      dbhh = new float[gh];
      grads = new FloatEngineWeights(gh).set(dWih, 0, dWhh, 0, dbih, 0, dbhh, 0);
    }

    void run() {
      e.forward(new FloatRecurrentEngine.Sequence(x, 0, steps, batch, batchSizes, false), w,
        FloatRecurrentEngine.States.NONE, trace);
      if (backward) {
        e.backward(trace, w, new FloatRecurrentEngine.OutputGradients(dOut, 0, e.hidden()),
        FloatRecurrentEngine.States.NONE, grads, dx, 0, FloatRecurrentEngine.States.NONE);
      }
    }
  }
}
