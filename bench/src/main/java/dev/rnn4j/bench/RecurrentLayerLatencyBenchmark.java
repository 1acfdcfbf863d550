package dev.rnn4j.bench;

import dev.rnn4j.tensor.Parallelism;
import dev.rnn4j.tensor.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
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
 * The spread of single calls of the float32 layers through the public API: the same operations as
 * {@link RecurrentLayerBenchmark#forward()} (inference under {@code NoGrad}) and
 * {@link RecurrentLayerBenchmark#forwardBackward()} (zero the gradients, forward with autograd, backward), timed one
 * call at a time in JMH's sample-time mode, so that the report shows the minimum, the median and the 99th
 * percentile of the calls rather than a mean over an iteration. Run it with JMH's GC profiler ({@code -prof gc}):
 * {@code gc.alloc.rate.norm} is the bytes a call allocates, which should be its output tensors (and, with the
 * backward pass, the gradients) and almost nothing else; {@code gc.count} and {@code gc.time} show how often the
 * collector ran during the measurement.
 *
 * <p>Parameter {@code threads} is the library's thread count ({@link Parallelism#setThreads}) for the trial; the JVM
 * runs with its default flags besides {@code --add-modules=jdk.incubator.vector}. The warm-up is long enough for C2
 * to compile the kernels that run once per call (about 600 calls: a vector kernel that has not reached C2 boxes its
 * vectors, which shows as allocation and as slow calls).
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector -jar bench/target/benchmarks.jar RecurrentLayerLatencyBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class RecurrentLayerLatencyBenchmark {

  /** Cell: lstm, gru or rnn. */
  @Param({"lstm", "gru", "rnn"})
  public String cell;

  /** Kernel implementation. */
  @Param({"simd"})
  public String impl;

  /** {@link RecurrentConfig} name. */
  @Param({"stream", "train"})
  public String config;

  /** Library threads, caller included. */
  @Param({"1", "2"})
  public int threads;

  private RecurrentCase layer;
  private int savedThreads;

  @Setup
  public void setUp() {
    savedThreads = Parallelism.threads();
    Parallelism.setThreads(threads);
    layer = RecurrentCase.create(cell, impl, config);
  }

  @TearDown
  public void tearDown() {
    Parallelism.setThreads(savedThreads);
  }

  /** Inference over the sequence, public API. */
  @Benchmark
  public Tensor forward() {
    return layer.forward();
  }

  /**
   * Inference over the sequence on caller arrays ({@code RecurrentLayer.steps} from a zero stream state): the packed
   * weights are kept between calls and nothing is allocated, so no collection lands in the tail; runs on the calling
   * thread whatever {@code threads} says.
   */
  @Benchmark
  public float[] steps() {
    return layer.steps();
  }

  /** Zero the gradients, forward, backward of an output gradient of ones; public API. */
  @Benchmark
  public Tensor forwardBackward() {
    return layer.forwardBackward();
  }
}
