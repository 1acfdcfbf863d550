package dev.rnn4j.bench;

import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.nn.recurrent.GRU;
import dev.rnn4j.nn.recurrent.LSTM;
import dev.rnn4j.nn.recurrent.RNN;
import dev.rnn4j.nn.recurrent.RecurrentLayer;
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
 * One streaming step ({@link RecurrentLayer#step} over a caller-owned {@link StreamState}) of a float32 one-layer
 * LSTM, GRU and tanh RNN at the stream configuration's sizes: batch 1, I = 64, H = 128. This is the inference loop
 * of a model that sees one input at a time (speech frames, sensor readings, generated characters).
 *
 * <p>Each operation feeds the next row of a seeded 100-step input sequence (the index wraps around; the state is
 * carried on, as in an endless stream) and returns the new hidden state, a view owned by the state. Nothing is
 * allocated per step in the steady state: run with {@code -prof gc} and read {@code gc.alloc.rate.norm} (0 B/op
 * expected; the report prints it as B/op).
 *
 * <p>The mode is throughput like every benchmark of this module (the report prints time per operation = 1 /
 * throughput, the same mean that JMH's AverageTime mode reports); for JMH's own AverageTime output in microseconds
 * run {@code StreamingStepBenchmark -bm avgt -tu us -prof gc}.
 *
 * <p>Work: one step is {@code 2 * B * (I + H) * G * H} GEMM FLOPs (G = 4, 3, 1).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class StreamingStepBenchmark {

  /** Kernel implementation. */
  @Param({"scalar", "simd"})
  public String impl;

  private static final RecurrentConfig SIZES = RecurrentConfig.STREAM;

  private Tensor[] inputs;
  private int next;
  private RecurrentLayer lstm;
  private RecurrentLayer gru;
  private RecurrentLayer rnn;
  private StreamState lstmState;
  private StreamState gruState;
  private StreamState rnnState;

  @Setup
  public void setUp() {
    Kernels kernels = BenchKernels.forName(impl);
    float[] sequence = TestData.floats(SIZES.steps() * SIZES.input(), -1f, 1f, 42);
    inputs = new Tensor[SIZES.steps()];
    for (int t = 0; t < inputs.length; t++) {
      inputs[t] = Tensor.wrap(sequence, t * SIZES.input(), SIZES.batch(), SIZES.input());
    }
    RecurrentOptions o = new RecurrentOptions(SIZES.input(), SIZES.hidden()).seed(7);
    lstm = new LSTM(o);
    gru = new GRU(o);
    rnn = new RNN(o);
    // A stream state runs on the kernels current when it is created.
    KernelScope.run(kernels, () -> {
      lstmState = lstm.newStreamState(SIZES.batch());
      gruState = gru.newStreamState(SIZES.batch());
      rnnState = rnn.newStreamState(SIZES.batch());
    });
  }

  private Tensor nextInput() {
    Tensor x = inputs[next];
    next = next + 1 == inputs.length ? 0 : next + 1;
    return x;
  }

  /** One LSTM step. */
  @Benchmark
  public Tensor lstm() {
    return lstm.step(nextInput(), lstmState);
  }

  /** One GRU step. */
  @Benchmark
  public Tensor gru() {
    return gru.step(nextInput(), gruState);
  }

  /** One tanh RNN step. */
  @Benchmark
  public Tensor rnn() {
    return rnn.step(nextInput(), rnnState);
  }
}
