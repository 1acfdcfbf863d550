package dev.rnn4j.bench;

import dev.rnn4j.kernels.FloatKernels;
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
 * Float32 matrix-vector product {@code y = A x}, A stored {@code m x n} row-major ({@code "MxN"}): 128x192 is the
 * size of a small recurrent step at batch 1, 1024x1024 (4 MiB) no longer fits in L2. {@code 2 * m * n} FLOPs per
 * operation; GEMV is memory-bound (one multiply-add per matrix element loaded), so its fraction of the FMA peak is
 * expected to be low.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class GemvBenchmark {

  /** Kernel implementation. */
  @Param({"scalar", "simd"})
  public String impl;

  /** {@code "MxN"}: rows x columns of A. */
  @Param({"128x192", "1024x1024"})
  public String shape;

  private FloatKernels kernels;
  private int m;
  private int n;
  private float[] a;
  private float[] x;
  private float[] y;

  @Setup
  public void setUp() {
    kernels = BenchKernels.forName(impl).f32();
    int[] mn = parse(shape);
    m = mn[0];
    n = mn[1];
    a = TestData.floats(m * n, -1f, 1f, 21);
    x = TestData.floats(n, -1f, 1f, 22);
    y = new float[m];
  }

  /** Parses {@code "MxN"}. */
  static int[] parse(String shape) {
    String[] p = shape.split("x", -1);
    if (p.length != 2) {
      throw new IllegalArgumentException("gemv shape: expected MxN, got '" + shape + "'");
    }
    return new int[] {Integer.parseInt(p[0].strip()), Integer.parseInt(p[1].strip())};
  }

  @Benchmark
  public float[] sgemv() {
    kernels.gemv(false, m, n, 1f, a, 0, n, x, 0, 0f, y, 0);
    return y;
  }
}
