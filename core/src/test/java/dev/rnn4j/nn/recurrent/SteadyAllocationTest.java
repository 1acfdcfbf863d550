package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.autograd.NoGrad;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Parallelism;
import dev.rnn4j.tensor.Tensor;
import dev.rnn4j.testing.QuietWindows;
import dev.rnn4j.testing.RestoreThreadCount;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * In steady state a layer call allocates what it returns and almost nothing else (bytes counted by the thread's
 * allocation counter, {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}, not by timing):
 *
 * <ul>
 *   <li>a forward under {@link NoGrad}: its output tensors, plus at most {@value #FORWARD_BOOKKEEPING} bytes;
 *   <li>a training pass (zero the gradients, forward with autograd, backward from an output gradient): its output
 *       tensors and the gradients it produces (input, initial states, both weights, both biases), each allocated once
 *       and kept as the leaf's {@code grad()}, plus at most {@value #TRAINING_BOOKKEEPING} bytes.
 * </ul>
 *
 * The bookkeeping bounds cover the small objects around the arrays: the tensors and their autograd state, the graph
 * node with its edges and shape records, the parallel phases' task objects and the thread pool's job when the work
 * is split, and in a training pass the graph walk's lists and maps and the backward's task list (one small object
 * per weight-gradient block and input-gradient chunk: up to about 40 at the benchmarks' train configuration, under
 * 64 bytes each). Measured here: 1.0-1.4 KiB per forward, 3.6-4.4 KiB per training pass. What the bounds exclude is
 * any array of the problem's size: the smallest here, a bias gradient, is 128 float32 (528 bytes with its header),
 * one more copy of all the gradients (what the graph walk made before it kept a fused node's gradients as the leaves'
 * own) is 100 KiB, and the zeros it made for the unused final-state gradients 8 KiB (LSTM).
 *
 * <p>On the scalar kernels, which allocate nothing in any compilation state (the SIMD kernels need C2 for that; their
 * zero allocation is {@code PanamaZeroAllocationTest}'s subject). The sizes make the layer split its work as at the
 * benchmarks' train configuration (several row chunks of the input projection, two batch blocks on two threads), so
 * the thread pool's dispatch is counted too. Code that the JIT has not compiled yet allocates more (no escape
 * analysis), and a busy machine compiles late: after a warm-up, windows of calls run until one stays within the
 * bound or 30 seconds pass ({@link QuietWindows}), and the quietest window is reported.
 */
@ExtendWith(RestoreThreadCount.class)
class SteadyAllocationTest {

  /** Bytes per forward allowed beyond the output arrays: the target of issue 18. */
  static final long FORWARD_BOOKKEEPING = 4096;
  /** Bytes per training pass allowed beyond the output and gradient arrays (see the class comment). */
  static final long TRAINING_BOOKKEEPING = 6144;

  private static final int STEPS = 16;
  private static final int BATCH = 32;
  private static final int INPUT = 16;
  private static final int HIDDEN = 32;
  private static final int WARM_UP_CALLS = 50;
  private static final int WINDOW_CALLS = 10;

  private static List<RecurrentLayer> layers() {
    RecurrentOptions o = new RecurrentOptions(INPUT, HIDDEN).seed(7);
    return List.of(new LSTM(o), new GRU(o), new RNN(o));
  }

  /** Bytes of a float32 array of n elements on this JVM's heap: a 16-byte header, elements, padding to 8 bytes. */
  private static long arrayBytes(long n) {
    return (16 + 4 * n + 7) / 8 * 8;
  }

  private static long arrayBytes(Tensor t) {
    return t == null ? 0 : arrayBytes(t.numel());
  }

  /** One layer's inputs for a call, and the gradient of its output sequence. */
  private record Inputs(Tensor x, Tensor h0, Tensor c0, Tensor dOut) {
    static Inputs of(RecurrentLayer layer) {
      SplittableRandom rng = new SplittableRandom(42);
      Tensor x = Tensor.uniform(DType.FLOAT32, rng, -1, 1, STEPS, BATCH, INPUT).requiresGrad(true);
      Tensor h0 = Tensor.uniform(DType.FLOAT32, rng, -0.5, 0.5, 1, BATCH, HIDDEN).requiresGrad(true);
      Tensor c0 = layer instanceof LSTM
          ? Tensor.uniform(DType.FLOAT32, rng, -0.5, 0.5, 1, BATCH, HIDDEN).requiresGrad(true) : null;
      Tensor dOut = Tensor.uniform(DType.FLOAT32, rng, -1, 1, STEPS, BATCH, HIDDEN);
      return new Inputs(x, h0, c0, dOut);
    }

    /** The output sequence and the final state(s). */
    long outputBytes() {
      return arrayBytes((long) STEPS * BATCH * HIDDEN) + arrayBytes(h0) + arrayBytes(c0);
    }

    /** The gradients of x, h0, c0 and of the layer's parameters. */
    long gradientBytes(RecurrentLayer layer) {
      long n = arrayBytes(x) + arrayBytes(h0) + arrayBytes(c0);
      for (Tensor p : layer.parameters()) {
        n += arrayBytes(p);
      }
      return n;
    }

    void zeroGrad(RecurrentLayer layer) {
      layer.zeroGrad();
      x.zeroGrad();
      h0.zeroGrad();
      if (c0 != null) {
        c0.zeroGrad();
      }
    }
  }

  @ParameterizedTest(name = "{0} thread(s)")
  @ValueSource(ints = {1, 2})
  void forwardUnderNoGradAllocatesItsOutputs(int threads) {
    Parallelism.setThreads(threads);
    for (RecurrentLayer layer : layers()) {
      Inputs in = Inputs.of(layer);
      long bound = in.outputBytes() + FORWARD_BOOKKEEPING;
      long perCall = quietestPerCall(bound, () -> NoGrad.run(() -> layer.forward(in.x(), in.h0(), in.c0(), null)));
      assertTrue(perCall <= bound, layer.config().name() + ": a forward under NoGrad allocated " + perCall
          + " bytes; its outputs take " + in.outputBytes() + ", bound " + FORWARD_BOOKKEEPING + " more");
    }
  }

  @ParameterizedTest(name = "{0} thread(s)")
  @ValueSource(ints = {1, 2})
  void trainingPassAllocatesItsOutputsAndGradients(int threads) {
    Parallelism.setThreads(threads);
    for (RecurrentLayer layer : layers()) {
      Inputs in = Inputs.of(layer);
      long expected = in.outputBytes() + in.gradientBytes(layer);
      long bound = expected + TRAINING_BOOKKEEPING;
      long perCall = quietestPerCall(bound, () -> {
        in.zeroGrad(layer);
        layer.forward(in.x(), in.h0(), in.c0(), null).output().backward(in.dOut());
      });
      assertTrue(perCall <= bound, layer.config().name() + ": a training pass allocated " + perCall
          + " bytes; its outputs and gradients take " + expected + ", bound " + TRAINING_BOOKKEEPING + " more");
    }
  }

  /**
   * Bytes this thread allocates per call of {@code call} on the scalar kernels: after {@value #WARM_UP_CALLS} calls,
   * the quietest of windows of {@value #WINDOW_CALLS} calls, which run until one is within {@code bound} per call or
   * the deadline passes.
   */
  @SuppressWarnings("try") // the kernel scope is used for its effect
  private static long quietestPerCall(long bound, Runnable call) {
    try (KernelScope s = KernelScope.use(Kernels.scalar())) {
      for (int i = 0; i < WARM_UP_CALLS; i++) {
        call.run();
      }
      return QuietWindows.quietestBytes(() -> {
        for (int i = 0; i < WINDOW_CALLS; i++) {
          call.run();
        }
      }, 1, bound * WINDOW_CALLS) / WINDOW_CALLS;
    }
  }
}
