package dev.rnn4j.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The FMA roofline of one core, measured with the Vector API in the same run as the other benchmarks so that
 * every figure can be stated as a fraction of it.
 *
 * <p>Each operation runs {@value #ITERATIONS} iterations of {@value #ACCUMULATORS} independent vector FMAs on
 * registers ({@code acc_i = acc_i * m + c}), with no memory traffic. Independent accumulators hide the FMA latency:
 * with latency L cycles and P FMA issues per cycle, at least L * P chains are needed to keep the units busy (4 x 2
 * for 256-bit halves on Zen 4, 4 x 2 on most Intel cores); 12 leave headroom while staying well inside the 16 (AVX2)
 * or 32 (AVX-512) vector registers, so nothing spills. The accumulators start at different values so that the
 * compiler cannot merge identical chains, and the operands come from fields so that nothing folds to a constant.
 * {@code m < 1} and {@code c > 0} make each chain converge to {@code c / (1 - m)}: no overflow, no subnormals.
 *
 * <p>FLOPs per operation: {@code 2 * lanes * ACCUMULATORS * ITERATIONS} (see {@link #flopsPerOpF32()},
 * {@link #flopsPerOpF64()}); the final lane reduction is not counted. The fixed inner loop is deliberate: it IS the
 * measured unit (JMH's loop advice concerns loops around the operation under test), and its result is returned so
 * that it cannot be eliminated as dead code.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class PeakFmaBenchmark {

  /** Independent FMA chains per iteration. */
  public static final int ACCUMULATORS = 12;

  /** Iterations of the register loop per benchmark operation. */
  public static final int ITERATIONS = 1024;

  private static final VectorSpecies<Float> F32 = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Double> F64 = DoubleVector.SPECIES_PREFERRED;

  // Fields, not constants: the JIT must not see the operands.
  float mulF = 0.999_9f;
  float addF = 1e-3f;
  float startF = 0.5f;
  double mulD = 0.999_999_9;
  double addD = 1e-6;
  double startD = 0.5;

  /** FLOPs of one {@link #fp32()} operation with this JVM's preferred species. */
  public static double flopsPerOpF32() {
    return 2.0 * F32.length() * ACCUMULATORS * ITERATIONS;
  }

  /** FLOPs of one {@link #fp64()} operation with this JVM's preferred species. */
  public static double flopsPerOpF64() {
    return 2.0 * F64.length() * ACCUMULATORS * ITERATIONS;
  }

  /** Float32 FMA throughput. */
  @Benchmark
  public float fp32() {
    FloatVector m = FloatVector.broadcast(F32, mulF);
    FloatVector c = FloatVector.broadcast(F32, addF);
    float s = startF;
    FloatVector a0 = FloatVector.broadcast(F32, s);
    FloatVector a1 = FloatVector.broadcast(F32, s + 1);
    FloatVector a2 = FloatVector.broadcast(F32, s + 2);
    FloatVector a3 = FloatVector.broadcast(F32, s + 3);
    FloatVector a4 = FloatVector.broadcast(F32, s + 4);
    FloatVector a5 = FloatVector.broadcast(F32, s + 5);
    FloatVector a6 = FloatVector.broadcast(F32, s + 6);
    FloatVector a7 = FloatVector.broadcast(F32, s + 7);
    FloatVector a8 = FloatVector.broadcast(F32, s + 8);
    FloatVector a9 = FloatVector.broadcast(F32, s + 9);
    FloatVector a10 = FloatVector.broadcast(F32, s + 10);
    FloatVector a11 = FloatVector.broadcast(F32, s + 11);
    for (int i = 0; i < ITERATIONS; i++) {
      a0 = a0.fma(m, c);
      a1 = a1.fma(m, c);
      a2 = a2.fma(m, c);
      a3 = a3.fma(m, c);
      a4 = a4.fma(m, c);
      a5 = a5.fma(m, c);
      a6 = a6.fma(m, c);
      a7 = a7.fma(m, c);
      a8 = a8.fma(m, c);
      a9 = a9.fma(m, c);
      a10 = a10.fma(m, c);
      a11 = a11.fma(m, c);
    }
    FloatVector sum = a0.add(a1).add(a2).add(a3).add(a4).add(a5)
        .add(a6).add(a7).add(a8).add(a9).add(a10).add(a11);
    return sum.reduceLanes(VectorOperators.ADD);
  }

  /** Float64 FMA throughput (half the float32 FLOP rate on hardware that splits vectors into lanes by width). */
  @Benchmark
  public double fp64() {
    DoubleVector m = DoubleVector.broadcast(F64, mulD);
    DoubleVector c = DoubleVector.broadcast(F64, addD);
    double s = startD;
    DoubleVector a0 = DoubleVector.broadcast(F64, s);
    DoubleVector a1 = DoubleVector.broadcast(F64, s + 1);
    DoubleVector a2 = DoubleVector.broadcast(F64, s + 2);
    DoubleVector a3 = DoubleVector.broadcast(F64, s + 3);
    DoubleVector a4 = DoubleVector.broadcast(F64, s + 4);
    DoubleVector a5 = DoubleVector.broadcast(F64, s + 5);
    DoubleVector a6 = DoubleVector.broadcast(F64, s + 6);
    DoubleVector a7 = DoubleVector.broadcast(F64, s + 7);
    DoubleVector a8 = DoubleVector.broadcast(F64, s + 8);
    DoubleVector a9 = DoubleVector.broadcast(F64, s + 9);
    DoubleVector a10 = DoubleVector.broadcast(F64, s + 10);
    DoubleVector a11 = DoubleVector.broadcast(F64, s + 11);
    for (int i = 0; i < ITERATIONS; i++) {
      a0 = a0.fma(m, c);
      a1 = a1.fma(m, c);
      a2 = a2.fma(m, c);
      a3 = a3.fma(m, c);
      a4 = a4.fma(m, c);
      a5 = a5.fma(m, c);
      a6 = a6.fma(m, c);
      a7 = a7.fma(m, c);
      a8 = a8.fma(m, c);
      a9 = a9.fma(m, c);
      a10 = a10.fma(m, c);
      a11 = a11.fma(m, c);
    }
    DoubleVector sum = a0.add(a1).add(a2).add(a3).add(a4).add(a5)
        .add(a6).add(a7).add(a8).add(a9).add(a10).add(a11);
    return sum.reduceLanes(VectorOperators.ADD);
  }
}
