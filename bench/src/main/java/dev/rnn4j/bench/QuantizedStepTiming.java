package dev.rnn4j.bench;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.nn.WeightFormat;
import dev.rnn4j.nn.recurrent.LSTM;
import dev.rnn4j.nn.recurrent.QuantizedRecurrentLayer;
import dev.rnn4j.nn.recurrent.QuantizedStreamState;
import dev.rnn4j.nn.recurrent.RecurrentOptions;
import dev.rnn4j.nn.recurrent.StreamState;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Tensor;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * The streaming step of {@link QuantizedStepBenchmark} (LSTM, B = 1, I = 512, H = 1024) in float32, bfloat16 and
 * int8, timed step by step in one JVM with the three formats interleaved: round after round, each format runs a
 * block of steps, in a rotating order. On a shared machine the load then falls on the three alike, so their ratios
 * hold even when the absolute times do not (JMH runs the formats one after the other, minutes apart).
 *
 * <pre>
 * tools/java --add-modules=jdk.incubator.vector -cp bench/target/benchmarks.jar dev.rnn4j.bench.QuantizedStepTiming [rounds [IxH]]
 * </pre>
 *
 * <p>{@code rounds} defaults to 60, {@code IxH} to the benchmark's 512x1024 ({@code 64x128}: the stream configuration).
 *
 * Prints per format the median, minimum, 99th percentile and mean time per step, the bytes allocated per step, and
 * the speed-ups of the medians and of the minimums over float32.
 */
public final class QuantizedStepTiming {

  private static final int BLOCK = 50;

  private QuantizedStepTiming() {}

  /** One stepper per format. */
  private interface Stepper {
    Tensor step(Tensor x);
  }

  public static void main(String[] args) {
    int rounds;
    int[] ih;
    try {
      rounds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
      ih = QuantizedStepBenchmark.sizes(args.length > 1 ? args[1] : QuantizedStepBenchmark.DEFAULT_SIZE);
      if (rounds < 1 || args.length > 2) {
        throw new IllegalArgumentException("expected at most two arguments, rounds >= 1");
      }
    } catch (IllegalArgumentException e) { // NumberFormatException included
      System.err.println("QuantizedStepTiming: " + e.getMessage() + "\nusage: QuantizedStepTiming [rounds [IxH]]"
          + " (defaults 60 and " + QuantizedStepBenchmark.DEFAULT_SIZE + ")");
      System.exit(2);
      return;
    }
    Kernels kernels = BenchKernels.forName("simd");
    int in = ih[0];
    int steps = QuantizedStepBenchmark.STEPS;
    float[] sequence = TestData.floats(steps * in, -1f, 1f, 42);
    Tensor[] inputs = new Tensor[steps];
    for (int t = 0; t < steps; t++) {
      inputs[t] = Tensor.wrap(sequence, t * in, 1, in);
    }
    LSTM lstm = new LSTM(new RecurrentOptions(in, ih[1]).seed(7));
    String[] names = {"float32", "bfloat16", "int8"};
    Stepper[] steppers = KernelScope.get(kernels, () -> {
      StreamState fs = lstm.newStreamState(1);
      QuantizedRecurrentLayer bf = lstm.quantize(WeightFormat.BFLOAT16);
      QuantizedStreamState bs = bf.newStreamState(1);
      QuantizedRecurrentLayer i8 = lstm.quantize(WeightFormat.INT8);
      QuantizedStreamState is = i8.newStreamState(1);
      return new Stepper[] {x -> lstm.step(x, fs), x -> bf.step(x, bs), x -> i8.step(x, is)};
    });
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().threadId();
    double sink = 0;
    // warm-up: every format until C2 has compiled its loop
    for (int f = 0; f < 3; f++) {
      long end = System.nanoTime() + 4_000_000_000L;
      for (int t = 0; System.nanoTime() < end; t++) {
        sink += steppers[f].step(inputs[t % steps]).floatData()[0];
      }
    }
    long[][] times = new long[3][rounds * BLOCK];
    long[] allocated = new long[3];
    int next = 0;
    for (int r = 0; r < rounds; r++) {
      for (int k = 0; k < 3; k++) {
        int f = (r + k) % 3;
        long before = mx.getThreadAllocatedBytes(tid);
        for (int s = 0; s < BLOCK; s++) {
          Tensor x = inputs[next];
          next = next + 1 == steps ? 0 : next + 1;
          long t0 = System.nanoTime();
          Tensor h = steppers[f].step(x);
          times[f][r * BLOCK + s] = System.nanoTime() - t0;
          sink += h.floatData()[0];
        }
        allocated[f] += mx.getThreadAllocatedBytes(tid) - before;
      }
    }
    System.out.println("LSTM streaming step, B=1 I=" + in + " H=" + ih[1] + ", " + rounds
        + " interleaved rounds of " + BLOCK + " steps per format");
    System.out.println("cpu: " + MachineInfo.cpu() + "; load average " + MachineInfo.loadAverage());
    double[] median = new double[3];
    double[] min = new double[3];
    for (int f = 0; f < 3; f++) {
      long[] t = times[f].clone();
      Arrays.sort(t);
      median[f] = t[t.length / 2] / 1e3;
      min[f] = t[0] / 1e3;
      double p99 = t[(int) Math.min(t.length - 1, Math.ceil(0.99 * t.length) - 1)] / 1e3;
      double mean = Arrays.stream(t).average().orElse(0) / 1e3;
      System.out.printf(Locale.ROOT, "%-9s median %8.1f us  min %8.1f us  p99 %8.1f us  mean %8.1f us  %.1f B/step%n",
          names[f], median[f], min[f], p99, mean, (double) allocated[f] / (rounds * BLOCK));
    }
    for (int f = 1; f < 3; f++) {
      System.out.printf(Locale.ROOT, "%-9s speed-up over float32: %.2fx (medians), %.2fx (minimums)%n", names[f],
          median[0] / median[f], min[0] / min[f]);
    }
    if (sink == 42) {
      System.out.println(); // keeps the results alive
    }
  }
}
