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
 * The float32 recurrent layers (LSTM, GRU with reset after as in PyTorch, tanh RNN; one layer, unidirectional) with
 * the SIMD kernels at the three standard configurations of {@link RecurrentConfig}, forward and forward plus backward
 * through time, through the public layer API and on the array-level engine (see {@link RecurrentCase}).
 * {@link RecurrentLayerScalarBenchmark} measures the scalar spec at the stream configuration, for the scalar/SIMD
 * ratio.
 *
 * <p>One library thread ({@code Parallelism.setThreads(1)} for the trial): the targets are per core, and
 * {@link RecurrentThreadsBenchmark} measures two.
 *
 * <p>Work (GEMM FLOPs, G = 4 for LSTM, 3 for GRU, 1 for RNN): forward {@code F = 2 * B * T * (I + H) * G * H},
 * forward + backward {@code 3 F}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class RecurrentLayerBenchmark {

  /** Cell: lstm, gru or rnn. */
  @Param({"lstm", "gru", "rnn"})
  public String cell;

  /** Kernel implementation. */
  @Param({"simd"})
  public String impl;

  /** {@link RecurrentConfig} name. */
  @Param({"stream", "train", "large"})
  public String config;

  private RecurrentCase layer;
  private int savedThreads;

  @Setup
  public void setUp() {
    savedThreads = Parallelism.threads();
    Parallelism.setThreads(1);
    layer = RecurrentCase.create(cell, impl, config);
    layer.checkEngineMatchesLayer();
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

  /** Forward on the array-level engine. */
  @Benchmark
  public float[] engineForward() {
    return layer.engineForward();
  }

  /** Forward and backward on the array-level engine. */
  @Benchmark
  public float[] engineForwardBackward() {
    return layer.engineForwardBackward();
  }
}
