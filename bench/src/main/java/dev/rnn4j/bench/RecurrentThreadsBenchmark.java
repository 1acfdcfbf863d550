package dev.rnn4j.bench;

import dev.rnn4j.kernels.FloatKernels;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.nn.recurrent.CellKind;
import dev.rnn4j.nn.recurrent.internal.FloatEngineWeights;
import dev.rnn4j.nn.recurrent.internal.FloatRecurrentEngine;
import dev.rnn4j.tensor.Parallelism;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One float32 layer direction on the selected kernels at the standard configurations, one thread vs several
 * ({@link Parallelism#setThreads}): forward, and forward + backward. The speedup is the ratio of the scores at
 * {@code threads=1} and {@code threads=2}; the results themselves are the same bits for every thread count.
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector -jar bench/target/benchmarks.jar RecurrentThreadsBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class RecurrentThreadsBenchmark {

  /** train: B=32, T=100, I=128, H=256; large: B=64, T=50, I=512, H=512 (see shared PERFORMANCE.md). */
  @Param({"train", "large"})
  public String config;

  @Param({"LSTM"})
  public String cell;

  @Param({"1", "2"})
  public int threads;

  private FloatRecurrentEngine engine;
  private FloatEngineWeights w;
  private FloatEngineWeights grads;
  private FloatRecurrentEngine.Trace trace;
  private float[] x;
  private float[] dOut;
  private float[] dx;
  private float[] dWih;
  private float[] dWhh;
  private float[] dbih;
  private float[] dbhh;
  private int steps;
  private int batch;
  private int[] batchSizes;
  private int savedThreads;

  @Setup(Level.Trial)
  public void setUp() {
    int inputSize;
    int hidden;
    switch (config) {
      case "train" -> {
        batch = 32;
        steps = 100;
        inputSize = 128;
        hidden = 256;
      }
      case "large" -> {
        batch = 64;
        steps = 50;
        inputSize = 512;
        hidden = 512;
      }
      default -> throw new IllegalArgumentException("RecurrentThreadsBenchmark: unknown config " + config);
    }
    savedThreads = Parallelism.threads();
    Parallelism.setThreads(threads);
    CellKind kind = CellKind.valueOf(cell);
    FloatKernels k = Kernels.get().f32();
    engine = new FloatRecurrentEngine(k, kind, inputSize, hidden);
    int gh = kind.gates() * hidden;
    SplittableRandom rnd = new SplittableRandom(42);
    float bound = (float) (1 / Math.sqrt(hidden));
    w = new FloatEngineWeights(gh).set(uniform(rnd, gh * inputSize, bound), 0,
        uniform(rnd, gh * hidden, bound), 0, uniform(rnd, gh, bound), 0, uniform(rnd, gh, bound), 0);
    trace = new FloatRecurrentEngine.Trace();
    trace.consumeOnBackward(true); // as the public API's backward without retainGraph
    x = uniform(rnd, steps * batch * inputSize, 1);
    dOut = uniform(rnd, steps * batch * hidden, 1);
    dx = new float[x.length];
    dWih = new float[gh * inputSize];
    dWhh = new float[gh * hidden];
    dbih = new float[gh];
    dbhh = new float[gh];
    grads = new FloatEngineWeights(gh).set(dWih, 0, dWhh, 0, dbih, 0, dbhh, 0);
    batchSizes = new int[steps];
    Arrays.fill(batchSizes, batch);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    Parallelism.setThreads(savedThreads);
  }

  private static float[] uniform(SplittableRandom rnd, int n, float bound) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) rnd.nextDouble(-bound, bound);
    }
    return a;
  }

  @Benchmark
  public float[] forward() {
    engine.forward(new FloatRecurrentEngine.Sequence(x, 0, steps, batch, batchSizes, false), w,
        FloatRecurrentEngine.States.NONE, trace);
    return trace.states();
  }

  @Benchmark
  public float[] forwardBackward() {
    engine.forward(new FloatRecurrentEngine.Sequence(x, 0, steps, batch, batchSizes, false), w,
        FloatRecurrentEngine.States.NONE, trace);
    engine.backward(trace, w, new FloatRecurrentEngine.OutputGradients(dOut, 0, engine.hidden()),
        FloatRecurrentEngine.States.NONE, grads, dx, 0, FloatRecurrentEngine.States.NONE);
    return dWhh;
  }
}
