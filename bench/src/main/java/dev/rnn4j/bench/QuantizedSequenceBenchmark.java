package dev.rnn4j.bench;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.nn.WeightFormat;
import dev.rnn4j.nn.recurrent.LSTM;
import dev.rnn4j.nn.recurrent.QuantizedRecurrentLayer;
import dev.rnn4j.nn.recurrent.QuantizedStreamState;
import dev.rnn4j.nn.recurrent.RecurrentOptions;
import dev.rnn4j.nn.recurrent.RecurrentOutput;
import dev.rnn4j.tensor.KernelScope;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * A whole sequence through a quantized one-layer LSTM at the stream configuration (B = 1, T = 100, I = 64, H = 128)
 * on the SIMD kernels: {@link QuantizedRecurrentLayer#forward(Tensor)} (new output tensors per call) against
 * {@link QuantizedRecurrentLayer#steps} on caller arrays from a reset stream state (nothing allocated). Run with
 * {@code -prof gc} and read {@code gc.alloc.rate.norm} for the bytes per call.
 *
 * <p>Work: {@code 2 * 4H (I + H) * T} = 19.7 MFLOP per call, whatever the format.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 10, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class QuantizedSequenceBenchmark {

  static final int INPUT = 64;
  static final int HIDDEN = 128;
  static final int STEPS = 100;

  /** Weight storage: bfloat16 or int8. */
  @Param({"bfloat16", "int8"})
  public String format;

  private Tensor input;
  private float[] x;
  private float[] out;
  private QuantizedRecurrentLayer quantized;
  private QuantizedStreamState state;

  @Setup
  public void setUp() {
    Kernels kernels = BenchKernels.forName("simd");
    x = TestData.floats(STEPS * INPUT, -1f, 1f, 42);
    out = new float[STEPS * HIDDEN];
    input = Tensor.wrap(x, 0, STEPS, 1, INPUT);
    WeightFormat f = switch (format) {
      case "bfloat16" -> WeightFormat.BFLOAT16;
      case "int8" -> WeightFormat.INT8;
      default -> throw new IllegalArgumentException("QuantizedSequenceBenchmark: format '" + format
          + "': expected bfloat16 or int8");
    };
    LSTM lstm = new LSTM(new RecurrentOptions(INPUT, HIDDEN).seed(7));
    quantized = KernelScope.get(kernels, () -> lstm.quantize(f)); // packed for the SIMD kernels
    state = KernelScope.get(kernels, () -> quantized.newStreamState(1));
  }

  /** forward over the sequence from zero states, on the JVM's kernels (SIMD where the JVM runs them well). */
  @Benchmark
  public RecurrentOutput forward() {
    return quantized.forward(input);
  }

  /** The same sequence by steps on caller arrays from a reset state. */
  @Benchmark
  public float[] steps() {
    state.reset();
    quantized.steps(x, 0, STEPS, state, out, 0);
    return out;
  }
}
