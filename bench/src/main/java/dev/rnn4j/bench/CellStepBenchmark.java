package dev.rnn4j.bench;

import dev.rnn4j.autograd.NoGrad;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.nn.recurrent.CellState;
import dev.rnn4j.nn.recurrent.GRUCell;
import dev.rnn4j.nn.recurrent.LSTMCell;
import dev.rnn4j.nn.recurrent.RNNCell;
import dev.rnn4j.nn.recurrent.RecurrentCell;
import dev.rnn4j.nn.recurrent.RecurrentOptions;
import dev.rnn4j.tensor.KernelScope;
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
 * One step of a float32 single-step cell ({@link LSTMCell}, {@link GRUCell} with reset after, tanh {@link RNNCell})
 * through the public API, {@code cell.forward(x, state)} with a given state, at the B, I, H of the {@code config}
 * parameter (stream: B = 1, I = 64, H = 128; train: B = 32, I = 128, H = 256; T does not apply). The cell's
 * counterpart of {@link RecurrentLayerBenchmark}: {@code forward} under {@link NoGrad} (inference), and
 * {@code forwardBackward} (zero the gradients, a step with autograd, backward of an output gradient of ones: the
 * gradients of x, h, (c), both weights and both biases), returning x's gradient. The inputs are fixed, so every
 * operation does the same work.
 *
 * <p>One library thread ({@code Parallelism.setThreads(1)} for the trial), as the layer benchmarks.
 *
 * <p>Work (GEMM FLOPs, G = 4 for the LSTM, 3 for the GRU, 1 for the RNN): forward {@code F = 2 * B * (I + H) * G * H},
 * forward + backward {@code 3 F}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class CellStepBenchmark {

  /** Cell: lstm, gru or rnn. */
  @Param({"lstm", "gru", "rnn"})
  public String cell;

  /** Kernel implementation. */
  @Param({"simd"})
  public String impl;

  /** {@link RecurrentConfig} name: its batch, input and hidden sizes. */
  @Param({"stream", "train"})
  public String config;

  private Kernels kernels;
  private RecurrentCell step;
  private Tensor x;
  private Tensor h;
  private Tensor c;
  private Tensor ones;
  private int savedThreads;

  @Setup
  public void setUp() {
    savedThreads = Parallelism.threads();
    Parallelism.setThreads(1);
    kernels = BenchKernels.forName(impl);
    RecurrentConfig sizes = RecurrentConfig.named(config);
    RecurrentOptions o = new RecurrentOptions(sizes.input(), sizes.hidden()).seed(7);
    step = switch (cell) {
      case "lstm" -> new LSTMCell(o);
      case "gru" -> new GRUCell(o);
      case "rnn" -> new RNNCell(o);
      default -> throw new IllegalArgumentException("CellStepBenchmark: unknown cell '" + cell
          + "'; expected lstm, gru or rnn");
    };
    int b = sizes.batch();
    x = Tensor.wrap(TestData.floats(b * sizes.input(), -1f, 1f, 41), 0, b, sizes.input()).requiresGrad(true);
    h = Tensor.wrap(TestData.floats(b * sizes.hidden(), -1f, 1f, 42), 0, b, sizes.hidden()).requiresGrad(true);
    c = cell.equals("lstm")
        ? Tensor.wrap(TestData.floats(b * sizes.hidden(), -1f, 1f, 43), 0, b, sizes.hidden()).requiresGrad(true)
        : null;
    ones = Tensor.ones(x.dtype(), b, sizes.hidden());
  }

  @TearDown
  public void tearDown() {
    Parallelism.setThreads(savedThreads);
  }

  /** One step for inference (no graph recorded). */
  @Benchmark
  public Tensor forward() {
    return KernelScope.get(kernels, () -> NoGrad.get(() -> step.forward(x, new CellState(h, c)).h()));
  }

  /** Zero the gradients, one step with autograd, backward of an output gradient of ones. */
  @Benchmark
  public Tensor forwardBackward() {
    return KernelScope.get(kernels, () -> {
      step.zeroGrad();
      x.zeroGrad();
      h.zeroGrad();
      if (c != null) {
        c.zeroGrad();
      }
      step.forward(x, new CellState(h, c)).h().backward(ones);
      return x.grad();
    });
  }
}
