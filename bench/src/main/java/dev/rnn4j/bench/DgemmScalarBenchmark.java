package dev.rnn4j.bench;

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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Float64 GEMM with the scalar spec at the small sizes, for the scalar/SIMD ratio against {@link DgemmBenchmark}.
 *
 * <p>One operation is {@code C = A * B} for the shape {@code "MxKxN"} (see {@link GemmShape}): {@code 2 * M * N * K}
 * FLOPs. Throughput in operations per second; GFLOP/s = ops/s * 2MNK / 1e9.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class DgemmScalarBenchmark {

  /** Kernel implementation. */
  @Param({"scalar"})
  public String impl;

  /** {@code "MxKxN"}. */
  @Param({"64x64x64", "256x256x256"})
  public String shape;

  private GemmCase gemm;

  @Setup
  public void setUp() {
    gemm = GemmCase.f64(impl, shape);
  }

  @Benchmark
  public double[] dgemm() {
    return gemm.dgemm();
  }
}
