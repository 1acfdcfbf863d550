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
 * Float32 GEMM with the scalar spec, only at the sizes where its naive triple loop finishes quickly (up to a few
 * tens of milliseconds per operation). Together with {@link GemmBenchmark} at the same shapes this gives the
 * scalar/SIMD ratio; the larger shapes are measured for SIMD only.
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
public class GemmScalarBenchmark {

  /** Kernel implementation. */
  @Param({"scalar"})
  public String impl;

  /** {@code "MxKxN"}. */
  @Param({"64x64x64", "127x127x127", "256x256x256", "32x256x1024"})
  public String shape;

  private GemmCase gemm;

  @Setup
  public void setUp() {
    gemm = GemmCase.f32(impl, shape);
  }

  @Benchmark
  public float[] sgemm() {
    return gemm.sgemm();
  }
}
