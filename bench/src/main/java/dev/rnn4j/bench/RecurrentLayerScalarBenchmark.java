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
 * The float32 recurrent layers (LSTM, GRU, RNN) with the scalar spec, only at the stream configuration: at train and
 * large one forward plus backward with the spec's naive GEMM takes many seconds. Together with
 * {@link RecurrentLayerBenchmark} at the same configuration this gives the scalar/SIMD ratio of each layer. Public API
 * only (see {@link RecurrentCase}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class RecurrentLayerScalarBenchmark {

  /** Cell: lstm, gru or rnn. */
  @Param({"lstm", "gru", "rnn"})
  public String cell;

  /** Kernel implementation. */
  @Param({"scalar"})
  public String impl;

  /** {@link RecurrentConfig} name. */
  @Param({"stream"})
  public String config;

  private RecurrentCase layer;
  private int savedThreads;

  @Setup
  public void setUp() {
    savedThreads = Parallelism.threads();
    Parallelism.setThreads(1);
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

  /** Zero the gradients, forward, backward of an output gradient of ones; public API. */
  @Benchmark
  public Tensor forwardBackward() {
    return layer.forwardBackward();
  }
}
