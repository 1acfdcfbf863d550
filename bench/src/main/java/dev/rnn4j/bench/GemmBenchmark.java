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
 * Float32 GEMM with the SIMD kernels at every size: the squares 64 ... 1024 (127 is odd on purpose: it exercises
 * the tails) and the recurrent shapes: M=3200 K=128 N=1024 (input projection, train configuration),
 * M=32 K=256 N=1024 (one recurrent step, train) and M=64 K=512 N=2048 (one recurrent step, large).
 * The scalar spec is measured by {@link GemmScalarBenchmark} at the sizes where it finishes in reasonable time.
 *
 * <p>{@code sgemmPacked} measures the same products with B packed beforehand, as the layers use W_hh.
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
public class GemmBenchmark {

  /** Kernel implementation. */
  @Param({"simd"})
  public String impl;

  /** {@code "MxKxN"}. */
  @Param({"64x64x64", "127x127x127", "256x256x256", "512x512x512", "1024x1024x1024",
      "3200x128x1024", "32x256x1024", "64x512x2048"})
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

  /**
   * The same product with B packed once in the setup ({@code FloatKernels.packB}, not timed) and multiplied with
   * {@code gemmPacked}: how the recurrent layers multiply by their weight matrices at every time step.
   */
  @Benchmark
  public float[] sgemmPacked() {
    return gemm.sgemmPacked();
  }
}
