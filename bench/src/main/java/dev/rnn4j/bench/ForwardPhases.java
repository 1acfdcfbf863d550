package dev.rnn4j.bench;

import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.kernels.FloatPackedMatrix;
import dev.rnn4j.tensor.Parallelism;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The float32 LSTM forward pass taken apart: its products and its pointwise kernel timed alone, and put together in
 * the engine's order and in other orders, next to the layer itself (the public API and the array-level engine), all
 * on one thread of one process. It answers whether the layer loses time between its parts (operands evicted by the
 * other phases, gate rows read back from memory) or whether its time is the sum of its parts.
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector -cp bench/target/benchmarks.jar dev.rnn4j.bench.ForwardPhases \
 *     --config train
 * </pre>
 *
 * <p>Each row is timed by the calling thread's CPU time ({@link ThreadMXBean#getCurrentThreadCpuTime}), call by call,
 * and reported by its minimum, 10th percentile and median. On a machine shared with other work, wall-clock times
 * include the time the thread waited for a core; its CPU time does not (it still includes the cache misses that the
 * other work causes, which is why the minimum and the 10th percentile are the figures to compare). The rows repeat
 * the engine's kernel calls (the input projection in the engine's row chunks, one packed product and one
 * {@code lstmForward} per step), on seeded values, without its bookkeeping.
 */
@Command(name = "forward-phases", mixinStandardHelpOptions = true,
    description = "Times an LSTM forward pass's phases alone and together (thread CPU time).")
public final class ForwardPhases implements Callable<Integer> {

  /** Rows of one input-projection call, as the engine's row chunks ({@code WorkSplit.CHUNK_ROWS}). */
  private static final int PROJECTION_ROWS = 240;

  @Spec
  CommandSpec spec;

  @Option(names = "--config", defaultValue = "train",
      description = "stream, train or large (PERFORMANCE.md). Default: ${DEFAULT-VALUE}")
  String config;

  @Option(names = "--span", defaultValue = "2",
      description = "Steps per projection call in the interleaved orders. Default: ${DEFAULT-VALUE}")
  int span;

  @Option(names = "--warmup", defaultValue = "3", description = "Seconds of warm-up per row. Default: ${DEFAULT-VALUE}")
  double warmupSeconds;

  @Option(names = "--calls", defaultValue = "100", description = "Timed calls per row. Default: ${DEFAULT-VALUE}")
  int calls;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ForwardPhases()).execute(args));
  }

  @Override
  public Integer call() {
    CommandLine cmd = spec.commandLine();
    RecurrentConfig c;
    try {
      c = RecurrentConfig.named(config);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cmd, "--config: " + e.getMessage());
    }
    if (span < 1 || calls < 10 || !(warmupSeconds >= 0)) {
      throw new CommandLine.ParameterException(cmd, "--span must be >= 1, --calls >= 10 and --warmup >= 0; got span="
          + span + ", calls=" + calls + ", warmup=" + warmupSeconds);
    }
    Parallelism.setThreads(1);
    double peak = PeakFma.gflops(Math.min(1.0, Math.max(0.2, warmupSeconds / 3)));
    System.out.printf(Locale.ROOT, "LSTM forward phases, %s, simd kernels, 1 thread; FMA peak %.1f GFLOP/s "
        + "(PeakFmaBenchmark.fp32 in this process); thread CPU time per call over %d calls%n%n", c.describe(), peak,
        calls);
    System.out.println("| what | min ms | p10 ms | median ms | % of peak at p10 |");
    System.out.println("|---|---:|---:|---:|---:|");
    for (Row r : rows(c)) {
      double[] t = time(r.op, warmupSeconds, calls);
      String pct = r.flops > 0 ? String.format(Locale.ROOT, "%.1f%%", 100 * r.flops / (t[1] * 1e-3) / 1e9 / peak) : "";
      System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %s |%n", r.name, t[0], t[1], t[2], pct);
    }
    return 0;
  }

  private record Row(String name, double flops, Runnable op) {}

  /** The rows, in the order they run. */
  private List<Row> rows(RecurrentConfig c) {
    int b = c.batch();
    int steps = c.steps();
    int in = c.input();
    int h = c.hidden();
    int gh = 4 * h;
    int rows = steps * b;
    FloatKernels k = BenchKernels.forName("simd").f32();
    SplittableRandom random = new SplittableRandom(42);
    double bound = 1 / Math.sqrt(h);
    float[] x = uniform(rows * in, 1, random);
    float[] wih = uniform(gh * in, bound, random);
    float[] whh = uniform(gh * h, bound, random);
    float[] bias = uniform(gh, 2 * bound, random);
    FloatPackedMatrix ih = k.packB(true, in, gh, wih, 0, in, null);
    FloatPackedMatrix hh = k.packB(true, h, gh, whh, 0, h, null);
    float[] gates = new float[rows * gh];
    float[] sums = new float[rows * gh]; // where the product-only rows accumulate, so that the gates stay bounded
    float[] ring = new float[span * b * gh];
    float[] hs = uniform((steps + 1) * b * h, 0.5, random);
    float[] cs = uniform((steps + 1) * b * h, 0.5, random);
    double projectionFlops = 2.0 * rows * in * gh;
    double stepFlops = 2.0 * rows * h * gh;
    Runnable projection = () -> {
      for (int r = 0; r < rows; r += PROJECTION_ROWS) {
        k.gemmPackedBias(false, Math.min(PROJECTION_ROWS, rows - r), 1, x, r * in, in, ih, bias, 0, gates, r * gh,
            gh);
      }
    };
    // The product-only rows accumulate into sums (by at most 2 H |h| |w| per call, far from overflow in the calls a
    // row makes); the rows with the pointwise kernel work on the gates, which it maps into [-1, 1] in place.
    List<Row> list = new ArrayList<>();
    list.add(new Row("input projection (" + rows + " x " + in + " x " + gh + ", chunks of " + PROJECTION_ROWS
        + " rows)", projectionFlops, projection));
    list.add(new Row("step products, each step's own h and gate rows", stepFlops, () -> {
      for (int t = 0; t < steps; t++) {
        k.gemmPacked(false, b, 1, hs, t * b * h, h, hh, 1, sums, t * b * gh, gh);
      }
    }));
    list.add(new Row("step products, each step's own h, one gate block", stepFlops, () -> {
      for (int t = 0; t < steps; t++) {
        k.gemmPacked(false, b, 1, hs, t * b * h, h, hh, 1, sums, 0, gh);
      }
    }));
    list.add(new Row("step products, one h, each step's own gate rows", stepFlops, () -> {
      for (int t = 0; t < steps; t++) {
        k.gemmPacked(false, b, 1, hs, 0, h, hh, 1, sums, t * b * gh, gh);
      }
    }));
    list.add(new Row("step products, one h, one gate block", stepFlops, () -> {
      for (int t = 0; t < steps; t++) {
        k.gemmPacked(false, b, 1, hs, 0, h, hh, 1, sums, 0, gh);
      }
    }));
    list.add(new Row("pointwise (lstmForward) alone", 0, () -> {
      for (int t = 0; t < steps; t++) {
        pointwise(k, b, h, gates, t * b * gh, cs, hs, t);
      }
    }));
    list.add(new Row("engine order: projection of all steps, then the steps", projectionFlops + stepFlops, () -> {
      projection.run();
      for (int t = 0; t < steps; t++) {
        k.gemmPacked(false, b, 1, hs, t * b * h, h, hh, 1, gates, t * b * gh, gh);
        pointwise(k, b, h, gates, t * b * gh, cs, hs, t);
      }
    }));
    list.add(new Row("interleaved: " + span + " steps projected before they run", projectionFlops + stepFlops, () -> {
      for (int t = 0; t < steps; t++) {
        if (t % span == 0) {
          int m = Math.min(span, steps - t) * b;
          k.gemmPackedBias(false, m, 1, x, t * b * in, in, ih, bias, 0, gates, t * b * gh, gh);
        }
        k.gemmPacked(false, b, 1, hs, t * b * h, h, hh, 1, gates, t * b * gh, gh);
        pointwise(k, b, h, gates, t * b * gh, cs, hs, t);
      }
    }));
    list.add(new Row("interleaved into a ring of " + span + " steps' gate rows", projectionFlops + stepFlops, () -> {
      for (int t = 0; t < steps; t++) {
        int g = (t % span) * b * gh;
        if (g == 0) {
          int m = Math.min(span, steps - t) * b;
          k.gemmPackedBias(false, m, 1, x, t * b * in, in, ih, bias, 0, ring, 0, gh);
        }
        k.gemmPacked(false, b, 1, hs, t * b * h, h, hh, 1, ring, g, gh);
        pointwise(k, b, h, ring, g, cs, hs, t);
      }
    }));
    RecurrentCase layer = RecurrentCase.create("lstm", "simd", config);
    list.add(new Row("layer: array-level engine (FloatStackRunner)", projectionFlops + stepFlops,
        layer::engineForward));
    list.add(new Row("layer: public API forward under NoGrad", projectionFlops + stepFlops, layer::forward));
    return list;
  }

  private static void pointwise(FloatKernels k, int b, int h, float[] gates, int g, float[] cs, float[] hs, int t) {
    k.lstmForward(b, h, gates, g, cs, t * b * h, cs, (t + 1) * b * h, hs, (t + 1) * b * h);
  }

  /** Minimum, 10th percentile and median of the thread CPU time per call, in ms. */
  private static double[] time(Runnable op, double warmupSeconds, int calls) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long end = System.nanoTime() + (long) (warmupSeconds * 1e9);
    do {
      op.run();
    } while (System.nanoTime() < end);
    double[] ms = new double[calls];
    for (int i = 0; i < calls; i++) {
      long t0 = mx.getCurrentThreadCpuTime();
      op.run();
      ms[i] = (mx.getCurrentThreadCpuTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    return new double[] {ms[0], ms[calls / 10], ms[calls / 2]};
  }

  private static float[] uniform(int n, double bound, SplittableRandom random) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) random.nextDouble(-bound, bound);
    }
    return a;
  }
}
