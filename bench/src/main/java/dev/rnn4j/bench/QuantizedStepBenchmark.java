package dev.rnn4j.bench;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.nn.WeightFormat;
import dev.rnn4j.nn.recurrent.LSTM;
import dev.rnn4j.nn.recurrent.QuantizedRecurrentLayer;
import dev.rnn4j.nn.recurrent.QuantizedStreamState;
import dev.rnn4j.nn.recurrent.RecurrentOptions;
import dev.rnn4j.nn.recurrent.StreamState;
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
 * One streaming step of a one-layer LSTM at B = 1, I = 512, H = 1024 with its weights in float32 (the layer's own
 * {@link dev.rnn4j.nn.recurrent.RecurrentLayer#step}), bfloat16 or int8 ({@link QuantizedRecurrentLayer#step}), on the
 * SIMD kernels. The float32 weights take 4 * 4H (I + H) = 25.2 MB, more than any per-core cache, so the float32
 * step reads them from L3 or memory each time: the case weight-only quantization is for (int8 reads 6.3 MB, bfloat16
 * 12.6 MB). {@code -p size=IxH} steps other sizes, e.g. {@code 64x128}, the stream configuration, whose float32 weights
 * (384 KiB) stream from L2.
 *
 * <p>Throughput mode like every benchmark of this module; for the distribution of single-step times (p0 = min,
 * p0.50 = median, p0.99) run it with {@code -bm sample -tu us}, or run {@link QuantizedStepTiming}, which also
 * interleaves the formats. Each operation feeds the next row of a seeded 100-step sequence and carries the state on.
 * Nothing is allocated per step: run with {@code -prof gc} (in throughput mode) and read {@code gc.alloc.rate.norm}.
 *
 * <p>Warm-up is 8 x 1 s rather than the module's 5: at about a millisecond per step on a loaded machine, C2 needed
 * over a thousand steps before the quantized steps stopped allocating (the interpreted and C1-compiled Vector API
 * code boxes its vectors).
 *
 * <p>Work: {@code 2 * 4H (I + H)} = 12.6 MFLOP per step, whatever the format.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class QuantizedStepBenchmark {

  static final String DEFAULT_SIZE = "512x1024";
  static final int STEPS = 100;

  /** Weight storage: float32 (the float layer), bfloat16 or int8. */
  @Param({"float32", "bfloat16", "int8"})
  public String format;

  /** Input and hidden size, {@code IxH}. */
  @Param({DEFAULT_SIZE})
  public String size;

  private Tensor[] inputs;
  private int next;
  private LSTM lstm;
  private StreamState floatState;
  private QuantizedRecurrentLayer quantized;
  private QuantizedStreamState quantizedState;

  @Setup
  public void setUp() {
    Kernels kernels = BenchKernels.forName("simd");
    int[] ih = sizes(size);
    float[] sequence = TestData.floats(STEPS * ih[0], -1f, 1f, 42);
    inputs = new Tensor[STEPS];
    for (int t = 0; t < STEPS; t++) {
      inputs[t] = Tensor.wrap(sequence, t * ih[0], 1, ih[0]);
    }
    lstm = new LSTM(new RecurrentOptions(ih[0], ih[1]).seed(7));
    KernelScope.run(kernels, () -> {
      switch (format) {
        case "float32" -> floatState = lstm.newStreamState(1);
        case "bfloat16", "int8" -> {
          quantized = lstm.quantize(format.equals("int8") ? WeightFormat.INT8 : WeightFormat.BFLOAT16);
          quantizedState = quantized.newStreamState(1);
        }
        default -> throw new IllegalArgumentException("QuantizedStepBenchmark: format '" + format
            + "': expected float32, bfloat16 or int8");
      }
    });
  }

  /** {@code IxH} as {I, H}; a usage error for anything else. */
  static int[] sizes(String size) {
    String[] parts = size.split("x");
    try {
      if (parts.length == 2) {
        int[] ih = {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        if (ih[0] > 0 && ih[1] > 0) {
          return ih;
        }
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("QuantizedStepBenchmark: size '" + size
        + "': expected IxH with positive input and hidden sizes, e.g. 512x1024 or 64x128");
  }

  private Tensor nextInput() {
    Tensor x = inputs[next];
    next = next + 1 == inputs.length ? 0 : next + 1;
    return x;
  }

  /** One LSTM step in the chosen weight format. */
  @Benchmark
  public Tensor lstmStep() {
    return quantized == null ? lstm.step(nextInput(), floatState) : quantized.step(nextInput(), quantizedState);
  }
}
