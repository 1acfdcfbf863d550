package dev.rnn4j.bench;

import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.kernels.FloatPackedMatrix;
import dev.rnn4j.nn.recurrent.internal.WorkSplit;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.Parallelism;
import dev.rnn4j.tensor.Tensor;
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
 * The float32 LSTM, GRU or RNN (tanh) forward pass taken apart: its products and its pointwise kernel timed alone,
 * and put together in the engine's order and in other orders, the layer's per-pass work besides them (copies,
 * allocations, the bias fold) piece by piece, next to the layer itself (the public API and the array-level engine),
 * all on one thread of one process. It answers whether the layer loses time between its parts (operands evicted by the
 * other phases, gate rows read back from memory) or whether its time is the sum of its parts.
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector -cp bench/target/benchmarks.jar dev.rnn4j.bench.ForwardPhases \
 *     --config train --cell gru
 * </pre>
 *
 * <p>Each row is timed by the calling thread's CPU time ({@link ThreadMXBean#getCurrentThreadCpuTime}), call by call,
 * and reported by its minimum, 10th percentile and median. On a machine shared with other work, wall-clock times
 * include the time the thread waited for a core; its CPU time does not (it still includes the cache misses that the
 * other work causes, which is why the minimum and the 10th percentile are the figures to compare). The rows repeat
 * the engine's kernel calls (the input projection in the engine's row chunks, one packed product and one
 * pointwise kernel per step: {@code lstmForward}, {@code gruForward} or {@code tanh}), on seeded values, without its
 * bookkeeping.
 */
@Command(name = "forward-phases", mixinStandardHelpOptions = true,
    description = "Times a recurrent forward pass's phases alone and together (thread CPU time).")
public final class ForwardPhases implements Callable<Integer> {

  /** Rows of one input-projection call: the engine's row chunks. */
  private static final int PROJECTION_ROWS = WorkSplit.CHUNK_ROWS;

  @Spec
  CommandSpec spec;

  @Option(names = "--config", defaultValue = "train",
      description = "stream, train or large (PERFORMANCE.md). Default: ${DEFAULT-VALUE}")
  String config;

  @Option(names = "--cell", defaultValue = "lstm",
      description = "lstm, gru or rnn (tanh). Default: ${DEFAULT-VALUE}")
  String cell;

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
    if (!cell.equals("lstm") && !cell.equals("gru") && !cell.equals("rnn")) {
      throw new CommandLine.ParameterException(cmd, "--cell: expected lstm, gru or rnn, got '" + cell + "'");
    }
    if (span < 1 || calls < 10 || !(warmupSeconds >= 0)) {
      throw new CommandLine.ParameterException(cmd, "--span must be >= 1, --calls >= 10 and --warmup >= 0; got span="
          + span + ", calls=" + calls + ", warmup=" + warmupSeconds);
    }
    Parallelism.setThreads(1);
    double peak = PeakFma.gflops(Math.min(1.0, Math.max(0.2, warmupSeconds / 3)));
    System.out.printf(Locale.ROOT, "%s forward phases, %s, simd kernels, 1 thread; FMA peak %.1f GFLOP/s "
        + "(PeakFmaBenchmark.fp32 in this process); thread CPU time per call over %d calls%n%n",
        cell.toUpperCase(Locale.ROOT), c.describe(), peak,
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
    int gates4 = switch (cell) {
      case "lstm" -> 4;
      case "gru" -> 3;
      default -> 1;
    };
    int gh = gates4 * h;
    int rows = steps * b;
    int bh = b * h;
    FloatKernels k = BenchKernels.forName("simd").f32();
    SplittableRandom random = new SplittableRandom(42);
    double bound = 1 / Math.sqrt(h);
    float[] x = uniform(rows * in, 1, random);
    float[] wih = uniform(gh * in, bound, random);
    float[] whh = uniform(gh * h, bound, random);
    float[] bias = uniform(gh, 2 * bound, random);
    float[] bias2 = uniform(gh, 2 * bound, random);
    float[] folded = new float[gh];
    FloatPackedMatrix ih = k.packB(true, in, gh, wih, 0, in, null);
    FloatPackedMatrix hh = k.packB(true, h, gh, whh, 0, h, null);
    float[] gates = new float[rows * gh];
    float[] sums = new float[rows * gh]; // where the product-only rows accumulate, so that the gates stay bounded
    // the engine's ring (WorkSplit.ringSteps: a quarter of L2), as a one-thread forward under NoGrad keeps it
    int ringSteps = Math.max(1, Math.min(steps, WorkSplit.ringSteps(b, gh, Float.BYTES)));
    float[] ring = new float[ringSteps * b * gh];
    float[] ghs = new float[rows * gh]; // GRU: the recurrent projections of every step
    float[] ghRing = new float[ringSteps * b * gh];
    float[] hs = uniform((steps + 1) * bh, 0.5, random);
    float[] cs = uniform((steps + 1) * bh, 0.5, random);
    float[] xCopy = new float[rows * in];
    float[] outCopy = new float[rows * h];
    double projectionFlops = 2.0 * rows * in * gh;
    double stepFlops = 2.0 * rows * h * gh;
    Runnable projection = () -> {
      for (int r = 0; r < rows; r += PROJECTION_ROWS) {
        k.gemmPackedBias(false, Math.min(PROJECTION_ROWS, rows - r), 1, x, r * in, in, ih, bias, 0, gates, r * gh,
            gh);
      }
    };
    // The product-only rows accumulate into sums (by at most 2 H |h| |w| per call, far from overflow in the calls a
    // row makes); the rows with the pointwise kernel work on the gates, which it maps into [-1, 1] in place. The GRU's
    // recurrent product writes its own array (with b_hn, beta 0), as the GRU cell does.
    boolean gru = gates4 == 3;
    String pointwiseName = switch (cell) {
      case "lstm" -> "lstmForward";
      case "gru" -> "gruForward";
      default -> "tanh";
    };
    List<Row> list = new ArrayList<>();
    list.add(new Row("input projection (" + rows + " x " + in + " x " + gh + ", chunks of " + PROJECTION_ROWS
        + " rows)", projectionFlops, projection));
    list.add(new Row("step products, each step's own h and gate rows", stepFlops, () -> {
      for (int t = 0; t < steps; t++) {
        stepProduct(k, gru, b, h, hs, t * bh, hh, bias2, gru ? ghs : sums, t * b * gh, gh);
      }
    }));
    if (cell.equals("lstm")) {
      list.add(new Row("step products, each step's own h, one gate block", stepFlops, () -> {
        for (int t = 0; t < steps; t++) {
          k.gemmPacked(false, b, 1, hs, t * bh, h, hh, 1, sums, 0, gh);
        }
      }));
      list.add(new Row("step products, one h, each step's own gate rows", stepFlops, () -> {
        for (int t = 0; t < steps; t++) {
          k.gemmPacked(false, b, 1, hs, 0, h, hh, 1, sums, t * b * gh, gh);
        }
      }));
    }
    list.add(new Row("step products, one h, one gate block", stepFlops, () -> {
      for (int t = 0; t < steps; t++) {
        stepProduct(k, gru, b, h, hs, 0, hh, bias2, gru ? ghs : sums, 0, gh);
      }
    }));
    list.add(new Row("pointwise (" + pointwiseName + ") alone", 0, () -> {
      for (int t = 0; t < steps; t++) {
        pointwise(k, b, h, gates, t * b * gh, ghs, t * b * gh, cs, hs, t);
      }
    }));
    list.add(new Row("engine order: projection of all steps, then the steps", projectionFlops + stepFlops, () -> {
      projection.run();
      for (int t = 0; t < steps; t++) {
        stepProduct(k, gru, b, h, hs, t * bh, hh, bias2, gru ? ghs : gates, t * b * gh, gh);
        pointwise(k, b, h, gates, t * b * gh, ghs, t * b * gh, cs, hs, t);
      }
    }));
    if (cell.equals("lstm")) {
      list.add(new Row("interleaved: " + span + " steps projected before they run", projectionFlops + stepFlops,
          () -> {
            for (int t = 0; t < steps; t++) {
              if (t % span == 0) {
                int m = Math.min(span, steps - t) * b;
                k.gemmPackedBias(false, m, 1, x, t * b * in, in, ih, bias, 0, gates, t * b * gh, gh);
              }
              k.gemmPacked(false, b, 1, hs, t * bh, h, hh, 1, gates, t * b * gh, gh);
              pointwise(k, b, h, gates, t * b * gh, ghs, 0, cs, hs, t);
            }
          }));
    }
    list.add(new Row("engine order into a ring of " + ringSteps + " steps' gate rows (the NoGrad pass)",
        projectionFlops + stepFlops, () -> {
          for (int t = 0; t < steps; t++) {
            int g = (t % ringSteps) * b * gh;
            if (g == 0) {
              int m = Math.min(ringSteps, steps - t) * b;
              k.gemmPackedBias(false, m, 1, x, t * b * in, in, ih, bias, 0, ring, 0, gh);
            }
            stepProduct(k, gru, b, h, hs, t * bh, hh, bias2, gru ? ghRing : ring, g, gh);
            pointwise(k, b, h, ring, g, ghRing, g, cs, hs, t);
          }
        }));
    // The layer's work besides the phases above, each piece alone on warm arrays (in the pass they are colder).
    list.add(new Row("piece: copy of x into the runner's input rows (" + rows + " x " + in + ")", 0,
        () -> k.copy(rows * in, x, 0, xCopy, 0)));
    list.add(new Row("piece: copy of the outputs out of the state slots (" + rows + " x " + h + ")", 0,
        () -> k.copy(rows * h, hs, bh, outCopy, 0)));
    list.add(new Row("piece: new output tensors (Tensor.zeros [T, B, H], [1, B, H]" + (gates4 == 4 ? " x 2" : "")
        + ")", 0, () -> {
          sink = Tensor.zeros(DType.FLOAT32, steps, b, h);
          sink = Tensor.zeros(DType.FLOAT32, 1, b, h);
          if (gates4 == 4) {
            sink = Tensor.zeros(DType.FLOAT32, 1, b, h);
          }
        }));
    list.add(new Row("piece: bias fold (b_ih + b_hh, " + gh + ")", 0,
        () -> k.add(gh, bias, 0, bias2, 0, folded, 0)));
    list.add(new Row("piece: initial state slot copied (B x H" + (gates4 == 4 ? ", h and c" : "") + ")", 0, () -> {
      k.copy(bh, hs, bh, cs, 0);
      if (gates4 == 4) {
        k.copy(bh, cs, bh, hs, 0);
      }
    }));
    RecurrentCase layer = RecurrentCase.create(cell, "simd", config);
    list.add(new Row("layer: array-level engine as the benchmarks call it (keeps the trace, packs per call)",
        projectionFlops + stepFlops, layer::engineForward));
    list.add(new Row("layer: array-level engine, forward only, kept pack (the NoGrad pass without tensors)",
        projectionFlops + stepFlops, layer::engineForwardOnly));
    list.add(new Row("layer: public API forward under NoGrad", projectionFlops + stepFlops, layer::forward));
    return list;
  }

  /** Keeps the allocations of the tensor row from being optimised away. */
  private static volatile Object sink;

  /**
   * One step's recurrent product: accumulated into the gate rows (LSTM, RNN), or into the GRU's own rows with its
   * recurrent bias in the epilogue.
   */
  private static void stepProduct(FloatKernels k, boolean gru, int b, int h, float[] hs, int hOff,
                                  FloatPackedMatrix hh, float[] bias, float[] c, int cOff, int gh) {
    if (gru) {
      k.gemmPackedBias(false, b, 1, hs, hOff, h, hh, bias, 0, c, cOff, gh);
    } else {
      k.gemmPacked(false, b, 1, hs, hOff, h, hh, 1, c, cOff, gh);
    }
  }

  private void pointwise(FloatKernels k, int b, int h, float[] gates, int g, float[] ghs, int ghOff, float[] cs,
                         float[] hs, int t) {
    switch (cell) {
      case "lstm" -> k.lstmForward(b, h, gates, g, cs, t * b * h, cs, (t + 1) * b * h, hs, (t + 1) * b * h);
      case "gru" -> k.gruForward(b, h, gates, g, ghs, ghOff, hs, t * b * h, hs, (t + 1) * b * h);
      default -> k.tanh(b * h, gates, g, hs, (t + 1) * b * h);
    }
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
