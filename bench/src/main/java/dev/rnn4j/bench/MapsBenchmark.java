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
 * Float32 elementwise maps over {@code size} elements, out of place: sigmoid, tanh, exp and relu on inputs uniform
 * in [-4, 4) (the range where gate activations live), log on (0.1, 10), and a row-wise softmax over rows of
 * {@value #SOFTMAX_COLS} columns (a character vocabulary; size / {@value #SOFTMAX_COLS} rows). The work unit is the
 * element, not the FLOP: transcendental maps cost different numbers of FLOPs per element in each implementation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class MapsBenchmark {

  /** Row length of the softmax benchmark. */
  public static final int SOFTMAX_COLS = 100;

  /** Kernel implementation. */
  @Param({"scalar", "simd"})
  public String impl;

  /** Elements per operation (a multiple of {@value #SOFTMAX_COLS}). */
  @Param({"1000", "100000"})
  public int size;

  private FloatKernels kernels;
  private float[] x;
  private float[] positive;
  private float[] y;

  @Setup
  public void setUp() {
    if (size % SOFTMAX_COLS != 0) {
      throw new IllegalArgumentException("maps benchmark: size " + size + " is not a multiple of " + SOFTMAX_COLS);
    }
    kernels = BenchKernels.forName(impl).f32();
    x = TestData.floats(size, -4f, 4f, 31);
    positive = TestData.floats(size, 0.1f, 10f, 32);
    y = new float[size];
  }

  @Benchmark
  public float[] sigmoid() {
    kernels.sigmoid(size, x, 0, y, 0);
    return y;
  }

  @Benchmark
  public float[] tanh() {
    kernels.tanh(size, x, 0, y, 0);
    return y;
  }

  @Benchmark
  public float[] exp() {
    kernels.exp(size, x, 0, y, 0);
    return y;
  }

  @Benchmark
  public float[] relu() {
    kernels.relu(size, x, 0, y, 0);
    return y;
  }

  @Benchmark
  public float[] log() {
    kernels.log(size, positive, 0, y, 0);
    return y;
  }

  @Benchmark
  public float[] softmax() {
    kernels.softmax(size / SOFTMAX_COLS, SOFTMAX_COLS, x, 0, SOFTMAX_COLS, y, 0, SOFTMAX_COLS);
    return y;
  }
}
