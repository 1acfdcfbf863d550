package dev.rnn4j.nn.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.autograd.NoGrad;
import dev.rnn4j.kernels.CacheHierarchy;
import dev.rnn4j.kernels.Kernels;
import dev.rnn4j.nn.recurrent.internal.WorkSplit;
import dev.rnn4j.tensor.DType;
import dev.rnn4j.tensor.KernelScope;
import dev.rnn4j.tensor.Parallelism;
import dev.rnn4j.tensor.Tensor;
import dev.rnn4j.testing.TestKernels;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Inference on one thread projects the input a few steps at a time into a ring of gate rows
 * ({@code Trace.forwardOnly}); a forward that records a graph keeps all T steps' gate rows. Both must give the same
 * bits, for every cell, both directions, ragged batches and given initial states; and a backward through a
 * forward-only trace must refuse.
 */
class ForwardOnlyTest {

  private static final int INPUT = 5;
  // Small rows keep the test fast: the ring holds a quarter of L2, so the steps it needs grow as 1 / (B H) while a
  // step's work grows as B H^2. 20 is no multiple of a vector's lanes, so the SIMD kernels' tails run too.
  private static final int HIDDEN = 20;
  private static final int BATCH = 16;

  private static List<Kernels> kernels() {
    List<Kernels> all = new ArrayList<>(List.of(Kernels.scalar()));
    TestKernels.simd().ifPresent(all::add);
    return all;
  }

  /**
   * The layers run on the SIMD kernels where they exist (their packed product sends rows through different kernels by
   * position, which the ring changes; the scalar spec's rows are plain loops), else on the scalar spec. Both at the
   * lengths here would take several seconds more.
   */
  private static Kernels layerKernels() {
    return TestKernels.simd().orElse(Kernels.scalar());
  }

  private static List<Supplier<RecurrentLayer>> layers() {
    return List.of(
        () -> new LSTM(options()),
        () -> new LSTM(options().peephole(true)),
        () -> new LSTM(options().projSize(HIDDEN / 2)),
        () -> new GRU(options()),
        () -> new GRU(options().resetAfter(false)),
        () -> new RNN(options()),
        () -> new RNN(options().nonlinearity(RecurrentOptions.Nonlinearity.RELU)));
  }

  private static RecurrentOptions options() {
    return new RecurrentOptions(INPUT, HIDDEN).bidirectional(true).seed(11);
  }

  /**
   * Steps enough for at least two full rings and a partial third for every cell, whatever this machine's L2 (the
   * ring's length follows it): the narrowest gate row here (the RNN's, H wide) gives the longest ring.
   */
  private static int steps() {
    int ring = WorkSplit.ringSteps(BATCH, HIDDEN, Float.BYTES);
    return 2 * ring + 3;
  }

  @Test
  @SuppressWarnings("try") // the kernel scope is used for its effect only
  void inferenceGivesTheBitsOfARecordedForward() {
    int saved = Parallelism.threads();
    Parallelism.setThreads(1);
    try {
      int steps = steps();
      SplittableRandom rnd = new SplittableRandom(3);
      Kernels k = layerKernels();
      for (Supplier<RecurrentLayer> make : layers()) {
        RecurrentLayer layer = make.get();
        String what = k.name() + " " + layer.config().kind() + " proj=" + layer.config().projSize() + " peephole="
            + layer.config().peephole();
        int[] ragged = new int[BATCH];
        for (int b = 0; b < BATCH; b++) {
          ragged[b] = 1 + (int) ((long) b * 7919 % steps);
        }
        ragged[3] = steps;
        for (int[] lengths : new int[][] {null, ragged}) {
          Tensor x = uniform(rnd, steps, BATCH, INPUT);
          int dirs = 2;
          Tensor h0 = uniform(rnd, dirs, BATCH, layer.config().stateSize());
          Tensor c0 = layer.config().kind().hasCellState() ? uniform(rnd, dirs, BATCH, HIDDEN) : null;
          RecurrentOutput inferred;
          RecurrentOutput recorded;
          try (KernelScope scope = KernelScope.use(k)) {
            inferred = NoGrad.get(() -> layer.forward(x, h0, c0, lengths));
            x.requiresGrad(true);
            recorded = layer.forward(x, h0, c0, lengths);
            x.requiresGrad(false);
          }
          String where = what + " lengths=" + (lengths == null ? "all" : "ragged");
          assertTrue(recorded.output().requiresGrad(), where + ": the second forward must record a graph");
          assertArrayEquals(recorded.output().toFloatArray(), inferred.output().toFloatArray(), where + ": output");
          assertArrayEquals(recorded.hN().toFloatArray(), inferred.hN().toFloatArray(), where + ": hN");
          if (c0 != null) {
            assertArrayEquals(recorded.cN().toFloatArray(), inferred.cN().toFloatArray(), where + ": cN");
          }
        }
      }
    } finally {
      Parallelism.setThreads(saved);
    }
  }

  /** The ring's length follows L2 and the row size; no ring (0) when one step's rows exceed a quarter of L2. */
  @Test
  void theRingFillsAQuarterOfL2() {
    long l2 = CacheHierarchy.detected().l2Bytes();
    assertEquals(l2 / 4 / (32L * 1024 * 4), WorkSplit.ringSteps(32, 1024, 4));
    assertEquals(1, WorkSplit.ringSteps(1, (int) (l2 / 4), 1));
    assertEquals(0, WorkSplit.ringSteps(1, (int) (l2 / 4) + 1, 1));
  }

  @Test
  void aBackwardThroughAForwardOnlyTraceRefuses() {
    int saved = Parallelism.threads();
    Parallelism.setThreads(1);
    try {
      for (Kernels k : kernels()) {
        EngineCall call = new EngineCall(k, CellKind.LSTM);
        call.trace.forwardOnly(true);
        call.forward();
        IllegalStateException e = assertThrows(IllegalStateException.class, call::backward, k.name());
        assertTrue(e.getMessage().contains("forwardOnly"), e.getMessage());
        // A forward that keeps the trace serves the backward again, with the gradients of a fresh engine.
        call.trace.forwardOnly(false);
        call.forward();
        call.backward();
        EngineCall fresh = new EngineCall(k, CellKind.LSTM);
        fresh.forward();
        fresh.backward();
        assertArrayEquals(fresh.gradients(), call.gradients(), k.name());
      }
    } finally {
      Parallelism.setThreads(saved);
    }
  }

  private static Tensor uniform(SplittableRandom rnd, int... shape) {
    Tensor t = Tensor.zeros(DType.FLOAT32, shape);
    float[] a = t.floatData();
    for (int i = t.offset(); i < t.offset() + t.numel(); i++) {
      a[i] = (float) rnd.nextDouble(-1, 1);
    }
    t.markModified();
    return t;
  }
}
